package graph_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/httpapi"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// While Neo4j is unreachable, queries fail fast with SERVICE_UNAVAILABLE and
// nothing of the driver; /readyz says 503; when it returns, so does service.
func TestNeo4jOutageIsReportedAndRecoveredFrom(t *testing.T) {
	newAPI(t) // seeds the graph
	proxy := neo4jtest.StartProxy(t)
	cfg := neo4jtest.Config(t)
	cfg.URI = proxy.URI()
	store, err := neo4jstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	httpCfg := httpapi.DefaultConfig
	httpCfg.RequestTimeout = 5 * time.Second // more than the driver's 3s retry budget
	srv := httptest.NewServer(httpapi.NewServer(httpCfg, logger, graph.NewHandler(store, graph.DefaultOptions(logger)),
		func(ctx context.Context) error { return store.Ping(ctx) }))
	defer srv.Close()
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
