package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
	"github.com/coopgraph/coopgraph/seed"
)

// trips runs a query and returns how many queries reached Neo4j: the
// fewest of three runs. Loaders gather sibling resolvers' keys for a short
// window; on a starved machine a sibling can miss it and cost one more
// round trip, which is slower but not wrong. The fewest of three still
// fails whenever batching itself is broken.
func (a *api) trips(t *testing.T, query string, vars map[string]any) (apitest.Response, int64) {
	t.Helper()
	var first apitest.Response
	fewest := int64(-1)
	for run := range 3 {
		before := a.store.RoundTrips()
		r := a.post(t, query, vars).MustOK(t)
		n := a.store.RoundTrips() - before
		if run == 0 {
			first = r
		}
		if fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return first, fewest
}

func TestSearchFindsChonerosInOneRoundTrip(t *testing.T) {
	a := newAPI(t)
	r, n := a.trips(t, `{ search(text: "choneros") { match score matched entity { __typename id } } }`, nil)
	if n != 1 {
		t.Errorf("search took %d round trips; want 1", n)
	}
	if r.At("search", 0, "entity", "id") != "los-choneros" || r.At("search", 0, "matched") != "Choneros" || r.At("search", 0, "match") != "EXACT" {
		t.Errorf("search choneros = %v", r.List("search"))
	}
	order := []any{"EXACT", "WORDS", "PREFIX", "TYPO", "SOME"}
	for i := 1; i < len(r.List("search")); i++ {
		if slices.Index(order, r.At("search", i, "match")) < slices.Index(order, r.At("search", i-1, "match")) {
			t.Errorf("results not best match first: %v", r.List("search"))
		}
	}
	for text, want := range map[string]string{"rendon": "gian-carlo-loffredo-rendon", "cjng": "cjng", "Jalisco": "cjng", "fito": "jose-adolfo-macias-villamar"} {
		r := a.post(t, `query($t: String!) { search(text: $t, first: 3) { entity { id } } }`, map[string]any{"t": text}).MustOK(t)
		if r.At("search", 0, "entity", "id") != want {
			t.Errorf("search %q = %v; want %s first", text, r.List("search"), want)
		}
	}
	// kinds keeps places and cartels, both of them, and nothing else.
	q := `query($k: [SearchKind!]) { search(text: "guayaquil sinaloa", kinds: $k, first: 50) { entity { id __typename ... on Actor { kind } } } }`
	all := a.post(t, q, map[string]any{"k": nil}).MustOK(t)
	r = a.post(t, q, map[string]any{"k": []string{"PLACE", "CARTEL"}}).MustOK(t)
	kept := map[any]bool{}
	for i := range r.List("search") {
		kept[r.At("search", i, "entity", "id")] = true
		if tn := r.At("search", i, "entity", "__typename"); tn != "Place" && r.At("search", i, "entity", "kind") != "CARTEL" {
			t.Errorf("kinds [PLACE, CARTEL] returned %v", r.At("search", i, "entity"))
		}
	}
	if !kept["guayaquil"] || !kept["sinaloa-cartel"] {
		t.Errorf("kinds [PLACE, CARTEL] for %q kept %v; want the place guayaquil and the sinaloa-cartel", "guayaquil sinaloa", kept)
	}
	if len(all.List("search")) <= len(kept) {
		t.Errorf("without kinds, %d hits; with them %d: the filter removed nothing, so this checks nothing", len(all.List("search")), len(kept))
	}
}

func TestNetworkOfTheMeetingAtDepthTwo(t *testing.T) {
	a := newAPI(t)
	q := `query($d: Int) { network(ids: ["us-ecuador-defense-talks-2025-04-04"], depth: $d) {
	  truncated nodes { id name kind type } edges { id source target type status citations { locator source { id } } } } }`
	r1, n1 := a.trips(t, q, map[string]any{"d": 1})
	r2, _ := a.trips(t, q, map[string]any{"d": 2})
	if n1 > 2 { // the network, then the citations' sources
		t.Errorf("network took %d round trips; want the query plus one batch of sources", n1)
	}
	nodes1, nodes2 := r1.List("network", "nodes"), r2.List("network", "nodes")
	// Depth 1 is the meeting and every entity the seed ties to it.
	records, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	const meeting = "us-ecuador-defense-talks-2025-04-04"
	want1 := map[string]bool{meeting: true}
	for _, rel := range records.Relationships {
		if rel.FromID == meeting {
			want1[rel.ToID] = true
		}
		if rel.ToID == meeting {
			want1[rel.FromID] = true
		}
	}
	got1 := map[string]bool{}
	for i := range nodes1 {
		got1[r1.At("network", "nodes", i, "id").(string)] = true
	}
	if !maps.Equal(got1, want1) || len(r1.List("network", "edges")) != len(want1)-1 {
		t.Errorf("depth 1: nodes %v and %d edges; want %v and %d edges", got1, len(r1.List("network", "edges")), want1, len(want1)-1)
	}
	if len(nodes2) <= len(nodes1) {
		t.Fatalf("depth 1: %d nodes, depth 2: %d; want more at depth 2", len(nodes1), len(nodes2))
	}
	ids := map[string]bool{}
	for i := range nodes2 {
		ids[r2.At("network", "nodes", i, "id").(string)] = true
		if r2.At("network", "nodes", i, "kind") == "" || r2.At("network", "nodes", i, "name") == "" {
			t.Errorf("node %v lacks kind or name", r2.At("network", "nodes", i))
		}
	}
	for _, want := range []string{"rafael-leonardo", "us-department-of-defense", "ecuador-ministry-of-interior"} {
		if !ids[want] {
			t.Errorf("depth-2 network lacks %s", want)
		}
	}
	for i := range r2.List("network", "edges") {
		src, dst := r2.At("network", "edges", i, "source").(string), r2.At("network", "edges", i, "target").(string)
		if !ids[src] || !ids[dst] {
			t.Errorf("edge %v points outside the nodes", r2.At("network", "edges", i, "id"))
		}
		if len(r2.List("network", "edges", i, "citations")) == 0 {
			t.Errorf("edge %v has no citations", r2.At("network", "edges", i, "id"))
		}
	}
	r := a.post(t, `{ network(ids: ["ecuador"], depth: 3, limit: 5) { truncated nodes { id } } }`, nil).MustOK(t)
	if len(r.List("network", "nodes")) != 5 || r.At("network", "truncated") != true {
		t.Errorf("limit 5: %d nodes, truncated %v", len(r.List("network", "nodes")), r.At("network", "truncated"))
	}
}

func TestPathsFromChonerosToThePentagonWithEvidence(t *testing.T) {
	a := newAPI(t)
	r, n := a.trips(t, `{ paths(from: "los-choneros", to: "the-pentagon", maxHops: 6, first: 3) {
	  length nodes { id } edges { direction relationship { id type from { id } to { id } } citations { locator source { id } } } } }`, nil)
	if n > 2 {
		t.Errorf("paths took %d round trips; want the query plus one batch of sources", n)
	}
	paths := r.List("paths")
	if len(paths) == 0 {
		t.Fatal("no path from Los Choneros to the Pentagon")
	}
	for i := range paths {
		length := int(r.At("paths", i, "length").(float64))
		nodes := r.List("paths", i, "nodes")
		if len(nodes) != length+1 || r.At("paths", i, "nodes", 0, "id") != "los-choneros" || r.At("paths", i, "nodes", length, "id") != "the-pentagon" {
			t.Errorf("path %d: %v", i, nodes)
		}
		if i > 0 && length < int(r.At("paths", i-1, "length").(float64)) {
			t.Errorf("path %d is shorter than the one before", i)
		}
		visited := map[any]bool{}
		for j := range nodes {
			id := r.At("paths", i, "nodes", j, "id")
			if visited[id] {
				t.Errorf("path %d visits %v twice: %v", i, id, nodes)
			}
			visited[id] = true
		}
		for j := 0; j < length; j++ {
			e := []any{"paths", i, "edges", j}
			at := func(p ...any) any { return r.At(append(append([]any{}, e...), p...)...) }
			here, next := r.At("paths", i, "nodes", j, "id"), r.At("paths", i, "nodes", j+1, "id")
			from, to := at("relationship", "from", "id"), at("relationship", "to", "id")
			switch at("direction") {
			case "FORWARD":
				if from != here || to != next {
					t.Errorf("FORWARD hop %v→%v is relationship %v→%v", here, next, from, to)
				}
			case "BACKWARD":
				if from != next || to != here {
					t.Errorf("BACKWARD hop %v→%v is relationship %v→%v", here, next, from, to)
				}
			default:
				t.Errorf("hop direction %v", at("direction"))
			}
			if at("citations", 0, "source", "id") == nil {
				t.Errorf("hop %v→%v has no source", here, next)
			}
		}
	}
	r = a.post(t, `{ paths(from: "los-choneros", to: "the-pentagon", maxHops: 1) { length } }`, nil).MustOK(t)
	if len(r.List("paths")) != 0 {
		t.Errorf("paths within 1 hop: %v; want none", r.List("paths"))
	}
}

func TestEcuadorTimelineInDateOrderAcrossPages(t *testing.T) {
	a := newAPI(t)
	q := `query($after: String) { timeline(ids: ["ecuador"], first: 7, after: $after) {
	  nodes { date precision kind what entity { id } } pageInfo { hasNextPage endCursor } } }`
	var after any
	var dates, items []string
	kinds := map[string]bool{}
	for range 30 {
		r, n := a.trips(t, q, map[string]any{"after": after})
		if n != 1 {
			t.Errorf("a timeline page took %d round trips; want 1", n)
		}
		for i := range r.List("timeline", "nodes") {
			dates = append(dates, r.At("timeline", "nodes", i, "date").(string))
			items = append(items, fmt.Sprint(r.At("timeline", "nodes", i)))
			kinds[r.At("timeline", "nodes", i, "kind").(string)] = true
			if d := r.At("timeline", "nodes", i, "date").(string); len(d) == 4 && r.At("timeline", "nodes", i, "precision") != "YEAR" {
				t.Errorf("date %s has precision %v", d, r.At("timeline", "nodes", i, "precision"))
			}
		}
		if r.At("timeline", "pageInfo", "hasNextPage") != true {
			break
		}
		after = r.At("timeline", "pageInfo", "endCursor")
	}
	if len(dates) < 10 {
		t.Fatalf("Ecuador's timeline: %v", dates)
	}
	// Pages of 7 add up to the one page of 100: nothing skipped or repeated at a page's edge.
	whole := a.post(t, `{ timeline(ids: ["ecuador"], first: 100) { nodes { date precision kind what entity { id } } pageInfo { hasNextPage } } }`, nil).MustOK(t)
	var wholeItems []string
	for i := range whole.List("timeline", "nodes") {
		wholeItems = append(wholeItems, fmt.Sprint(whole.At("timeline", "nodes", i)))
	}
	if whole.At("timeline", "pageInfo", "hasNextPage") != false || !slices.Equal(items, wholeItems) {
		t.Errorf("pages of 7 gave\n%v\none page of 100 gives\n%v", items, wholeItems)
	}
	for i := 1; i < len(dates); i++ {
		if first(dates[i]) < first(dates[i-1]) {
			t.Errorf("%s comes after %s", dates[i], dates[i-1])
		}
	}
	for _, k := range []string{"EVENT", "MEETING", "AGREEMENT", "STATISTIC"} {
		if !kinds[k] {
			t.Errorf("Ecuador's timeline has no %s", k)
		}
	}
}

// first is the earliest day a date text may mean, as comparable text.
func first(d string) string {
	switch len(d) {
	case 4:
		if d[3] == 'X' {
			return d[:3] + "0-01-01"
		}
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

func TestActiveAtSelectsTiesThatHeldOnADate(t *testing.T) {
	a := newAPI(t)
	q := `query($at: Date) { actor(id: "wilmer-geovanny-chavarria-barre") { relationships(types: [WORKED_FOR], activeAt: $at) { totalCount } } }`
	for at, want := range map[string]float64{"2015": 1, "2011-06": 1, "2020": 0, "2005": 0} {
		r := a.post(t, q, map[string]any{"at": at}).MustOK(t)
		if got := r.At("actor", "relationships", "totalCount"); got != want {
			t.Errorf("WORKED_FOR ties active at %s = %v; want %v", at, got, want)
		}
	}
}

func TestCountsByTypeAndKind(t *testing.T) {
	a := newAPI(t)
	// The truth, from the seed's records.
	records, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	wantTies := map[string]int{}
	for _, rel := range neo4jtest.Ties(records) {
		if rel.FromID == "los-lobos" || rel.ToID == "los-lobos" {
			wantTies[string(rel.Type)]++
		}
	}
	wantKinds := map[string]int{}
	for _, e := range records.Entities {
		kind := ""
		if x, ok := e.(*coop.Actor); ok {
			kind = string(x.Kind)
		}
		wantKinds[string(e.EntityType())+"/"+kind]++
	}
	r := a.post(t, `{ entityCounts { type kind count } actor(id: "los-lobos") { relationshipCounts { type count } relationships(first: 100) { totalCount } } }`, nil).MustOK(t)
	gotTies, total := map[string]int{}, 0
	for i := range r.List("actor", "relationshipCounts") {
		n := int(r.At("actor", "relationshipCounts", i, "count").(float64))
		gotTies[r.At("actor", "relationshipCounts", i, "type").(string)] = n
		total += n
	}
	if !maps.Equal(gotTies, wantTies) || float64(total) != r.At("actor", "relationships", "totalCount") {
		t.Errorf("ties of los-lobos by type = %v (totalCount %v); want the seed's %v", gotTies, r.At("actor", "relationships", "totalCount"), wantTies)
	}
	gotKinds := map[string]int{}
	for i := range r.List("entityCounts") {
		if r.At("entityCounts", i, "type") == "Actor" {
			gotKinds["Actor/"+r.At("entityCounts", i, "kind").(string)] += int(r.At("entityCounts", i, "count").(float64))
		} else {
			gotKinds[r.At("entityCounts", i, "type").(string)+"/"] += int(r.At("entityCounts", i, "count").(float64))
		}
	}
	if !maps.Equal(gotKinds, wantKinds) {
		t.Errorf("entityCounts = %v; want the seed's %v", gotKinds, wantKinds)
	}
}

func TestAnalystArgumentsAreRangeChecked(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct{ query, argument string }{
		{`{ network(ids: ["ecuador"], depth: 4) { truncated } }`, "depth"},
		{`{ network(ids: ["ecuador"], depth: 0) { truncated } }`, "depth"},
		{`{ network(ids: ["ecuador"], limit: 5000) { truncated } }`, "limit"},
		{`{ network(ids: []) { truncated } }`, "ids"},
		{`{ paths(from: "ecuador", to: "peru", maxHops: 7) { length } }`, "maxHops"},
		{`{ paths(from: "ecuador", to: "peru", first: 0) { length } }`, "first"},
		{`{ paths(from: "ecuador", to: "ecuador") { length } }`, "to"},
		{`{ paths(from: "ecuador", to: "peru", maxDegree: 0) { length } }`, "maxDegree"},
		{`{ search(text: "x", first: 101) { score } }`, "first"},
		{`{ search(text: "!!!") { score } }`, "text"},
		{`{ timeline(ids: ["ecuador"], after: "bm9wZQ") { pageInfo { hasNextPage } } }`, "after"},
		{`{ timeline(from: "2025", to: "2024") { pageInfo { hasNextPage } } }`, "to"},
	} {
		before := a.store.RoundTrips()
		r := a.post(t, tc.query, nil)
		if len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != tc.argument {
			t.Errorf("%s: errors %+v; want BAD_USER_INPUT naming %s", tc.query, r.Errors, tc.argument)
		}
		if a.store.RoundTrips() != before {
			t.Errorf("%s reached Neo4j", tc.query)
		}
	}
}

func TestQueryCutByTheDeadlineGetsTimeout(t *testing.T) {
	a := newAPI(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig(logger)
	cfg.HTTP.RequestTimeout = time.Microsecond
	srv := apitest.Start(t, a.store, cfg)
	r := apitest.Post(t, srv.URL+"/graphql", `{ network(ids: ["ecuador"], depth: 3) { truncated } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "TIMEOUT" {
		t.Errorf("errors = %s; want TIMEOUT", r.Raw)
	}
}

// An id that names no entity is said, by name, in a coded error: a
// mistyped id never looks like an empty neighbourhood.
func TestUnknownIDsAreNamed(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		query, argument string
		ids             []any
	}{
		{`{ network(ids: ["los-chonero"]) { nodes { id } } }`, "ids", []any{"los-chonero"}},
		{`{ network(ids: ["los-choneros", "nope", "ecuador"], depth: 2) { nodes { id } } }`, "ids", []any{"nope"}},
		{`{ paths(from: "los-chonero", to: "mexico") { length } }`, "from", []any{"los-chonero"}},
		{`{ paths(from: "los-choneros", to: "mexik") { length } }`, "to", []any{"mexik"}},
		{`{ paths(from: "nobody", to: "nowhere") { length } }`, "from", []any{"nobody", "nowhere"}},
		{`{ timeline(ids: ["ecuador", "ecuadr"]) { nodes { date } } }`, "ids", []any{"ecuadr"}},
	} {
		r := a.post(t, tc.query, nil)
		if len(r.Errors) != 1 || r.ErrorCode() != "NOT_FOUND" || r.Errors[0].Extensions["argument"] != tc.argument ||
			fmt.Sprint(r.Errors[0].Extensions["ids"]) != fmt.Sprint(tc.ids) {
			t.Errorf("%s: %s; want NOT_FOUND on %s naming %v", tc.query, r.Raw, tc.argument, tc.ids)
			continue
		}
		for _, id := range tc.ids {
			if !strings.Contains(r.Errors[0].Message, fmt.Sprintf("%q", id)) {
				t.Errorf("%s: the message %q does not name %v", tc.query, r.Errors[0].Message, id)
			}
		}
	}
	// Known ids with nothing to show answer empty, without an error.
	r := a.post(t, `{ paths(from: "china", to: "the-pentagon", maxHops: 1) { length } timeline(ids: ["europe"], from: "1800", to: "1801") { nodes { date } } }`, nil).MustOK(t)
	if len(r.List("paths")) != 0 || len(r.List("timeline", "nodes")) != 0 {
		t.Errorf("empty answers: %s", r.Raw)
	}
}

// The network answers written by fastnetwork.go must be, byte for byte,
// what gqlgen's executor writes for the same selection. Asking for citations
// too sends a query through the executor; its answer, less that last field,
// must equal the fast one.
func TestTheFastNetworkAnswersAsTheExecutor(t *testing.T) {
	a := newAPI(t)
	selections := []string{
		`nodes { id name kind type synthetic } edges { id source target type since until status basis role } truncated`,
		`__typename truncated e: edges { __typename t: type source id role } n: nodes { k: kind id __typename }`,
		`... on Network { nodes { id ...N } } edges { id @skip(if: true) since @include(if: true) until } fragment N on NetworkNode { name }`,
		`edges { role status basis } nodes { synthetic }`,
	}
	args := []string{
		`ids: ["us-ecuador-defense-talks-2025-04-04"], depth: 2`,
		`ids: ["ecuador", "los-choneros"], depth: 1, types: [MEMBER_OF, LEADS, HOLDS_OFFICE, ALLIED_WITH]`,
		`ids: ["ecuador"], depth: 2, activeAt: "2024", limit: 30, perNode: 5`,
		`ids: "los-choneros", types: OPERATES_IN`, // a single value stands for a list of one
	}
	for i, sel := range selections {
		for j, arg := range args {
			t.Run(fmt.Sprintf("selection %d, arguments %d", i, j), func(t *testing.T) {
				body, frag := sel, ""
				if k := strings.Index(sel, "fragment "); k >= 0 {
					body, frag = sel[:k], sel[k:]
				}
				fast := `{ network(` + arg + `) { ` + body + ` } } ` + frag
				slow := `{ network(` + arg + `) { ` + body + ` zz: edges { citations { locator } } } } ` + frag
				before := graph.FastNetworks.Load()
				rf := a.post(t, fast, nil).MustOK(t)
				if graph.FastNetworks.Load() == before {
					t.Fatalf("the fast path did not answer %s", fast)
				}
				before = graph.FastNetworks.Load()
				rs := a.post(t, slow, nil).MustOK(t)
				if graph.FastNetworks.Load() != before {
					t.Fatalf("the fast path answered a selection with citations")
				}
				f, s := networkJSON(t, rf.Raw), networkJSON(t, rs.Raw)
				cut := strings.LastIndex(s, `,"zz":`)
				if cut < 0 || s[:cut]+"}" != f {
					t.Errorf("fast:\n%s\nexecutor:\n%s", f, s)
				}
				if !strings.Contains(f, `"`) || len(f) < 40 {
					t.Errorf("answer %s is too small to compare anything", f)
				}
			})
		}
	}
	// Wrong arguments are left to the executor, which reports them.
	r := a.post(t, `{ network(ids: [], depth: 9) { nodes { id } } }`, nil)
	if r.ErrorCode() != "BAD_USER_INPUT" || r.At("network") != nil {
		t.Errorf("bad arguments gave %s", r.Raw)
	}
}

// networkJSON is the network object of an answer, as the server wrote it.
func networkJSON(t *testing.T, raw string) string {
	t.Helper()
	var doc struct {
		Data struct {
			Network json.RawMessage `json:"network"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	return string(doc.Data.Network)
}
