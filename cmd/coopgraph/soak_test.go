package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
)

// A short soak against the whole service prints latencies by kind, the
// errors by code (none here) and the API's memory from /metrics.
func TestSoakReportsLatencyErrorsAndMemory(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	key, _, err := auth.IssueKey(context.Background(), store, "soak", coop.RoleEditor, coop.Principal{Name: "test", Via: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig(logger)
	cfg.HTTP.Metrics = metrics.New()
	srv := apitest.Start(t, store, cfg)
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"soak", "-url", srv.URL, "-duration", "2s", "-clients", "2", "-writes", "0.2", "-key", key, "-every", "1s"},
		getenv(nil), &out, &errs); err != nil {
		t.Fatalf("soak: %v\n%s", err, errs.String())
	}
	got := out.String()
	for _, want := range []string{"errors: none", "\nwrite ", "\nactor ", "\nsearch "} { // clients 0 and 1 start at actor and search
		if !strings.Contains(got, want) {
			t.Errorf("the soak's report lacks %q:\n%s", want, got)
		}
	}
	if !regexp.MustCompile(`\d+s +\d+ +[\d.]+ +[\d.]+ +\d+\.\d +\d+\.\d`).MatchString(got) {
		t.Errorf("no progress line with the API's memory:\n%s", got)
	}
}
