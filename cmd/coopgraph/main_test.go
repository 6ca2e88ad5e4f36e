package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

func getenv(extra map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
}

var seededLine = regexp.MustCompile(`the graph now holds (\d+) entities and (\d+) relationships`)

func TestSeedTwiceAndConcurrentlyLeavesTheSameGraph(t *testing.T) {
	neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	seed := func() string {
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"seed"}, getenv(nil), &out, &errs); err != nil {
			t.Errorf("coopgraph seed: %v\n%s", err, errs.String())
		}
		m := seededLine.FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("coopgraph seed printed %q", out.String())
			return ""
		}
		return m[1] + "/" + m[2]
	}
	first := seed()
	if first == "" || strings.HasPrefix(first, "0/") {
		t.Fatalf("first seed left %s", first)
	}
	if again := seed(); again != first {
		t.Errorf("seeding again: %s; want %s", again, first)
	}
	var wg sync.WaitGroup
	results := make([]string, 3)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = seed() }()
	}
	wg.Wait()
	for _, got := range results {
		if got != first {
			t.Errorf("concurrent seed left %s; want %s", got, first)
		}
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeAnswersThenShutsDownCleanly(t *testing.T) {
	neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-seed", "-addr", addr}, getenv(nil), &logs, &logs)
	}()
	base := "http://" + addr
	waitFor(t, base+"/readyz", 60*time.Second)

	r := apitest.Post(t, base+"/graphql", `{ meeting(id: "us-ecuador-defense-talks-2025-04-04") { participants { role actor { name } } } }`, nil).MustOK(t)
	if n := len(r.List("meeting", "participants")); n != 4 {
		t.Errorf("served meeting has %d participants; want 4", n)
	}

	// A request in flight when the signal comes still gets its answer.
	slow := make(chan apitest.Response, 1)
	go func() {
		slow <- apitest.Post(t, base+"/graphql", `{ actors(first: 100) { nodes { relationships(first: 100) { totalCount } } } }`, nil)
	}()
	time.Sleep(5 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown; want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of the signal")
	}
	if resp := <-slow; resp.Status != http.StatusOK {
		t.Errorf("request in flight at shutdown got %d", resp.Status)
	}
	for _, want := range []string{"serving", "graph ready", "shutting down", "stopped", "request_id="} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestServeStartsWithoutNeo4jAndSaysSo(t *testing.T) {
	addr := freeAddr(t)
	dead := freeAddr(t) // nothing listens here
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr}, getenv(map[string]string{"NEO4J_URI": "bolt://" + dead}), &logs, &logs)
	}()
	waitFor(t, "http://"+addr+"/healthz", 10*time.Second)
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz without Neo4j = %d; want 503", resp.StatusCode)
	}
	r := apitest.Post(t, "http://"+addr+"/graphql", `{ actor(id: "ecuador") { name } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "SERVICE_UNAVAILABLE" {
		t.Errorf("query without Neo4j: %s; want SERVICE_UNAVAILABLE", r.Raw)
	}
	time.Sleep(100 * time.Millisecond)
	if !strings.Contains(logs.String(), "waiting for Neo4j") {
		t.Errorf("log does not say it is waiting for Neo4j:\n%s", logs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func waitFor(t *testing.T, url string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not OK within %v (last: %v)", url, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
