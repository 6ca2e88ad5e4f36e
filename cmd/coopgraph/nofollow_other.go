//go:build !unix

package main

// openNoFollow: elsewhere, the Lstat check before opening must do.
const openNoFollow = 0
