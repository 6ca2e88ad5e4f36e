package neo4jtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Test packages reset the one database they share, so two of them must not
// run at once: `go test ./...` runs packages in parallel processes. The
// first test of a process to reach Neo4j takes an exclusive lock on a file
// named after the database, and holds it until the process exits (the
// kernel drops it then, even after a crash); other packages wait for it.
var (
	lockOnce sync.Once
	lockErr  error
	// lockFile stays referenced for the life of the process: an unreachable
	// *os.File is closed by its finalizer, and the lock would go with it.
	lockFile *os.File
)

// lockHolderEnv names, for child processes, the process holding the lock.
const lockHolderEnv = "COOPGRAPH_NEO4J_TEST_LOCK_HOLDER"

func lockDatabase(tb testing.TB, uri, database string) {
	tb.Helper()
	lockOnce.Do(func() {
		// A fuzzing worker is a child of the process that holds the lock
		// and runs while that process waits for it: it shares the lock.
		if os.Getenv(lockHolderEnv) == strconv.Itoa(os.Getppid()) {
			return
		}
		defer os.Setenv(lockHolderEnv, strconv.Itoa(os.Getpid()))
		sum := sha256.Sum256([]byte(uri + "\x00" + database))
		path := filepath.Join(os.TempDir(), "coopgraph-neo4j-test-"+hex.EncodeToString(sum[:8])+".lock")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			lockErr = fmt.Errorf("open the test lock %s: %w", path, err)
			return
		}
		lockFile = f
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			return // held until the process ends
		}
		start := time.Now()
		fmt.Fprintf(os.Stderr, "neo4jtest: another test package is using %s; waiting for it (lock %s)\n", uri, path)
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			lockErr = fmt.Errorf("lock %s: %w", path, err)
			return
		}
		fmt.Fprintf(os.Stderr, "neo4jtest: got %s after %v\n", uri, time.Since(start).Round(time.Millisecond))
	})
	if lockErr != nil {
		tb.Fatal(lockErr)
	}
}
