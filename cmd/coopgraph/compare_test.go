package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/peer"
)

// Bad flags are refused before anything starts: no Node.js, npm or Neo4j
// is needed to say so.
func TestCompareRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no clients", []string{"-clients", "0"}, "-clients must be between 1 and 256"},
		{"too many clients", []string{"-clients", "300"}, "-clients must be between 1 and 256"},
		{"no rounds", []string{"-rounds", "0"}, "-rounds must be at least 1"},
		{"short duration", []string{"-duration", "10ms"}, "-duration must be at least 100ms"},
		{"negative warmup", []string{"-warmup", "-1s"}, "-warmup must not be negative"},
		{"no samples", []string{"-samples", "0"}, "-samples must be at least 1"},
		{"few nodes", []string{"-nodes", "10"}, "-nodes must be at least 500"},
		{"short timeout", []string{"-timeout", "10ms"}, "-timeout must be at least 1s"},
		{"an argument", []string{"extra"}, "compare takes no arguments"},
		{"no Node.js", []string{"-node", "/nonexistent/node"}, "the peer needs Node.js 20 or later"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), append([]string{"compare"}, tc.args...), getenv(nil), &out, &errs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("compare %q: %v, want %q", tc.args, err, tc.want)
			}
			if out.Len() > 0 {
				t.Errorf("compare %q wrote %q", tc.args, out.String())
			}
		})
	}
}

func TestCompareHelpSaysWhatTheDatabaseMustHold(t *testing.T) {
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"compare", "-h"}, getenv(nil), &out, &errs)
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Fatalf("compare -h: %v", err)
	}
	for _, want := range []string{"NEO4J_URI", "coopgraph gen -nodes N -seed S", "@neo4j/graphql", "npm ci --ignore-scripts", "-clients", "-duration", "-rounds"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("compare -h does not mention %q:\n%s", want, errs.String())
		}
	}
}

func TestCompareReportHasVersionsCommandAndTable(t *testing.T) {
	o := compareOptions{nodes: 100000, seed: 1, clients: 16, rounds: 3, duration: 10 * time.Second, warmup: 3 * time.Second, samples: 5}
	round := peer.Round{OK: 500, Elapsed: time.Second, Latencies: []time.Duration{4 * time.Millisecond, 6 * time.Millisecond}}
	var b bytes.Buffer
	writeComparison(&b, comparisonReport{
		When: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), Args: []string{"-duration", "3s", "-only", "network depth"}, Cores: 2, Options: o,
		Coopgraph: "coopgraph v1 built with go1.26", Peer: "@neo4j/graphql 7.6.3 on Node.js v20.20.2", Neo4j: "Neo4j Kernel 5.26.30 community",
		Hub: "gen-country-500", CoopgraphRSS: 66 << 20, PeerRSS: 242 << 20,
		Rows: []peer.Row{{Name: "actor by id", Coopgraph: peer.Side{Rounds: []peer.Round{round}}, Peer: peer.Side{Rounds: []peer.Round{round}},
			How: "generated `actors(where: {id: {eq}})`"}},
	})
	got := b.String()
	for _, want := range []string{
		"## coopgraph and @neo4j/graphql on the same Neo4j (100,000 nodes)",
		"Measured 2026-11-30 09:00 UTC on 2 cores",
		"- peer: @neo4j/graphql 7.6.3 on Node.js v20.20.2",
		"- database: Neo4j Kernel 5.26.30 community, holding `coopgraph gen -nodes 100000 -seed 1` (hub: gen-country-500)",
		"16 clients; per scenario, 3s of warm-up on each server, then 3 rounds of 10s on each",
		"coopgraph compare -duration 3s -only 'network depth'\n",
		"| actor by id | 500 | 500 | 1.00 | 6.00 ms | 6.00 ms | 6.00 ms | 6.00 ms | 1.00 | 0 / 0 | 0 / 0 |",
		"coopgraph serve 66 MB, the peer (node) 242 MB",
		"\n- actor by id: generated `actors(where: {id: {eq}})`\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
}

// Both servers get compare's Neo4j settings, whatever the environment held,
// and coopgraph serve neither seeds (a write) nor asks for credentials.
func TestCompareServersGetItsNeo4jSettingsOnly(t *testing.T) {
	env := serverEnv([]string{"PATH=/bin", "NEO4J_URI=bolt://elsewhere:7687", "NEO4J_DATABASE=other", "COOPGRAPH_SEED=true",
		"COOPGRAPH_READ_ACCESS=credential", "HOME=/root"},
		neo4jstore.Config{URI: "bolt://127.0.0.1:7688", User: "neo4j", Password: "pw", QueryTimeout: 10 * time.Second})
	want := []string{"PATH=/bin", "HOME=/root", "NEO4J_URI=bolt://127.0.0.1:7688", "NEO4J_USER=neo4j", "NEO4J_PASSWORD=pw",
		"COOPGRAPH_SEED=false", "COOPGRAPH_READ_ACCESS=open", "COOPGRAPH_QUERY_TIMEOUT=10s"}
	if !slices.Equal(env, want) {
		t.Errorf("serverEnv = %q, want %q", env, want)
	}
}

func TestCompareQuotesTheCommandAsAShellWould(t *testing.T) {
	if got := quoteArgs([]string{"-only", "search (a person's full name)", "-duration", "3s", ""}); got != ` -only 'search (a person'\''s full name)' -duration 3s ''` {
		t.Errorf("quoteArgs = %s", got)
	}
	if got := thousands(1000000); got != "1,000,000" {
		t.Errorf("thousands = %s", got)
	}
}
