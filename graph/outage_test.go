package graph_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
)

// While Neo4j is unreachable, queries fail fast with SERVICE_UNAVAILABLE and
// nothing of the driver; /readyz says 503; when it returns, so does service.
func TestNeo4jOutageIsReportedAndRecoveredFrom(t *testing.T) {
	newAPI(t) // seeds the graph
	proxy, store := proxiedStore(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig(logger)
	cfg.HTTP.RequestTimeout = 5 * time.Second // more than the driver's 3s retry budget
	httpCfg := cfg.HTTP
	srv := apitest.Start(t, store, cfg)
	query := `{ actor(id: "los-choneros") { name relationships { totalCount } } }`

	r := apitest.Post(t, srv.URL+"/graphql", query, nil).MustOK(t)
	if r.At("actor", "name") != "Los Choneros" {
		t.Fatalf("before the outage: %v", r.Data)
	}

	proxy.SetDown(true)
	start := time.Now()
	r = apitest.Post(t, srv.URL+"/graphql", query, nil)
	took := time.Since(start)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "SERVICE_UNAVAILABLE" {
		t.Fatalf("during the outage: errors %+v; want SERVICE_UNAVAILABLE", r.Errors)
	}
	if took > httpCfg.RequestTimeout+time.Second {
		t.Errorf("failing took %v; want it within the %v request deadline", took, httpCfg.RequestTimeout)
	}
	for _, leak := range []string{"bolt", "Neo4j", "neo4j:", "dial", "connection", "MATCH", "goroutine", ".go:"} {
		if strings.Contains(r.Raw, leak) {
			t.Errorf("error response leaks %q: %s", leak, r.Raw)
		}
	}
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage = %d; want 503", resp.StatusCode)
	}

	proxy.SetDown(false)
	deadline := time.Now().Add(15 * time.Second)
	for {
		r = apitest.Post(t, srv.URL+"/graphql", query, nil)
		if len(r.Errors) == 0 && r.At("actor", "name") == "Los Choneros" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery 15s after Neo4j returned: %+v", r.Errors)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Through an outage measured as a user meets it: once the service knows
// Neo4j is down, reads and writes fail alike within 1 s, with HTTP 503 and
// SERVICE_UNAVAILABLE; /readyz says ready only when a read and a write
// would work; both work again within 2 s of Neo4j accepting connections.
func TestOutagesAreShortAndHonest(t *testing.T) {
	w := newWriteAPI(t, auth.Config{}) // seeds, and issues an editor key
	ed := w.keys[coop.RoleEditor]
	proxy, store := proxiedStore(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := apitest.Start(t, store, server.DefaultConfig(logger))
	read := func() apitest.Response {
		return apitest.Post(t, srv.URL+"/graphql", `{ actor(id: "los-choneros") { name } }`, nil)
	}
	write := func() apitest.Response {
		return apitest.PostAs(t, srv.URL+"/graphql", ed, `mutation { addAliases(id: "los-lobos", aliases: ["Lobitos"],
		  citations: [{source: "ecuador-pentagon-2025", locator: "¶2"}]) { change { seq } } }`, nil)
	}
	ready := func() int {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if read().MustOK(t); ready() != http.StatusOK {
		t.Fatal("not ready before the outage")
	}

	proxy.SetDown(true)
	read() // the service learns of the outage: its probe confirms it
	for deadline := time.Now().Add(2 * time.Second); !store.Down(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("2s after a query failed, the service does not know Neo4j is down")
		}
	}
	for name, ask := range map[string]func() apitest.Response{"read": read, "write": write} {
		start := time.Now()
		r := ask()
		if took := time.Since(start); took > time.Second {
			t.Errorf("a %s during a known outage failed after %v; want within 1s", name, took)
		}
		if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "SERVICE_UNAVAILABLE" {
			t.Errorf("a %s during the outage: HTTP %d, %.200s; want 503 and SERVICE_UNAVAILABLE", name, r.Status, r.Raw)
		}
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %d", got)
	}

	proxy.SetDown(false)
	back := time.Now()
	for {
		r, wr := read(), write()
		if r.ErrorCode() == "" && wr.ErrorCode() == "" {
			break
		}
		if time.Since(back) > 2*time.Second {
			t.Fatalf("2s after Neo4j came back: read %s, write %s", r.ErrorCode(), wr.ErrorCode())
		}
		if ready() == http.StatusOK {
			t.Errorf("/readyz said ready while a read (%s) or a write (%s) failed", r.ErrorCode(), wr.ErrorCode())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("reads and writes back %v after Neo4j", time.Since(back).Round(10*time.Millisecond))
}

// proxiedStore opens a store that reaches the test Neo4j through a proxy
// that can cut it off.
func proxiedStore(t *testing.T) (*neo4jtest.Proxy, *neo4jstore.Store) {
	t.Helper()
	proxy := neo4jtest.StartProxy(t)
	cfg := neo4jtest.Config(t)
	cfg.URI = proxy.URI()
	store, err := neo4jstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	return proxy, store
}
