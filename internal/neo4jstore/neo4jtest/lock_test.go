package neo4jtest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// lockHolder, run as a child process, takes the lock for the database the
// parent names, says so, and holds it until its standard input closes.
func TestLockHolderProcess(t *testing.T) {
	uri := os.Getenv("NEO4JTEST_LOCK_URI")
	if uri == "" {
		return // run only as the child of TestTestPackagesTakeTurnsOnOneDatabase
	}
	lockDatabase(t, uri, "")
	// Collect garbage, as a long test run does: a lock kept only by an
	// unreferenced file would be dropped here by the file's finalizer.
	for range 3 {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
}

// Two test processes on one database take turns: the second waits until
// the first exits.
func TestTestPackagesTakeTurnsOnOneDatabase(t *testing.T) {
	uri := fmt.Sprintf("bolt://lock-test-%d:7687", time.Now().UnixNano())
	start := func() (*exec.Cmd, io.WriteCloser, <-chan string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHolderProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "NEO4JTEST_LOCK_URI="+uri)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 10)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.TrimSpace(sc.Text()) == "locked" {
					lines <- "locked"
				}
			}
			close(lines)
		}()
		return cmd, stdin, lines
	}
	first, firstIn, firstOut := start()
	defer first.Process.Kill()
	select {
	case <-firstOut:
	case <-time.After(30 * time.Second):
		t.Fatal("the first process never took the lock")
	}
	second, secondIn, secondOut := start()
	defer second.Process.Kill()
	defer secondIn.Close()
	select {
	case <-secondOut:
		t.Fatal("the second process took the lock while the first held it")
	case <-time.After(time.Second):
	}
	firstIn.Close()
	first.Wait()
	select {
	case <-secondOut:
	case <-time.After(30 * time.Second):
		t.Fatal("the second process did not take the lock once the first exited")
	}
}
