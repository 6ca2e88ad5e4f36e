package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

func runOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(context.Background(), args, getenv(nil), &out, &errs); err != nil {
		t.Fatalf("coopgraph %v: %v\n%s", args, err, errs.String())
	}
	return out.String(), errs.String()
}

func TestExportThenImportIntoAnEmptyGraphReproducesIt(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	runOK(t, "export", "-o", first)
	nodes, rels, err := store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	neo4jtest.Reset(t)
	out, _ := runOK(t, "import", first)
	if !strings.Contains(out, "imported") {
		t.Errorf("import printed %q", out)
	}
	n2, r2, err := store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n2 != nodes || r2 != rels {
		t.Errorf("after the round trip: %d entities, %d relationships; want %d, %d", n2, r2, nodes, rels)
	}
	runOK(t, "export", "-o", second)
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the re-export differs from the export (%d and %d bytes)", len(a), len(b))
	}
	// The formats for drawing tools hold every entity and relationship too.
	runOK(t, "export", "-format", "graphml", "-o", filepath.Join(dir, "g.graphml"))
	runOK(t, "export", "-format", "cytoscape", "-o", filepath.Join(dir, "g.json"))
	runOK(t, "export", "-format", "csv", "-o", filepath.Join(dir, "g"))
	gml, _ := os.ReadFile(filepath.Join(dir, "g.graphml"))
	cy, _ := os.ReadFile(filepath.Join(dir, "g.json"))
	edgesCSV, _ := os.ReadFile(filepath.Join(dir, "g-edges.csv"))
	if got := int64(strings.Count(string(gml), "<edge ")); got != rels {
		t.Errorf("GraphML has %d edges; want %d", got, rels)
	}
	if got := int64(strings.Count(string(gml), "<node ")); got != nodes {
		t.Errorf("GraphML has %d nodes; want %d", got, nodes)
	}
	if got := int64(strings.Count(string(edgesCSV), "\n")) - 1; got != rels {
		t.Errorf("edges CSV has %d rows; want %d", got, rels)
	}
	if !strings.Contains(string(cy), `"elements"`) {
		t.Errorf("Cytoscape export lacks elements")
	}
	// Importing again changes nothing, and says so.
	if out, _ := runOK(t, "import", first); !strings.Contains(out, "(0 created or changed)") {
		t.Errorf("a second import printed %q; want 0 created or changed", out)
	}
	if n3, r3, _ := store.Counts(context.Background()); n3 != nodes || r3 != rels {
		t.Errorf("a second import changed the counts to %d, %d", n3, r3)
	}
}

func TestImportOfABadFileReportsEachLineAndChangesNothing(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	nodes, rels, _ := store.Counts(context.Background())
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"record":"actor","id":"new-group","kind":"CRIMINAL_GROUP","name":"New Group","country":"ecuador","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
{"record":"actor","id":"Bad Id","kind":"PERSON","name":"X","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
{"record":"relationship","id":"new-group-rival-of-los-lobos","type":"RIVAL_OF","from":"new-group","to":"los-lobos","status":"ALLEGED","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
{"record":"relationship","id":"bad-rel","type":"MEMBER_OF","from":"ecuador","to":"daniel-noboa","status":"REPORTED","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
`), 0o644)
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"import", bad}, getenv(nil), &out, &errs)
	if err == nil {
		t.Fatal("import of a file with bad lines succeeded")
	}
	for _, want := range []string{"bad.jsonl:2: id:", "bad.jsonl:4: type: MEMBER_OF may not end at PERSON"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, errs.String())
		}
	}
	if n, r, _ := store.Counts(context.Background()); n != nodes || r != rels {
		t.Errorf("a refused import changed the graph: %d, %d; want %d, %d", n, r, nodes, rels)
	}
	// With -skip-invalid the two good lines go in; they refer to entities already in the graph.
	out2, _ := runOK(t, "import", "-skip-invalid", bad)
	if !strings.Contains(out2, "imported 1 entities and 1 relationships (2 created or changed); 2 records rejected") {
		t.Errorf("import -skip-invalid printed %q", out2)
	}
	if n, r, _ := store.Counts(context.Background()); n != nodes+1 || r != rels+1 {
		t.Errorf("after -skip-invalid: %d, %d; want %d, %d", n, r, nodes+1, rels+1)
	}
}
