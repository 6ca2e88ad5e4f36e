package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// -h on any command prints its usage and exits 0; version names the build.
func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"serve", "seed", "gen", "bench", "export", "import", "keys"} {
		t.Run(cmd, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), []string{cmd, "-h"}, getenv(nil), &out, &errs)
			if code := exitCode(err); code != 0 {
				t.Errorf("%s -h exits %d (%v)", cmd, code, err)
			}
			usage := out.String() + errs.String()
			if strings.Contains(usage, "unknown") || !strings.Contains(usage, "-") {
				t.Errorf("%s -h printed %q", cmd, usage)
			}
			if cmd != "keys" && !strings.Contains(usage, "-wait") {
				t.Errorf("%s -h lists no -wait: every command that needs Neo4j takes one", cmd)
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, getenv(nil), &out, &out); err != nil || !strings.HasPrefix(out.String(), "coopgraph ") ||
		!strings.Contains(out.String(), "built with go1.") {
		t.Errorf("version: %v %q", err, out.String())
	}
	if code := exitCode(errors.New("failed")); code != 1 {
		t.Errorf("a failure exits %d", code)
	}
}

// A wrong password is said at once, as what it is: no waiting, no retries
// (which would trip Neo4j's authentication rate limit).
func TestAWrongPasswordIsSaidAtOnce(t *testing.T) {
	neo4jtest.MustOpen(t)
	wrong := getenv(map[string]string{"NEO4J_PASSWORD": "not-the-password"})
	for _, args := range [][]string{{"seed"}, {"serve", "-addr", "127.0.0.1:0"}} {
		t.Run(args[0], func(t *testing.T) {
			var out, errs bytes.Buffer
			start := time.Now()
			err := run(context.Background(), args, wrong, &out, &errs)
			if !errors.Is(err, neo4jstore.ErrCredentials) || time.Since(start) > 10*time.Second {
				t.Errorf("%s with a wrong password: %v after %v; want the credentials refused at once", args[0], err, time.Since(start))
			}
			if n := strings.Count(errs.String(), "waiting for Neo4j"); n > 0 {
				t.Errorf("%s waited for Neo4j with a wrong password:\n%s", args[0], errs.String())
			}
		})
	}
	// The right one still works: nothing was locked out.
	store := neo4jtest.MustOpen(t)
	if err := store.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Messages meant for people carry no Go names; import refuses what it
// cannot tell the format of.
func TestMessagesSpeakToPeople(t *testing.T) {
	neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"keys", "revoke", "nobody-has-this-key"}, getenv(nil), &out, &errs)
	if err == nil || describe(err) != `id: there is no key "nobody-has-this-key"` {
		t.Errorf("revoking an unknown key says %q", describe(err))
	}
	file := filepath.Join(t.TempDir(), "records.json")
	os.WriteFile(file, []byte(`{"record":"source","id":"s","title":"S","kind":"NEWS"}`+"\n"), 0o644)
	err = run(context.Background(), []string{"import", file}, getenv(nil), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), ".jsonl") || !strings.Contains(err.Error(), "records.json") {
		t.Errorf("importing a .json file: %v; want a refusal naming the formats", err)
	}
	if has, _ := neo4jtest.MustOpen(t).Contents(context.Background()); has.Entities != 0 {
		t.Errorf("the refused import wrote %d entities", has.Entities)
	}
}

// A coded error reads as its field and message; where that alone would not
// tell an operator what went wrong (unavailable, internal, timeout), its
// cause goes with it.
func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"not found", fmt.Errorf("neo4jstore.RevokeKey: %w", coop.NotFoundf("id", "there is no key %q", "k")), `id: there is no key "k"`},
		{"unavailable", fmt.Errorf("neo4jstore.Ping: %w", coop.Unavailable(errors.New("Neo.ClientError.Database.DatabaseNotFound"))),
			"the graph database is unavailable; try again shortly (Neo.ClientError.Database.DatabaseNotFound)"},
		{"uncoded", errors.New("plain"), "plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := describe(tc.err); got != tc.want {
				t.Errorf("describe(%v) = %q; want %q", tc.err, got, tc.want)
			}
		})
	}
}

// A record that gives an entity another type takes its country tie away
// with the old type.
func TestAnImportThatChangesATypeDropsTheCountryTie(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	dir := t.TempDir()
	actor, event := filepath.Join(dir, "actor.jsonl"), filepath.Join(dir, "event.jsonl")
	os.WriteFile(actor, []byte(`{"record":"actor","id":"banda-retipada","kind":"CRIMINAL_GROUP","name":"Banda","country":"ecuador","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
`), 0o644)
	os.WriteFile(event, []byte(`{"record":"event","id":"banda-retipada","eventType":"VIOLENCE_WAVE","name":"Banda, an event after all","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
`), 0o644)
	runOK(t, "import", actor)
	if got, _ := store.Entities(context.Background(), []string{"banda-retipada"}); coop.CountryOf(got["banda-retipada"]) != "ecuador" {
		t.Fatalf("the actor was not imported with its country: %+v", got)
	}
	runOK(t, "import", event)
	got, _ := store.Entities(context.Background(), []string{"banda-retipada"})
	if got["banda-retipada"] == nil || got["banda-retipada"].EntityType() != coop.TypeEvent {
		t.Fatalf("the record did not change the type: %+v", got)
	}
	neo4jtest.MustHoldCountryTies(t, store)
}
