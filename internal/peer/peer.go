// Package peer compares coopgraph with a peer that answers the same
// questions over the same Neo4j: the official Neo4j GraphQL Library
// (@neo4j/graphql) on Apollo Server, at the versions pinned in
// app/package-lock.json. It installs and runs the peer, runs coopgraph
// serve beside it, checks that each pair of queries answers the same, and
// measures both alternately.
package peer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// app is the peer: package.json and its lockfile, whose integrity hashes
// pin every package, and the server.
//
//go:embed app/package.json app/package-lock.json app/server.mjs
var app embed.FS

func appFile(name string) []byte {
	b, err := app.ReadFile("app/" + name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return b
}

func shortHash(bs ...[]byte) string {
	h := sha256.New()
	for _, b := range bs {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// DefaultCacheDir is where installed peers are kept: coopgraph in the
// user's cache directory ($XDG_CACHE_HOME, else ~/.cache, on Linux).
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the peer's packages (set XDG_CACHE_HOME or -peer-cache): %w", err)
	}
	return filepath.Join(d, "coopgraph"), nil
}

// Install makes the peer ready to run and returns the path of its server
// script. Its packages go into cacheDir/peer-HASH, HASH naming
// package.json and the lockfile, installed with npm ci --ignore-scripts
// (no package runs code at install), and are reused by later runs. The
// script goes beside them under a name of its own hash. logf reports
// what it does.
func Install(ctx context.Context, npm, cacheDir string, logf func(format string, args ...any)) (string, error) {
	pkg, lock, server := appFile("package.json"), appFile("package-lock.json"), appFile("server.mjs")
	dir := filepath.Join(cacheDir, "peer-"+shortHash(pkg, lock))
	if _, err := os.Stat(filepath.Join(dir, ".installed")); err != nil {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return "", fmt.Errorf("peer cache: %w", err)
		}
		logf("installing the peer's packages (npm ci) into %s", dir)
		if err := npmCI(ctx, npm, cacheDir, dir, pkg, lock); err != nil {
			return "", err
		}
	} else {
		logf("reusing the peer's packages in %s", dir)
	}
	script := filepath.Join(dir, "server-"+shortHash(server)+".mjs")
	if _, err := os.Stat(script); err != nil {
		if err := writeAtomically(script, server); err != nil {
			return "", fmt.Errorf("peer server: %w", err)
		}
	}
	pruneScripts(dir, script)
	return script, nil
}

// pruneScripts removes the scripts of other versions of the peer, once
// they are a day old (a run of another version may still be using one).
func pruneScripts(dir, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, "server-*.mjs"))
	for _, f := range old {
		if info, err := os.Stat(f); err == nil && f != keep && time.Since(info.ModTime()) > 24*time.Hour {
			os.Remove(f)
		}
	}
}

// npmCI installs into a fresh directory, then renames it into place, so
// that an interrupted install is never taken for a finished one.
func npmCI(ctx context.Context, npm, cacheDir, dir string, pkg, lock []byte) error {
	tmp, err := os.MkdirTemp(cacheDir, filepath.Base(dir)+".installing-")
	if err != nil {
		return fmt.Errorf("peer cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	for name, b := range map[string][]byte{"package.json": pkg, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return fmt.Errorf("peer cache: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if missing(err) {
			return fmt.Errorf("the peer needs npm and Node.js 20 or later: %q not found (-npm)", npm)
		}
		return fmt.Errorf("npm ci for the peer failed (%w):\n%s", err, tail(out.Bytes(), 4000))
	}
	if err := os.WriteFile(filepath.Join(tmp, ".installed"), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return fmt.Errorf("peer cache: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".installed")); err == nil {
		return nil // another run installed it meanwhile
	}
	// A directory without the marker is what an interrupted run left.
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("peer cache: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("peer cache: %w", err)
	}
	return nil
}

// missing says whether a command could not run because it is not there.
func missing(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
}

func writeAtomically(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// tail is the end of out, at most n bytes.
func tail(out []byte, n int) string {
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return string(bytes.TrimSpace(out))
}
