package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/synth"
)

const bulkTestPassword = "coopgraph-test"

// localServer is a throwaway Neo4j of the test's own, run by neo4j-local.
type localServer struct {
	dir, uri string
}

func (s localServer) env() func(string) string {
	return getenv(map[string]string{"NEO4J_URI": s.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": bulkTestPassword, "NEO4J_DATABASE": ""})
}

func neo4jLocalScript(t *testing.T) string {
	t.Helper()
	script, err := filepath.Abs("../../tools/neo4j/neo4j-local")
	if err != nil {
		t.Fatal(err)
	}
	return script
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startLocalServers starts n servers side by side in t's temporary
// directory and stops them when the test ends. Without Java or Maven it
// fails: neo4j-local says what is missing.
func startLocalServers(t *testing.T, n int) []localServer {
	t.Helper()
	script := neo4jLocalScript(t)
	servers := make([]localServer, n)
	errs := make([]error, n)
	for i := range servers {
		servers[i].dir = filepath.Join(t.TempDir(), "neo4j")
	}
	t.Cleanup(func() { // side by side: each takes seconds
		var wg sync.WaitGroup
		for _, s := range servers {
			wg.Add(1)
			go func() { defer wg.Done(); exec.Command(script, "stop", s.dir).Run() }()
		}
		wg.Wait()
	})
	var wg sync.WaitGroup
	for i := range servers {
		port := freePort(t)
		servers[i].uri = fmt.Sprintf("bolt://127.0.0.1:%d", port)
		dir := servers[i].dir
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cmd := exec.Command(script, "start", dir, strconv.Itoa(port))
			cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+bulkTestPassword, "NEO4J_HEAP=512m", "NEO4J_PAGECACHE=256m")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("neo4j-local start %s %d: %v\n%s", dir, port, err, out)
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return servers
}

// The bulk load gives the graph the online load gives: the same entities,
// relationships and country ties, property for property, the same schema,
// and the same answers to the API's reads.
func TestGenBulkLoadsTheGraphTheOnlineLoadDoes(t *testing.T) {
	began := time.Now()
	step := func(what string) { t.Logf("%s after %s", what, time.Since(began).Round(time.Millisecond)) }
	servers := startLocalServers(t, 2)
	online, bulk := servers[0], servers[1]
	step("servers started")
	ctx := context.Background()
	args := []string{"gen", "-nodes", "2000", "-seed", "3"}
	var wg sync.WaitGroup
	var onlineErr, bulkErr error
	var onlineOut, onlineErrs, bulkOut, bulkErrs bytes.Buffer
	wg.Add(2)
	go func() {
		defer wg.Done()
		onlineErr = run(ctx, args, online.env(), &onlineOut, &onlineErrs)
	}()
	go func() {
		defer wg.Done()
		bulkErr = run(ctx, append(slices.Clone(args), "-bulk", bulk.dir, "-neo4j-local", neo4jLocalScript(t)), bulk.env(), &bulkOut, &bulkErrs)
	}()
	wg.Wait()
	if onlineErr != nil {
		t.Fatalf("gen: %v\n%s", onlineErr, onlineErrs.String())
	}
	if bulkErr != nil {
		t.Fatalf("gen -bulk: %v\n%s", bulkErr, bulkErrs.String())
	}
	step("loaded")
	t.Logf("online: %s", onlineOut.String())
	t.Logf("bulk: %s", bulkOut.String())
	summary := regexp.MustCompile(`^loaded 2000 nodes \(\d+/s\) and 10000 relationships \(\d+/s\), and linked (\d+) actors and places to their countries, in \S+\n`)
	om, bm := summary.FindStringSubmatch(onlineOut.String()), summary.FindStringSubmatch(bulkOut.String())
	if om == nil || bm == nil || om[1] != bm[1] {
		t.Errorf("the two loads report differently:\n%s\n%s", onlineOut.String(), bulkOut.String())
	}

	a, b := openLocal(t, online), openLocal(t, bulk)
	compareGraphs(t, online, bulk)
	compareSchemas(t, online, bulk)
	step("graphs and schemas compared")

	// As the API reads them.
	for _, s := range []*neo4jstore.Store{a, b} {
		if v, err := s.StoredGraphVersion(ctx); err != nil || v != neo4jstore.GraphVersion {
			t.Errorf("graph version %d, %v; want %d", v, err, neo4jstore.GraphVersion)
		}
	}
	ea, eb := allEntities(t, a), allEntities(t, b)
	if len(ea) != 2000 || !reflect.DeepEqual(ea, eb) {
		t.Errorf("entities differ: %d online, %d bulk%s", len(ea), len(eb), firstDifference(ea, eb))
	}
	ra, rb := allRelationships(t, a), allRelationships(t, b)
	ties := 0
	for _, r := range ra {
		if r.Type == coop.RelInCountry {
			ties++
		}
	}
	if ties == 0 || len(ra) != 10000+ties || !reflect.DeepEqual(ra, rb) {
		t.Errorf("relationships differ: %d online (%d country ties), %d bulk%s", len(ra), ties, len(rb), firstDifference(ra, rb))
	}
	g, err := synth.New(synth.DefaultConfig(2000, 3))
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, id := range append(g.Hubs(), ea[0].EntityID(), ea[len(ea)-1].EntityID()) {
		for _, e := range ea {
			if e.EntityID() == id {
				words = append(words, strings.Fields(e.EntityBase().Name)[0])
			}
		}
	}
	// (Words that few names hold: where more hits tie than the search
	// asks the index for, which of them it gives depends on where they
	// lie in the index, which no two loads need share.)
	for _, text := range append(words, "mar lin") {
		q := coop.SearchQuery{Text: text, First: 20}
		ha, err := a.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		hb, err := b.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(ha) == 0 || !reflect.DeepEqual(ha, hb) {
			t.Errorf("search %q: %d hits online, %d bulk%s", text, len(ha), len(hb), firstDifference(ha, hb))
		}
	}
	for _, f := range []coop.RelationFilter{
		{Page: coop.PageArgs{First: 50}, Count: true},
		{Types: []coop.RelationType{coop.RelInCountry}, Direction: coop.DirectionIn, Page: coop.PageArgs{First: 20}, Count: true},
	} {
		pa, err := a.Relationships(ctx, g.Hubs(), f)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := b.Relationships(ctx, g.Hubs(), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(pa) == 0 || !reflect.DeepEqual(pa, pb) {
			t.Errorf("relationship pages of the hubs (%+v) differ:\n%v\n%v", f, pa, pb)
		}
	}

	step("reads compared")
	// A database that holds anything is not replaced without -reset, and
	// the server directory must be the server -neo4j-uri reaches.
	var out, errs bytes.Buffer
	err = run(ctx, append(slices.Clone(args), "-bulk", bulk.dir, "-neo4j-local", neo4jLocalScript(t)), bulk.env(), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "holds 2000 entities") || !strings.Contains(err.Error(), "-reset") {
		t.Errorf("gen -bulk over a loaded database: %v; want a refusal that names -reset", err)
	}
	err = run(ctx, append(slices.Clone(args), "-bulk", online.dir, "-neo4j-local", neo4jLocalScript(t), "-reset"), bulk.env(), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "point both at the same server") {
		t.Errorf("gen -bulk with another server's directory: %v", err)
	}
}

func openLocal(t *testing.T, s localServer) *neo4jstore.Store {
	t.Helper()
	store, err := neo4jstore.Open(neo4jstore.Config{URI: s.uri, User: "neo4j", Password: bulkTestPassword, QueryTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	return store
}

func allEntities(t *testing.T, s *neo4jstore.Store) []coop.Entity {
	t.Helper()
	var out []coop.Entity
	if err := s.EachEntity(context.Background(), 5000, func(es []coop.Entity) error { out = append(out, es...); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func allRelationships(t *testing.T, s *neo4jstore.Store) []*coop.Relationship {
	t.Helper()
	var out []*coop.Relationship
	if err := s.EachRelationship(context.Background(), 5000, func(rs []*coop.Relationship) error { out = append(out, rs...); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func firstDifference[T any](a, b []T) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("; first at %d:\n%+v\n%+v", i, a[i], b[i])
		}
	}
	return ""
}

// rawRows runs a query on a server straight through the driver and
// renders each record, sorted.
func rawRows(t *testing.T, s localServer, cypher string) []string {
	t.Helper()
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(s.uri, neo4j.BasicAuth("neo4j", bulkTestPassword, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	out := make([]string, len(res.Records))
	for i, rec := range res.Records {
		out[i] = fmt.Sprintf("%v", rec.Values)
	}
	slices.Sort(out)
	return out
}

func sameRows(t *testing.T, what string, a, b []string) {
	t.Helper()
	if slices.Equal(a, b) {
		return
	}
	var onlyA, onlyB []string
	for _, r := range a {
		if _, found := slices.BinarySearch(b, r); !found {
			onlyA = append(onlyA, r)
		}
	}
	for _, r := range b {
		if _, found := slices.BinarySearch(a, r); !found {
			onlyB = append(onlyB, r)
		}
	}
	t.Errorf("%s differ: %d online, %d bulk; online only (first 5): %v; bulk only (first 5): %v",
		what, len(a), len(b), onlyA[:min(5, len(onlyA))], onlyB[:min(5, len(onlyB))])
}

// compareGraphs compares every node and relationship as stored: labels,
// type, ends, and each property with its stored type (an empty list is not
// a missing one). Only the times the load's bookkeeping nodes record may
// differ.
func compareGraphs(t *testing.T, a, b localServer) {
	t.Helper()
	const props = `[k IN keys(%[1]s) | [k, valueType(%[1]s[k]), CASE WHEN k = 'at' THEN 'a time' ELSE %[1]s[k] END]]`
	sortedProps := func(v string) string {
		return fmt.Sprintf(`COLLECT { UNWIND %s AS p RETURN p ORDER BY p[0] }`, fmt.Sprintf(props, v))
	}
	nodes := `MATCH (n) RETURN COLLECT { UNWIND labels(n) AS l RETURN l ORDER BY l }, ` + sortedProps("n")
	rels := `MATCH (x)-[r]->(y) RETURN type(r), coalesce(x.id, x.key, x.name), coalesce(y.id, y.key, y.name), ` + sortedProps("r")
	sameRows(t, "nodes", rawRows(t, a, nodes), rawRows(t, b, nodes))
	sameRows(t, "relationships", rawRows(t, a, rels), rawRows(t, b, rels))
}

// compareSchemas compares the constraints and indexes, by name, kind,
// what they cover and their settings.
func compareSchemas(t *testing.T, a, b localServer) {
	t.Helper()
	for _, q := range []string{
		`SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties, ownedIndex RETURN *`,
		`SHOW INDEXES YIELD name, state, type, entityType, labelsOrTypes, properties, indexProvider, owningConstraint, options RETURN *`,
	} {
		ra, rb := rawRows(t, a, q), rawRows(t, b, q)
		if len(ra) < 10 {
			t.Errorf("%s: only %d rows", q, len(ra))
		}
		sameRows(t, q, ra, rb)
	}
}

// trickyRecords are added to the every-field fixture: text the importer's
// CSV must carry whole (quotes, commas, semicolons, backslashes, line
// breaks and tabs) and lists with empty elements.
const trickyRecords = `{"record":"actor","id":"tricky-person","kind":"PERSON","name":"Ana \"La Jefa\", Ruiz","aliases":["semi;colon","back\\slash \"q\""],"country":"fixture-land","description":"line one\nline two\twith a tab, and \"quotes\"","citations":[{"source":"fixture-report","locator":"p. 2"}]}
{"record":"statistic","id":"tricky-stat","name":"A tiny share","indicator":"share","value":1.5e-7,"unit":"%","periodStart":"2023","periodEnd":"2023","citations":[{"source":"fixture-report","locator":"p. 3"}]}
{"record":"relationship","id":"tricky-member","type":"MEMBER_OF","from":"tricky-person","to":"fixture-harbour-gang","status":"CONFIRMED","citations":[{"source":"fixture-report","locator":"p. 3","status":"CONFIRMED"},{"source":"fixture-report","locator":"p. 4"}]}
{"record":"relationship","id":"tricky-leads","type":"LEADS","from":"tricky-person","to":"fixture-harbour-gang","status":"REPORTED","citations":[{"source":"fixture-report","locator":"p. 5"},{"source":"fixture-report","locator":"p. 6","status":"REPORTED"}]}
`

// import -bulk gives the graph, schema and audit trail import gives, and
// refuses what it does not load.
func TestImportBulkLoadsTheGraphTheOnlineImportDoes(t *testing.T) {
	dir := t.TempDir()
	var records []string
	for _, line := range strings.SplitAfter(readText(t, everyField), "\n") {
		if !strings.Contains(line, `"record":"passage"`) {
			records = append(records, line)
		}
	}
	file := filepath.Join(dir, "records.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(records, "")+trickyRecords), 0o644); err != nil {
		t.Fatal(err)
	}
	withPassages := filepath.Join(dir, "passages.jsonl")
	if err := os.WriteFile(withPassages, []byte(readText(t, everyField)), 0o644); err != nil {
		t.Fatal(err)
	}

	servers := startLocalServers(t, 2)
	online, bulk := servers[0], servers[1]
	ctx := context.Background()
	script := neo4jLocalScript(t)
	var out, errs bytes.Buffer
	// Refused before the server is touched: records with passages, invalid records.
	err := run(ctx, []string{"import", "-bulk", bulk.dir, "-neo4j-local", script, withPassages}, bulk.env(), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "passages") || !strings.Contains(err.Error(), "without -bulk") {
		t.Errorf("import -bulk of passages: %v", err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"record":"actor","id":"x","kind":"PERSON","name":"X","country":"nowhere"}`+"\n"), 0o644)
	err = run(ctx, []string{"import", "-bulk", bulk.dir, "-neo4j-local", script, bad}, bulk.env(), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(errs.String(), "bad.jsonl:1") {
		t.Errorf("import -bulk of an invalid record: %v\n%s", err, errs.String())
	}

	var onlineOut, onlineErrs, bulkOut, bulkErrs bytes.Buffer
	var onlineErr, bulkErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		onlineErr = run(ctx, []string{"import", "-as", "tester", file}, online.env(), &onlineOut, &onlineErrs)
	}()
	go func() {
		defer wg.Done()
		bulkErr = run(ctx, []string{"import", "-as", "tester", "-bulk", bulk.dir, "-neo4j-local", script, file}, bulk.env(), &bulkOut, &bulkErrs)
	}()
	wg.Wait()
	if onlineErr != nil || bulkErr != nil {
		t.Fatalf("import: %v\n%s\nimport -bulk: %v\n%s", onlineErr, onlineErrs.String(), bulkErr, bulkErrs.String())
	}
	first, _, _ := strings.Cut(bulkOut.String(), "\n")
	if first+"\n" != onlineOut.String() {
		t.Errorf("import says %q, import -bulk %q", onlineOut.String(), bulkOut.String())
	}
	t.Logf("bulk: %s", bulkOut.String())

	// The audit trail's entry differs only in its time.
	compareGraphs(t, online, bulk)
	compareSchemas(t, online, bulk)
	// As export reads them.
	exported := func(s localServer) string {
		var out, errs bytes.Buffer
		if err := run(ctx, []string{"export"}, s.env(), &out, &errs); err != nil {
			t.Fatalf("export: %v\n%s", err, errs.String())
		}
		return out.String()
	}
	if a, b := exported(online), exported(bulk); a != b || !strings.Contains(a, "tricky-leads") {
		t.Errorf("exports differ:\n%s\n%s", a, b)
	}
	// A database that holds anything is refused.
	err = run(ctx, []string{"import", "-bulk", bulk.dir, "-neo4j-local", script, file}, bulk.env(), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "import -bulk replaces the whole database") {
		t.Errorf("import -bulk into a loaded database: %v", err)
	}
}

func readText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
