package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

// A malformed duration or number in an environment variable fails the
// command at start, with a message that names the variable: it is never
// silently the default.
func TestAMalformedEnvironmentVariableFailsAtStart(t *testing.T) {
	for _, tc := range []struct {
		name, command, variable, value string
	}{
		{"serve wait", "serve", "COOPGRAPH_NEO4J_WAIT", "soon"},
		{"serve query timeout without a unit", "serve", "COOPGRAPH_QUERY_TIMEOUT", "10"},
		{"serve request timeout", "serve", "COOPGRAPH_REQUEST_TIMEOUT", "fast"},
		{"serve slow request", "serve", "COOPGRAPH_SLOW_REQUEST", "2 seconds"},
		{"serve rate limit", "serve", "COOPGRAPH_RATE_LIMIT", "lots"},
		{"serve rate burst", "serve", "COOPGRAPH_RATE_BURST", "2.5"},
		{"serve rate limit loopback", "serve", "COOPGRAPH_RATE_LIMIT_LOOPBACK", "maybe"},
		{"serve seed", "serve", "COOPGRAPH_SEED", "yes please"},
		{"serve JWT lifetime", "serve", "COOPGRAPH_JWT_MAX_LIFETIME", "1 day"},
		{"serve credential rate limit", "serve", "COOPGRAPH_CREDENTIAL_RATE_LIMIT", "1e"},
		{"seed wait", "seed", "COOPGRAPH_NEO4J_WAIT", "a minute"},
		{"export query timeout", "export", "COOPGRAPH_QUERY_TIMEOUT", "-"},
		{"gen wait", "gen", "COOPGRAPH_NEO4J_WAIT", "1x"},
		{"keys list wait", "keys list", "COOPGRAPH_NEO4J_WAIT", "never"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Neo4j is not there: a command that took the default would
			// wait, or serve; this one must fail before it tries.
			env := getenv(map[string]string{tc.variable: tc.value, "NEO4J_URI": "bolt://127.0.0.1:1"})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			var out, errs bytes.Buffer
			err := run(ctx, strings.Fields(tc.command), env, &out, &errs)
			if err == nil || !strings.Contains(err.Error(), tc.variable) || !strings.Contains(err.Error(), tc.value) {
				t.Fatalf("%s with %s=%q: %v; want an error naming the variable and its value", tc.command, tc.variable, tc.value, err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("%s took %v to say its environment is malformed; want it at start", tc.command, took)
			}
		})
	}
}

// A valid value in an environment variable means what the flag's value
// means, zero included, and the command line overrides it.
func TestTheEnvironmentSetsTheFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		got  func(s *serveFlags) any
		want any
	}{
		{"wait", map[string]string{"COOPGRAPH_NEO4J_WAIT": "90s"}, nil, func(s *serveFlags) any { return s.wait }, 90 * time.Second},
		{"no wait limit", map[string]string{"COOPGRAPH_NEO4J_WAIT": "0"}, nil, func(s *serveFlags) any { return s.wait }, time.Duration(0)},
		{"query timeout", map[string]string{"COOPGRAPH_QUERY_TIMEOUT": "3s"}, nil, func(s *serveFlags) any { return s.neo4j.QueryTimeout }, 3 * time.Second},
		{"neo4j uri", map[string]string{"NEO4J_URI": "bolt://db:7687"}, nil, func(s *serveFlags) any { return s.neo4j.URI }, "bolt://db:7687"},
		{"request timeout", map[string]string{"COOPGRAPH_REQUEST_TIMEOUT": "1m"}, nil, func(s *serveFlags) any { return s.http.RequestTimeout }, time.Minute},
		{"slow requests never logged", map[string]string{"COOPGRAPH_SLOW_REQUEST": "0"}, nil, func(s *serveFlags) any { return s.http.SlowRequest }, time.Duration(0)},
		{"rate limit", map[string]string{"COOPGRAPH_RATE_LIMIT": "2.5"}, nil, func(s *serveFlags) any { return s.http.RateLimit.PerSecond }, 2.5},
		{"no rate limit", map[string]string{"COOPGRAPH_RATE_LIMIT": "0"}, nil, func(s *serveFlags) any { return s.http.RateLimit.PerSecond }, 0.0},
		{"rate burst", map[string]string{"COOPGRAPH_RATE_BURST": "7"}, nil, func(s *serveFlags) any { return s.http.RateLimit.Burst }, 7},
		{"loopback limited", map[string]string{"COOPGRAPH_RATE_LIMIT_LOOPBACK": "true"}, nil, func(s *serveFlags) any { return s.http.RateLimit.Loopback }, true},
		{"seed", map[string]string{"COOPGRAPH_SEED": "true"}, nil, func(s *serveFlags) any { return s.seed }, true},
		{"JWT lifetime", map[string]string{"COOPGRAPH_JWT_MAX_LIFETIME": "24h"}, nil, func(s *serveFlags) any { return s.auth.maxLifetime }, 24 * time.Hour},
		{"no credential rate limit", map[string]string{"COOPGRAPH_CREDENTIAL_RATE_LIMIT": "0"}, nil, func(s *serveFlags) any { return s.auth.rate.PerSecond }, 0.0},
		{"read access", map[string]string{"COOPGRAPH_READ_ACCESS": "credential"}, nil, func(s *serveFlags) any { return s.auth.readAccess }, "credential"},
		{"the command line overrides", map[string]string{"COOPGRAPH_NEO4J_WAIT": "90s"}, []string{"-wait", "5s"}, func(s *serveFlags) any { return s.wait }, 5 * time.Second},
		{"unset keeps the default", nil, nil, func(s *serveFlags) any { return s.http.RequestTimeout }, 15 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var s serveFlags
			s.register(fs, func(k string) string { return tc.env[k] })
			if err := parseFlags(fs, func(k string) string { return tc.env[k] }, tc.args); err != nil {
				t.Fatal(err)
			}
			if got := tc.got(&s); got != tc.want {
				t.Errorf("with %v %q: %v; want %v", tc.env, tc.args, got, tc.want)
			}
		})
	}
}

// A command acts on a valid value from the environment: told to wait 1s
// for a Neo4j that is not there, it gives up after about 1s, not after
// its default of a minute.
func TestAWaitFromTheEnvironmentTakesEffect(t *testing.T) {
	for _, args := range [][]string{{"seed"}, {"serve", "-addr", "127.0.0.1:0"}} {
		t.Run(args[0], func(t *testing.T) {
			env := getenv(map[string]string{"COOPGRAPH_NEO4J_WAIT": "1s", "NEO4J_URI": "bolt://127.0.0.1:1"})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			var out, errs bytes.Buffer
			err := run(ctx, args, env, &out, &errs)
			if err == nil || !strings.Contains(err.Error(), "did not answer") {
				t.Fatalf("%s: %v; want Neo4j not answering", args[0], err)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("%s gave up after %v; want about 1s", args[0], took)
			}
		})
	}
}

// A request deadline of zero would cut every request: serve refuses it,
// from the environment as from the command line.
func TestServeRefusesANonPositiveRequestTimeout(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"environment", map[string]string{"COOPGRAPH_REQUEST_TIMEOUT": "0"}, nil},
		{"command line", nil, []string{"-request-timeout", "-1s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), append([]string{"serve"}, tc.args...), getenv(tc.env), &out, &errs)
			if err == nil || !strings.Contains(err.Error(), "-request-timeout must be positive") {
				t.Errorf("serve: %v; want -request-timeout refused", err)
			}
		})
	}
}
