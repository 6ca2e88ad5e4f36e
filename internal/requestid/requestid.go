// Package requestid carries a request's id through its context, so that
// every log line about a request, and every error a client sees, can be
// matched up.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

type key struct{}

// Header is the HTTP header that carries the id both ways.
const Header = "X-Request-Id"

var wellFormed = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// New returns a fresh random id.
func New() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// FromClient returns the client's id if it is safe to log, else a new one.
func FromClient(s string) string {
	if wellFormed.MatchString(s) {
		return s
	}
	return New()
}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context { return context.WithValue(ctx, key{}, id) }

// From returns the id in ctx, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}
