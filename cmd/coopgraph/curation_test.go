package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/seed"
)

var seedLines = seed.Lines

func TestKeysAreShownOnceStoredAsHashesAndRevocable(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	out, msg := runOK(t, "keys", "create", "--name", "alice", "--role", "editor")
	key := strings.TrimSpace(out)
	if !strings.HasPrefix(key, auth.KeyPrefix) || strings.Contains(msg, key) {
		t.Fatalf("keys create printed %q on stdout and %q on stderr", out, msg)
	}
	// The key works, and names alice.
	a := auth.New(auth.Config{}, store)
	p, err := a.Authenticate(ctx, key)
	if err != nil || p.Name != "alice" || p.Role != coop.RoleEditor {
		t.Fatalf("Authenticate(new key) = %+v, %v", p, err)
	}
	// Neo4j holds its hash, never the key.
	cfg := neo4jtest.Config(t)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, "MATCH (k:ApiKey) RETURN properties(k) AS p", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range res.Records {
		if s := fmt.Sprint(rec.Values[0]); strings.Contains(s, key) || strings.Contains(s, strings.TrimPrefix(key, auth.KeyPrefix)) {
			t.Errorf("a stored key node holds the key: %s", s)
		}
	}
	list, _ := runOK(t, "keys", "list")
	if !strings.Contains(list, "alice") || strings.Contains(list, key) {
		t.Errorf("keys list: %s", list)
	}
	// A second valid key of the same name is refused: the audit trail names one holder.
	var o, e bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "-name", "alice", "-role", "admin"}, getenv(nil), &o, &e); err == nil || coop.ErrorCode(err) != coop.CodeConflict {
		t.Errorf("a second key named alice: %v", err)
	}
	runOK(t, "keys", "revoke", "alice")
	var invalid *auth.ErrInvalid
	if _, err := a.Authenticate(ctx, key); !errors.As(err, &invalid) {
		t.Errorf("a revoked key still authenticates: %v", err)
	}
	// A bad role is refused with a clear message.
	if err := run(ctx, []string{"keys", "create", "-name", "bob", "-role", "superuser"}, getenv(nil), &o, &e); err == nil || !strings.Contains(err.Error(), "not a role") {
		t.Errorf("a bad role: %v", err)
	}
}

func TestCSVImportLoadsEntitiesThenRelationshipsAndReportsBadRowsByLine(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	nodes, rels, _ := store.Counts(ctx)
	dir := t.TempDir()
	entities := filepath.Join(dir, "entities.csv")
	relationships := filepath.Join(dir, "relationships.csv")
	os.WriteFile(entities, []byte(`record,id,name,kind,aliases,country,citations
actor,banda-del-puerto,Banda del Puerto,CRIMINAL_GROUP,Los del Puerto|BDP,ecuador,ecuador-pentagon-2025 ¶2
place,puerto-test,Puerto Test,PORT,,ecuador,ecuador-pentagon-2025 ¶2
`), 0o644)
	os.WriteFile(relationships, []byte(`type,from,to,status,since,citations,id
OPERATES_IN,banda-del-puerto,puerto-test,REPORTED,2024,ecuador-pentagon-2025 ¶2,bdp-operates-in-puerto
ALLIED_WITH,banda-del-puerto,los-lobos,ALLEGED,,ecuador-pentagon-2025 ¶3,bdp-allied-with-lobos
`), 0o644)
	out, _ := runOK(t, "import", entities, relationships)
	if !strings.Contains(out, "imported 2 entities and 2 relationships (4 created or changed)") {
		t.Errorf("import printed %q", out)
	}
	// Two relationships, and the two entities' country ties.
	if n, r, _ := store.Counts(ctx); n != nodes+2 || r != rels+4 {
		t.Errorf("after the CSV import: %d, %d; want %d, %d", n, r, nodes+2, rels+4)
	}
	got, err := store.Entities(ctx, []string{"banda-del-puerto"})
	if err != nil || len(got) != 1 || strings.Join(got["banda-del-puerto"].EntityBase().Aliases, "|") != "Los del Puerto|BDP" {
		t.Errorf("imported entity: %+v, %v", got, err)
	}
	if out, _ := runOK(t, "import", entities, relationships); !strings.Contains(out, "(0 created or changed)") {
		t.Errorf("a second CSV import printed %q", out)
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(`record,id,name,kind,value,citations
actor,good-one,Good One,CRIMINAL_GROUP,,ecuador-pentagon-2025 ¶2
actor,bad-kind,Bad Kind,GANGSTERS,,ecuador-pentagon-2025 ¶2
statistic,bad-value,Bad Value,,lots,ecuador-pentagon-2025 ¶2
actor,no-cite,No Cite,CARTEL,,
`), 0o644)
	var o, e bytes.Buffer
	if err := run(ctx, []string{"import", bad}, getenv(nil), &o, &e); err == nil {
		t.Fatal("a CSV file with bad rows was imported")
	}
	for _, want := range []string{"bad.csv:3: kind:", "bad.csv:4: value:", "bad.csv:5: citations:"} {
		if !strings.Contains(e.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, e.String())
		}
	}
	if n, _, _ := store.Counts(ctx); n != nodes+2 {
		t.Errorf("a refused CSV import changed the graph")
	}
}

func TestNetworkExportImportsIntoAnEmptyGraph(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "lobos.jsonl")
	_, msg := runOK(t, "export", "-network", "los-lobos", "-depth", "1", "-o", file)
	var entities, passages, relationships int
	if _, err := fmt.Sscanf(msg[strings.Index(msg, "exported"):], "exported %d entities, %d passages and %d relationships", &entities, &passages, &relationships); err != nil {
		t.Fatalf("export printed %q", msg)
	}
	if passages == 0 {
		t.Errorf("the network export holds no passages of its sources")
	}
	net, err := store.Network(ctx, coop.NetworkQuery{IDs: []string{"los-lobos"}, Depth: 1, Limit: coop.MaxNetworkSize, PerNode: 500})
	if err != nil {
		t.Fatal(err)
	}
	ties := 0 // the network's edges but country ties, which the records carry as fields
	for _, e := range net.Edges {
		if e.Type != coop.RelInCountry {
			ties++
		}
	}
	if relationships != ties || entities < len(net.Nodes) {
		t.Errorf("exported %d entities and %d relationships; the network has %d and %d besides country ties", entities, relationships, len(net.Nodes), ties)
	}
	exported := readRecords(t, file)
	// As a drawing, every node is tied to the rest, but the sources that are
	// there only because the rest cites them, which say so.
	cy := filepath.Join(t.TempDir(), "lobos.json")
	runOK(t, "export", "-network", "los-lobos", "-format", "cytoscape", "-o", cy)
	var doc struct {
		Elements struct {
			Nodes, Edges []struct{ Data map[string]any }
		}
	}
	raw, _ := os.ReadFile(cy)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	tied := map[any]bool{}
	for _, e := range doc.Elements.Edges {
		tied[e.Data["source"]], tied[e.Data["target"]] = true, true
	}
	cited := 0
	for _, n := range doc.Elements.Nodes {
		switch {
		case n.Data["citedOnly"] == true:
			cited++
			if n.Data["type"] != "Source" {
				t.Errorf("%v is marked cited only but is a %v", n.Data["id"], n.Data["type"])
			}
		case !tied[n.Data["id"]]:
			t.Errorf("%v is in the network export, tied to nothing and not a cited source", n.Data["id"])
		}
	}
	if cited == 0 || len(doc.Elements.Nodes) != len(exported.Entities) {
		t.Errorf("the drawing has %d nodes, %d of them cited sources; the records have %d entities", len(doc.Elements.Nodes), cited, len(exported.Entities))
	}
	// A mistyped id is named, and nothing is written.
	var o, e bytes.Buffer
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := run(ctx, []string{"export", "-network", "los-lobos,los-chonero", "-o", bad}, getenv(nil), &o, &e); err == nil ||
		!strings.Contains(err.Error(), `"los-chonero"`) || strings.Contains(err.Error(), `"los-lobos"`) {
		t.Errorf("export -network with an unknown id: %v", err)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("export -network with an unknown id wrote %s", bad)
	}
	neo4jtest.Reset(t)
	runOK(t, "import", file)
	if n, r, _ := store.Counts(ctx); n != int64(entities) || r != int64(len(neo4jtest.Ties(exported))) {
		t.Errorf("after importing the selection: %d, %d; want %d, %d (its relationships and country ties)", n, r, entities, len(neo4jtest.Ties(exported)))
	}
	again, err := store.Network(ctx, coop.NetworkQuery{IDs: []string{"los-lobos"}, Depth: 1, Limit: coop.MaxNetworkSize, PerNode: 500})
	if err != nil || len(again.Edges) != len(net.Edges) || len(again.Nodes) != len(net.Nodes) {
		t.Errorf("the imported network has %d nodes and %d edges; want %d and %d (%v)", len(again.Nodes), len(again.Edges), len(net.Nodes), len(net.Edges), err)
	}
	// What came back is what the seed says, field by field: ends, dates, status, evidence.
	truth, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	rels := map[string]*coop.Relationship{}
	for _, r := range neo4jtest.Ties(truth) {
		rels[r.ID] = r
	}
	records := map[string]coop.Entity{}
	for _, e := range truth.Entities {
		records[e.EntityID()] = e
	}
	for _, e := range again.Edges {
		for _, d := range diffRecord(rels[e.ID], e) {
			t.Errorf("imported relationship %s: %s", e.ID, d)
		}
	}
	for _, n := range again.Nodes {
		for _, d := range diffRecord(records[n.EntityID()], n) {
			t.Errorf("imported entity %s: %s", n.EntityID(), d)
		}
	}
}

func TestSeedingAgainNeverUndoesEdits(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	ctx := context.Background()
	runOK(t, "seed")
	ed := coop.Edit{Author: coop.Principal{Name: "test", Role: coop.RoleEditor, Via: "cli"},
		Citations: []coop.Citation{{SourceID: "us-treasury-2024-06-06-los-lobos", Locator: "B1"}}, Reason: "test"}
	// An editor renames Los Lobos, deletes a tie, and merges a duplicate away.
	_, err := store.UpdateEntity(ctx, "los-lobos", 0, coop.ActionUpdate, func(e coop.Entity) (coop.Entity, error) {
		e.EntityBase().Description = "edited by an editor"
		return e, nil
	}, ed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.DeleteRelationship(ctx, "los-lobos-worked-for-los-choneros", 0, ed); err != nil {
		t.Fatal(err)
	}
	if _, err := store.MergeEntities(ctx, "sinaloa-cartel", "cjng", ed); err != nil { // wrong, but an editor's call
		t.Fatal(err)
	}
	// tieStaysDeleted: a new seed version only adds what is missing, and the
	// deleted tie is missing; the same seed is not loaded at all.
	check := func(when string, tieStaysDeleted bool) {
		t.Helper()
		got, err := store.Entities(ctx, []string{"los-lobos", "cjng"})
		if err != nil {
			t.Fatal(err)
		}
		if d := got["los-lobos"].EntityBase().Description; d != "edited by an editor" {
			t.Errorf("%s: the edited description is %q", when, d)
		}
		if id := got["cjng"].EntityID(); id != "sinaloa-cartel" {
			t.Errorf("%s: the merged-away cjng came back as %q", when, id)
		}
		n, err := store.Run(ctx, neo4jstore.Statement{Cypher: `MATCH ()-[r:WORKED_FOR {id: "los-lobos-worked-for-los-choneros"}]->() RETURN r`})
		if err != nil || (tieStaysDeleted && n != 0) {
			t.Errorf("%s: the deleted tie came back (%v)", when, err)
		}
	}
	// Restarting with the same seed loads nothing.
	out, _ := runOK(t, "seed")
	if !strings.Contains(out, "loaded before") {
		t.Errorf("seeding again printed %q", out)
	}
	check("after seeding again", true)
	// A new version of the seed only adds what is missing: edits and merges stay.
	lines, err := seedLines()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Import(ctx, store, lines, importer.Options{AddOnly: true, Who: ed.Author})
	if err != nil {
		t.Fatalf("add-only import: %v %v", err, rep.Problems)
	}
	check("after an add-only load", false)
}

func TestImportCitesStoredEntitiesUnderTheirLockAndRefusesMergedIDs(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	who := coop.Edit{Author: coop.Principal{Name: "test", Role: coop.RoleEditor, Via: "cli"}, Reason: "duplicate"}
	if _, err := store.MergeEntities(ctx, "los-lobos", "los-choneros", who); err != nil { // wrong, but it makes a merged id
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "more.jsonl")
	os.WriteFile(file, []byte(`{"record":"cite","id":"cjng","aliases":["Cártel Jalisco"],"citations":[{"source":"ecuador-pentagon-2025","locator":"¶6"}]}
`), 0o644)
	runOK(t, "import", "-as", "importer-test", file)
	got, err := store.Entities(ctx, []string{"cjng"})
	if err != nil || !slices.Contains(got["cjng"].EntityBase().Aliases, "Cártel Jalisco") ||
		!slices.Contains(got["cjng"].EntityBase().Citations, coop.Citation{SourceID: "ecuador-pentagon-2025", Locator: "¶6"}) {
		t.Fatalf("the cite record did not reach the stored entity: %+v %v", got["cjng"], err)
	}
	page, err := store.Changes(ctx, coop.ChangeFilter{EntityID: "cjng", First: 10})
	if err != nil || len(page.Changes) != 1 || page.Changes[0].Who != "cli:importer-test" || page.Changes[0].Action != coop.ActionUpdate {
		t.Errorf("the cite's audit entry: %+v %v", page.Changes, err)
	}
	bad := filepath.Join(dir, "merged.jsonl")
	os.WriteFile(bad, []byte(`{"record":"actor","id":"los-choneros","kind":"CRIMINAL_GROUP","name":"Los Choneros","citations":[{"source":"ecuador-pentagon-2025","locator":"¶2"}]}
`), 0o644)
	nodes, rels, _ := store.Counts(ctx)
	changes, _ := store.Changes(ctx, coop.ChangeFilter{First: 1000})
	var o, e bytes.Buffer
	if err := run(ctx, []string{"import", bad}, getenv(nil), &o, &e); err == nil || !strings.Contains(e.String(), `merged.jsonl:1: id: "los-choneros" was merged into "los-lobos"`) {
		t.Errorf("importing a merged id: %v\n%s", err, e.String())
	}
	if got, err := store.Entities(ctx, []string{"los-choneros"}); err != nil || got["los-choneros"] == nil || got["los-choneros"].EntityID() != "los-lobos" {
		t.Errorf("after the refused import, los-choneros resolves to %+v (%v); want the kept los-lobos", got["los-choneros"], err)
	}
	n2, r2, _ := store.Counts(ctx)
	changes2, _ := store.Changes(ctx, coop.ChangeFilter{First: 1000})
	if n2 != nodes || r2 != rels || len(changes2.Changes) != len(changes.Changes) {
		t.Errorf("the refused import changed the graph: %d entities, %d relationships, %d changes; want %d, %d, %d",
			n2, r2, len(changes2.Changes), nodes, rels, len(changes.Changes))
	}
}
