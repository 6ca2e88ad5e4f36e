package graph_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/importer"
)

var citationIndex = regexp.MustCompile(`^citations\[\d+\]\.(source|locator)$`)

// TestWritesAndImportsKeepOneRule writes the same faulty record through the
// API and through an import, against the same seeded graph: each rule lives
// in one place, so both must refuse it on the same field with the same
// words (a write looks "in the graph", an import among the lines before),
// and neither may change anything.
func TestWritesAndImportsKeepOneRule(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	before := w.snapshot(t)
	const okCite = `{"source": "ecuador-pentagon-2025", "locator": "¶2"}`
	for name, c := range map[string]struct{ mutation, line string }{
		"every fact is cited": {
			`mutation { createActor(input: {id: "banda-x", name: "Banda X", kind: CRIMINAL_GROUP, citations: []}) { created } }`,
			`{"record": "actor", "id": "banda-x", "name": "Banda X", "kind": "CRIMINAL_GROUP"}`},
		"a citation names a source": {
			`mutation { createActor(input: {id: "banda-x", name: "Banda X", kind: CRIMINAL_GROUP, citations: [{source: "los-lobos", locator: "¶2"}]}) { created } }`,
			`{"record": "actor", "id": "banda-x", "name": "Banda X", "kind": "CRIMINAL_GROUP", "citations": [{"source": "los-lobos", "locator": "¶2"}]}`},
		"a citation names one of its source's passages": {
			`mutation { createActor(input: {id: "banda-x", name: "Banda X", kind: CRIMINAL_GROUP, citations: [{source: "ecuador-pentagon-2025", locator: "¶99"}]}) { created } }`,
			`{"record": "actor", "id": "banda-x", "name": "Banda X", "kind": "CRIMINAL_GROUP", "citations": [{"source": "ecuador-pentagon-2025", "locator": "¶99"}]}`},
		"a country is a COUNTRY actor": {
			`mutation { createActor(input: {id: "banda-x", name: "Banda X", kind: CRIMINAL_GROUP, country: "los-lobos", citations: ` + cite + `}) { created } }`,
			`{"record": "actor", "id": "banda-x", "name": "Banda X", "kind": "CRIMINAL_GROUP", "country": "los-lobos", "citations": [` + okCite + `]}`},
		"no entity is its own country": {
			`mutation { createActor(input: {id: "banda-x", name: "Banda X", kind: CRIMINAL_GROUP, country: "banda-x", citations: ` + cite + `}) { created } }`,
			`{"record": "actor", "id": "banda-x", "name": "Banda X", "kind": "CRIMINAL_GROUP", "country": "banda-x", "citations": [` + okCite + `]}`},
		"a relationship's ends exist": {
			`mutation { createRelationship(input: {type: RIVAL_OF, from: "nobody-at-all", to: "los-lobos", status: REPORTED, citations: ` + cite + `}) { created } }`,
			`{"record": "relationship", "type": "RIVAL_OF", "from": "nobody-at-all", "to": "los-lobos", "status": "REPORTED", "citations": [` + okCite + `]}`},
		"a relationship's ends suit its type": {
			`mutation { createRelationship(input: {type: OPERATES_IN, from: "los-lobos", to: "los-choneros", status: REPORTED, citations: ` + cite + `}) { created } }`,
			`{"record": "relationship", "type": "OPERATES_IN", "from": "los-lobos", "to": "los-choneros", "status": "REPORTED", "citations": [` + okCite + `]}`},
		"a relationship joins two": {
			`mutation { createRelationship(input: {type: RIVAL_OF, from: "los-lobos", to: "los-lobos", status: REPORTED, citations: ` + cite + `}) { created } }`,
			`{"record": "relationship", "type": "RIVAL_OF", "from": "los-lobos", "to": "los-lobos", "status": "REPORTED", "citations": [` + okCite + `]}`},
	} {
		t.Run(name, func(t *testing.T) {
			r := w.as(t, ed, c.mutation, nil)
			if r.ErrorCode() != "BAD_USER_INPUT" {
				t.Fatalf("the write was not refused as bad input: %s", r.Raw)
			}
			wrote, _ := r.Errors[0].Extensions["argument"].(string)
			said := strings.TrimPrefix(r.Errors[0].Message, wrote+": ")
			said = strings.ReplaceAll(said, coop.InTheGraph, coop.OnAnEarlierLine)

			lines, errs := dataset.JSONLines("rule.jsonl", strings.NewReader(c.line+"\n"))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			rep, err := importer.Import(context.Background(), w.store, lines, importer.Options{Name: "rule.jsonl"})
			if err == nil || len(rep.Problems) == 0 {
				t.Fatalf("the import was not refused: %+v, %v", rep, err)
			}
			p := rep.Problems[0]
			// An import names a citation by its index in the line; a write, whose
			// evidence joins the stored citations, names its argument.
			field := citationIndex.ReplaceAllString(p.Field, "citations")
			if field != wrote || p.Msg != said {
				t.Errorf("the write refused %s: %q; the import %s: %q", wrote, said, p.Field, p.Msg)
			}
		})
	}
	w.mustBeUnchanged(t, before, "refused writes and imports")
}
