package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/seed"
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
	store := neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	records, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d/%d", len(records.Entities), len(neo4jtest.Ties(records)))
	seedOnce := func() (string, error) {
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"seed"}, getenv(nil), &out, &errs); err != nil {
			return "", fmt.Errorf("coopgraph seed: %v\n%s", err, errs.String())
		}
		m := seededLine.FindStringSubmatch(out.String())
		if m == nil {
			return "", fmt.Errorf("coopgraph seed printed %q", out.String())
		}
		return m[1] + "/" + m[2], nil
	}
	// Three at once on an empty graph (replicas starting together), then
	// once more: every record exactly once, loaded once.
	var wg sync.WaitGroup
	results, errs := make([]string, 3), make([]error, 3)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errs[i] = seedOnce() }()
	}
	wg.Wait()
	again, err := seedOnce()
	if err := errors.Join(append(errs, err)...); err != nil {
		t.Fatal(err)
	}
	for i, got := range append(results, again) {
		if got != want {
			t.Errorf("seed %d left %s entities/relationships; want the seed's %s", i, got, want)
		}
	}
	page, err := store.Changes(context.Background(), coop.ChangeFilter{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0.0
	for _, c := range page.Changes {
		var summary map[string]any
		json.Unmarshal([]byte(c.After), &summary)
		if c.Action != coop.ActionImport || c.Who != "cli:seed" || summary["complete"] != true {
			t.Errorf("after seeding, the audit trail holds %+v; want only complete seed imports", c)
		}
		changed += summary["changed"].(float64)
	}
	if all := len(records.Entities) + len(records.Passages) + len(records.Relationships); int(changed) != all {
		t.Errorf("the seed imports created %v records together; want each of the seed's %d once", changed, all)
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

const meetingParticipants = `{ meeting(id: "us-ecuador-defense-talks-2025-04-04") { participants { role actor { id name } } } }`

// checkParticipants is nil when r holds the meeting's four participants.
func checkParticipants(r apitest.Response) error {
	if err := r.Check(); err != nil {
		return err
	}
	got := map[string]bool{}
	for i := range r.List("meeting", "participants") {
		id, _ := r.At("meeting", "participants", i, "actor", "id").(string)
		name, _ := r.At("meeting", "participants", i, "actor", "name").(string)
		role, _ := r.At("meeting", "participants", i, "role").(string)
		if name == "" || role == "" {
			return fmt.Errorf("participant %d lacks a name or role: %s", i, r.Raw)
		}
		got[id] = true
	}
	for _, id := range []string{"rafael-leonardo", "james-alverson", "gian-carlo-loffredo-rendon", "john-reimberg"} {
		if !got[id] {
			return fmt.Errorf("the meeting lacks %s: %s", id, r.Raw)
		}
	}
	if len(got) != 4 {
		return fmt.Errorf("the meeting has %d participants; want 4: %s", len(got), r.Raw)
	}
	return nil
}

// A request in flight when the shutdown signal comes gets its whole answer,
// and only then does serve return. The Neo4j test proxy holds the request's
// query, so it is provably in flight, for as long as the test needs.
func TestServeAnswersThenShutsDownCleanly(t *testing.T) {
	neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	proxy := neo4jtest.StartProxy(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-seed", "-addr", addr}, getenv(map[string]string{"NEO4J_URI": proxy.URI()}), &logs, &logs)
	}()
	base := "http://" + addr
	waitFor(t, base+"/readyz", 60*time.Second)
	if err := checkParticipants(apitest.Post(t, base+"/graphql", meetingParticipants, nil)); err != nil {
		t.Fatalf("before shutdown: %v", err)
	}

	proxy.Hold()
	type answer struct {
		r   apitest.Response
		err error
	}
	answers := make(chan answer, 1)
	go func() {
		r, err := apitest.Do(apitest.Request{URL: base + "/graphql", Query: meetingParticipants})
		answers <- answer{r, err}
	}()
	select {
	case <-proxy.Held():
	case <-time.After(15 * time.Second):
		t.Fatal("the request's query never reached Neo4j")
	}
	cancel() // the signal, while the query waits at the proxy
	waitForLog(t, &logs, "shutting down", 10*time.Second)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("serve still accepts connections after the shutdown signal")
	}
	select {
	case err := <-done:
		t.Fatalf("serve returned (%v) while a request was in flight", err)
	case a := <-answers:
		t.Fatalf("the held request was answered before its query ran: %v %s", a.err, a.r.Raw)
	case <-time.After(300 * time.Millisecond):
	}

	proxy.Release()
	select {
	case a := <-answers:
		if a.err != nil {
			t.Fatalf("the request in flight at shutdown failed: %v", a.err)
		}
		if err := checkParticipants(a.r); err != nil {
			t.Errorf("the request in flight at shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the request in flight got no answer within 30s of its release")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown; want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return within 30s of the last request")
	}
	for _, want := range []string{"serving", "graph ready", "shutting down", "stopped", "request_id="} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func waitForLog(t *testing.T, logs *syncBuffer, want string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(logs.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log does not say %q within %v:\n%s", want, limit, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
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
	waitForLog(t, &logs, "waiting for Neo4j", 10*time.Second)
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
