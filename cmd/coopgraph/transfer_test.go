package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/graphfile"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
	"github.com/coopgraph/coopgraph/seed"
)

func runOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(context.Background(), args, getenv(nil), &out, &errs); err != nil {
		t.Fatalf("coopgraph %v: %v\n%s", args, err, errs.String())
	}
	return out.String(), errs.String()
}

// everyField is a small graph, invented for this test, in which every field
// of every record type has a value.
const everyField = "testdata/every-field.jsonl"

// readRecords reads import files as the importer does: the records that go in.
func readRecords(t *testing.T, files ...string) coop.Dataset {
	t.Helper()
	rd := dataset.NewReader()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		rd.Read(name, f)
		f.Close()
	}
	ds, err := rd.Dataset()
	if err != nil {
		t.Fatalf("reading %v: %v", files, err)
	}
	return ds
}

// recordFields lists a record's fields by name, embedded structs flattened,
// leaving out what is not part of the record: versions (the store counts
// changes) and a relationship's end entities (filled by reads).
func recordFields(v any) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	var walk func(reflect.Value)
	walk = func(s reflect.Value) {
		for i := range s.NumField() {
			f, val := s.Type().Field(i), s.Field(i)
			switch {
			case f.Anonymous:
				walk(val)
			case f.Name == "Version" || f.Name == "From" || f.Name == "To":
			default:
				out[f.Name] = val
			}
		}
	}
	walk(reflect.ValueOf(v).Elem())
	return out
}

// diffRecord names each field where got differs from want.
func diffRecord(want, got any) []string {
	if reflect.TypeOf(want) != reflect.TypeOf(got) {
		return []string{fmt.Sprintf("type %T; want %T", got, want)}
	}
	w, g := recordFields(want), recordFields(got)
	var diffs []string
	for name, wv := range w {
		if !reflect.DeepEqual(wv.Interface(), g[name].Interface()) {
			diffs = append(diffs, fmt.Sprintf("%s = %#v; want %#v", name, g[name].Interface(), wv.Interface()))
		}
	}
	sort.Strings(diffs)
	return diffs
}

// compareWithTruth checks that got holds exactly the records of want,
// field by field.
func compareWithTruth(t *testing.T, what string, want, got coop.Dataset) {
	t.Helper()
	gotEntities := map[string]coop.Entity{}
	for _, e := range got.Entities {
		gotEntities[e.EntityID()] = e
	}
	for _, e := range want.Entities {
		g, ok := gotEntities[e.EntityID()]
		if !ok {
			t.Errorf("%s lacks entity %s", what, e.EntityID())
			continue
		}
		for _, d := range diffRecord(e, g) {
			t.Errorf("%s: entity %s: %s", what, e.EntityID(), d)
		}
	}
	gotRels := map[string]*coop.Relationship{}
	for _, r := range got.Relationships {
		gotRels[r.ID] = r
	}
	for _, r := range want.Relationships {
		g, ok := gotRels[r.ID]
		if !ok {
			t.Errorf("%s lacks relationship %s", what, r.ID)
			continue
		}
		for _, d := range diffRecord(r, g) {
			t.Errorf("%s: relationship %s: %s", what, r.ID, d)
		}
	}
	if len(got.Entities) != len(want.Entities) || len(got.Relationships) != len(want.Relationships) {
		t.Errorf("%s holds %d entities and %d relationships; want %d and %d", what,
			len(got.Entities), len(got.Relationships), len(want.Entities), len(want.Relationships))
	}
	gotPassages := map[string]coop.Passage{}
	for _, p := range got.Passages {
		gotPassages[p.Key()] = p
	}
	for _, p := range want.Passages {
		if gotPassages[p.Key()] != p {
			t.Errorf("%s: passage %s is %+v; want %+v", what, p.Key(), gotPassages[p.Key()], p)
		}
	}
	if len(got.Passages) != len(want.Passages) {
		t.Errorf("%s holds %d passages; want %d", what, len(got.Passages), len(want.Passages))
	}
}

// The fixture must give every field a value, or the round trip cannot
// notice a field the store drops: a field added to the domain later fails
// here until the fixture sets it.
func TestEveryFieldFixtureSetsEveryField(t *testing.T) {
	ds := readRecords(t, everyField)
	setByType := map[coop.EntityType]map[string]bool{}
	for _, e := range ds.Entities {
		if setByType[e.EntityType()] == nil {
			setByType[e.EntityType()] = map[string]bool{}
		}
		for name, v := range recordFields(e) {
			if !v.IsZero() {
				setByType[e.EntityType()][name] = true
			}
		}
	}
	for _, typ := range coop.EntityTypes {
		set, ok := setByType[typ]
		if !ok {
			t.Errorf("the fixture has no %s", typ)
			continue
		}
		var some coop.Entity
		for _, e := range ds.Entities {
			if e.EntityType() == typ {
				some = e
			}
		}
		for name := range recordFields(some) {
			// Sources cite nothing and rest on nothing: they are the evidence.
			if !set[name] && !(typ == coop.TypeSource && (name == "Citations" || name == "Inference")) {
				t.Errorf("no %s of the fixture sets %s", typ, name)
			}
		}
	}
	var heading, text, quote, summary bool
	for _, p := range ds.Passages {
		heading, text = heading || p.Heading, text || p.Text != ""
		quote, summary = quote || p.Kind == coop.PassageQuote, summary || p.Kind == coop.PassageSummary
	}
	if !heading || !text || !quote || !summary {
		t.Errorf("the fixture's passages leave a field unset (heading %v, text %v, a quote %v, a summary %v)", heading, text, quote, summary)
	}
	set := map[string]bool{}
	for _, r := range ds.Relationships {
		for name, v := range recordFields(r) {
			if !v.IsZero() {
				set[name] = true
			}
		}
	}
	for name := range recordFields(&coop.Relationship{}) {
		if !set[name] {
			t.Errorf("no relationship of the fixture sets %s", name)
		}
	}
	if !slices.ContainsFunc(ds.Relationships, func(r *coop.Relationship) bool {
		return slices.ContainsFunc(r.Citations, func(c coop.Citation) bool { return c.Status != "" })
	}) {
		t.Errorf("no relationship of the fixture has a citation saying how sure its source is")
	}
}

func TestExportThenImportIntoAnEmptyGraphReproducesIt(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	seedRecords, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	fixture := readRecords(t, everyField)
	truth := coop.Dataset{Entities: append(slices.Clone(seedRecords.Entities), fixture.Entities...),
		Passages:      append(slices.Clone(seedRecords.Passages), fixture.Passages...),
		Relationships: append(slices.Clone(seedRecords.Relationships), fixture.Relationships...)}

	out, _ := runOK(t, "import", "-as", "round-trip-test", everyField)
	records := len(fixture.Entities) + len(fixture.Passages) + len(fixture.Relationships)
	want := fmt.Sprintf("imported %d entities, %d passages and %d relationships (%d created or changed); 0 records rejected",
		len(fixture.Entities), len(fixture.Passages), len(fixture.Relationships), records)
	if !strings.Contains(out, want) {
		t.Errorf("import printed %q; want %q", out, want)
	}
	// The import is in the audit trail: who, what file, what it loaded.
	page, err := store.Changes(ctx, coop.ChangeFilter{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) == 0 {
		t.Fatal("the import left no entry in the audit trail")
	}
	last := page.Changes[len(page.Changes)-1]
	var summary map[string]any
	json.Unmarshal([]byte(last.After), &summary)
	if last.Action != coop.ActionImport || last.Target != coop.TargetGraph || last.Who != "cli:round-trip-test" || last.TargetID != everyField ||
		summary["entities"] != float64(len(fixture.Entities)) || summary["passages"] != float64(len(fixture.Passages)) ||
		summary["relationships"] != float64(len(fixture.Relationships)) ||
		summary["changed"] != float64(records) || summary["rejected"] != float64(0) || summary["complete"] != true {
		t.Errorf("the import's audit entry: %+v", last)
	}

	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	runOK(t, "export", "-o", first)
	compareWithTruth(t, "the export", truth, readRecords(t, first))

	neo4jtest.Reset(t)
	if out, _ := runOK(t, "import", first); !strings.Contains(out, "imported") {
		t.Errorf("import printed %q", out)
	}
	runOK(t, "export", "-o", second)
	compareWithTruth(t, "the export of the imported export", truth, readRecords(t, second))
	neo4jtest.MustHoldCountryTies(t, store) // the country fields came back as ties too
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the re-export differs from the export (%d and %d bytes)", len(a), len(b))
	}

	// The formats for drawing tools hold every entity and relationship, with their ends and kinds.
	runOK(t, "export", "-format", "graphml", "-o", filepath.Join(dir, "g.graphml"))
	runOK(t, "export", "-format", "cytoscape", "-o", filepath.Join(dir, "g.json"))
	checkCytoscape(t, filepath.Join(dir, "g.json"), truth)
	gml, _ := os.ReadFile(filepath.Join(dir, "g.graphml"))
	if got := strings.Count(string(gml), "<edge "); got != len(neo4jtest.Ties(truth)) {
		t.Errorf("GraphML has %d edges; want %d", got, len(neo4jtest.Ties(truth)))
	}
	if got := strings.Count(string(gml), "<node "); got != len(truth.Entities) {
		t.Errorf("GraphML has %d nodes; want %d", got, len(truth.Entities))
	}
	// The CSV export says what it wrote, and imports back into an empty graph as it was.
	entsCSV, relsCSV := filepath.Join(dir, "graph-entities.csv"), filepath.Join(dir, "graph-relationships.csv")
	if _, msg := runOK(t, "export", "-format", "csv", "-o", filepath.Join(dir, "graph.csv")); !strings.Contains(msg, "wrote "+entsCSV+" and "+relsCSV) {
		t.Errorf("the CSV export printed %q; want the files it wrote", msg)
	}
	neo4jtest.Reset(t)
	runOK(t, "import", entsCSV, relsCSV)
	third := filepath.Join(dir, "third.jsonl")
	runOK(t, "export", "-o", third)
	compareWithTruth(t, "the CSV export imported into an empty graph", truth, readRecords(t, third))
	// Importing again changes nothing, and says so.
	nodes, rels, _ := store.Counts(ctx)
	if out, _ := runOK(t, "import", first); !strings.Contains(out, "(0 created or changed)") {
		t.Errorf("a second import printed %q; want 0 created or changed", out)
	}
	if n3, r3, _ := store.Counts(ctx); n3 != nodes || r3 != rels {
		t.Errorf("a second import changed the counts to %d, %d", n3, r3)
	}
}

// checkCytoscape reads a Cytoscape.js export and checks each node and edge
// against the records.
func checkCytoscape(t *testing.T, path string, truth coop.Dataset) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc graphfile.CytoscapeDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the Cytoscape export is not JSON: %v", err)
	}
	if len(doc.Elements.Nodes) != len(truth.Entities) || len(doc.Elements.Edges) != len(neo4jtest.Ties(truth)) {
		t.Errorf("Cytoscape export: %d nodes, %d edges; want %d, %d", len(doc.Elements.Nodes), len(doc.Elements.Edges), len(truth.Entities), len(neo4jtest.Ties(truth)))
	}
	entities := map[string]coop.Entity{}
	for _, e := range truth.Entities {
		entities[e.EntityID()] = e
	}
	for _, n := range doc.Elements.Nodes {
		e, ok := entities[fmt.Sprint(n.Data["id"])]
		if !ok {
			t.Errorf("Cytoscape node %v is no entity", n.Data["id"])
			continue
		}
		if n.Data["name"] != e.EntityBase().Name || n.Data["type"] != string(e.EntityType()) || n.Data["kind"] != coop.KindOf(e) {
			t.Errorf("Cytoscape node %s: name %v, type %v, kind %v; want %q, %s, %s", e.EntityID(), n.Data["name"], n.Data["type"], n.Data["kind"], e.EntityBase().Name, e.EntityType(), coop.KindOf(e))
		}
		if len(n.Data["citations"].([]any)) != len(e.EntityBase().Citations) {
			t.Errorf("Cytoscape node %s has %d citations; want %d", e.EntityID(), len(n.Data["citations"].([]any)), len(e.EntityBase().Citations))
		}
	}
	rels := map[string]*coop.Relationship{}
	for _, r := range neo4jtest.Ties(truth) {
		rels[r.ID] = r
	}
	for _, ed := range doc.Elements.Edges {
		r, ok := rels[fmt.Sprint(ed.Data["id"])]
		if !ok {
			t.Errorf("Cytoscape edge %v is no relationship", ed.Data["id"])
			continue
		}
		str := func(k string) string { s, _ := ed.Data[k].(string); return s } // empty values are left out
		if str("source") != r.FromID || str("target") != r.ToID || str("type") != string(r.Type) ||
			str("status") != string(r.Status) || str("since") != r.Since.String() || str("role") != r.Role {
			t.Errorf("Cytoscape edge %s: %v; want %s -%s-> %s, status %s, since %q, role %q", r.ID, ed.Data, r.FromID, r.Type, r.ToID, r.Status, r.Since, r.Role)
		}
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
{"record":"actor","id":"cites-nothing-there","kind":"PERSON","name":"Nobody","citations":[{"source":"ecuador-pentagon-2025","locator":"¶99"}]}
`), 0o644)
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"import", bad}, getenv(nil), &out, &errs)
	if err == nil {
		t.Fatal("import of a file with bad lines succeeded")
	}
	for _, want := range []string{"bad.jsonl:2: id:", "bad.jsonl:4: type: MEMBER_OF may not end at PERSON",
		`bad.jsonl:5: citations[0].locator: "ecuador-pentagon-2025" has no passage "¶99"`} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, errs.String())
		}
	}
	if n, r, _ := store.Counts(context.Background()); n != nodes || r != rels {
		t.Errorf("a refused import changed the graph: %d, %d; want %d, %d", n, r, nodes, rels)
	}
	// With -skip-invalid the two good lines go in; they refer to entities already in the graph.
	out2, _ := runOK(t, "import", "-skip-invalid", bad)
	if !strings.Contains(out2, "imported 1 entities and 1 relationships (2 created or changed); 3 records rejected") {
		t.Errorf("import -skip-invalid printed %q", out2)
	}
	// The good actor, its country tie and the good relationship.
	if n, r, _ := store.Counts(context.Background()); n != nodes+1 || r != rels+2 {
		t.Errorf("after -skip-invalid: %d, %d; want %d, %d", n, r, nodes+1, rels+2)
	}
}

// export -o never overwrites a file unless told to, and never writes
// through a symbolic link, told or not.
func TestExportLeavesOtherFilesAlone(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	dir := t.TempDir()
	target, link, kept := filepath.Join(dir, "graph.jsonl"), filepath.Join(dir, "link.jsonl"), filepath.Join(dir, "precious")
	if err := os.WriteFile(kept, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(kept, link); err != nil {
		t.Fatal(err)
	}
	runOK(t, "export", "-o", target)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"an existing file", []string{"export", "-o", target}},
		{"through a link", []string{"export", "-o", link}},
		{"through a link with -force", []string{"export", "-force", "-o", link}},
		{"GraphML through a link", []string{"export", "-format", "graphml", "-o", link}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if err := run(context.Background(), tc.args, getenv(nil), &out, &errs); err == nil {
				t.Errorf("coopgraph %v succeeded", tc.args)
			}
		})
	}
	if b, _ := os.ReadFile(kept); string(b) != "keep me" {
		t.Errorf("the file behind the link was overwritten: %.40q", b)
	}
	runOK(t, "export", "-force", "-o", target)
}

// After a storm of concurrent creates, half of them racing for the same
// ids with different types, the export imports into an empty graph.
func TestAnExportAfterAStormOfWritesImports(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	key, _, err := auth.IssueKey(context.Background(), store, "storm", coop.RoleEditor, coop.Principal{Name: "test", Via: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := apitest.Start(t, store, server.DefaultConfig(logger))
	create := `mutation($id: ID!, $type: RelationType!) { createRelationship(input: {id: $id, type: $type, from: "los-lobos", to: "cjng",
	  status: REPORTED, citations: [{source: "ecuador-pentagon-2025", locator: "¶9"}]}) { created } }`
	var wg sync.WaitGroup
	for i := range 30 {
		for _, typ := range []string{"SUPPORTS", "RIVAL_OF"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				apitest.Do(apitest.Request{URL: srv.URL + "/graphql", Credential: key, Query: create,
					Variables: map[string]any{"id": fmt.Sprintf("storm-%d", i), "type": typ}})
			}()
		}
	}
	wg.Wait()
	file := filepath.Join(t.TempDir(), "after-the-storm.jsonl")
	runOK(t, "export", "-o", file)
	exported := readRecords(t, file)
	storm := 0
	for _, r := range exported.Relationships {
		if strings.HasPrefix(r.ID, "storm-") {
			storm++
		}
	}
	if storm != 30 {
		t.Errorf("the export holds %d storm ties; want 30, one per id", storm)
	}
	neo4jtest.Reset(t)
	if out, _ := runOK(t, "import", file); !strings.Contains(out, "0 records rejected") {
		t.Errorf("importing the export into an empty graph: %s", out)
	}
}

// The export's -network flags keep the API's bounds: coop.NewNetworkQuery
// holds them for both.
func TestExportNetworkFlagsKeepTheAPIsBounds(t *testing.T) {
	for name, c := range map[string]struct {
		ids                   string
		depth, limit, perNode int
		says                  string // "" when the flags stand
	}{
		"the most of each": {"los-choneros", coop.NetworkDepth.Max, coop.NetworkSize.Max, coop.NetworkPerNode.Max, ""},
		"too deep":         {"los-choneros", coop.NetworkDepth.Max + 1, 10, 10, "-depth must be between 1 and 3"},
		"too large":        {"los-choneros", 1, coop.NetworkSize.Max + 1, 10, "-limit must be between 1 and 2000"},
		"too many ties":    {"los-choneros", 1, 10, coop.NetworkPerNode.Max + 1, "-per-node must be between 1 and 500"},
		"not an id":        {"Los Choneros", 1, 10, 10, `-network: "Los Choneros" is not an entity id`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := networkQuery(c.ids, "", c.depth, c.limit, c.perNode)
			switch {
			case c.says == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.says != "" && (err == nil || !strings.Contains(err.Error(), c.says)):
				t.Errorf("got %v; want an error saying %q", err, c.says)
			}
		})
	}
}
