package graph_test

import (
	"fmt"
	"testing"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// Writes and authentication, through HTTP against the real Neo4j:
//
//	go test ./graph -run '^$' -bench 'Write|Read' -count 5
//
// Each op is one request, answered; the seed graph is loaded first.

func BenchmarkReadAnonymous(b *testing.B) { benchRead(b, false) }
func BenchmarkReadWithKey(b *testing.B)   { benchRead(b, true) }

func benchRead(b *testing.B, withKey bool) {
	w := newWriteAPI(b, auth.Config{})
	cred := ""
	if withKey {
		cred = w.keys[coop.RoleReader]
	}
	q := `{ actor(id: "los-lobos") { name version } }`
	b.ResetTimer()
	for b.Loop() {
		if r := apitest.PostAs(b, w.url, cred, q, nil); r.ErrorCode() != "" {
			b.Fatal(r.Raw)
		}
	}
}

// Adds then removes one alias, so that every op changes the entity, bumps
// its version and writes an audit entry.
func BenchmarkWriteAliases(b *testing.B) {
	w := newWriteAPI(b, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	add := `mutation { addAliases(id: "los-lobos", aliases: ["bench alias"], citations: ` + cite + `) { change { seq } } }`
	remove := `mutation { removeAliases(id: "los-lobos", aliases: ["bench alias"], reason: "benchmark") { change { seq } } }`
	i := 0
	b.ResetTimer()
	for b.Loop() {
		q := add
		if i++; i%2 == 0 {
			q = remove
		}
		if r := apitest.PostAs(b, w.url, ed, q, nil); r.ErrorCode() != "" || (r.At("addAliases", "change") == nil && r.At("removeAliases", "change") == nil) {
			b.Fatal(r.Raw)
		}
	}
}

func BenchmarkWriteCreateRelationship(b *testing.B) {
	w := newWriteAPI(b, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	q := `mutation($id: ID!) { createRelationship(input: {id: $id, type: RIVAL_OF, from: "los-lobos", to: "cjng", status: ALLEGED, citations: ` + cite + `}) { created } }`
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		if r := apitest.PostAs(b, w.url, ed, q, map[string]any{"id": fmt.Sprintf("bench-rel-%d", i)}); r.ErrorCode() != "" {
			b.Fatal(r.Raw)
		}
	}
}
