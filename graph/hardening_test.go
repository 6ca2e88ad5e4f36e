package graph_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/httpapi"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/querycost"
	"github.com/coopgraph/coopgraph/internal/server"
)

// hostileBudget is how long the service may take to refuse a hostile
// document: a bound no honest refusal comes near, which the documents
// below took 0.7 to 21 s to pass before their classes were bounded.
const hostileBudget = 2 * time.Second

// Hostile documents, a class each, are refused before any Cypher runs,
// quickly, with a coded error.
func TestHostileDocumentsAreRefusedCheaply(t *testing.T) {
	a := newAPI(t)
	var fanOut strings.Builder // fragments spreading fragments: 2^27 fields multiplied out
	fanOut.WriteString("{ ...F26 }\nfragment F0 on Query { entityCounts { type count } }\n")
	for i := 1; i < 27; i++ {
		fmt.Fprintf(&fanOut, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	var introspection strings.Builder // aliases inside __schema
	introspection.WriteString("{ __schema {")
	for i := range 40 {
		fmt.Fprintf(&introspection, " t%d: types { name fields { name type { name } } }", i)
	}
	introspection.WriteString(" } }")
	var heavy strings.Builder // aliases of a heavy field at its largest
	heavy.WriteString("{")
	for i := range 30 {
		fmt.Fprintf(&heavy, ` n%d: network(ids: ["ecuador"], depth: 3, limit: 2000) { nodes { id } }`, i)
	}
	heavy.WriteString(" }")
	manyFields := "{" + strings.Repeat(" __typename", 4990) + " }"                           // validation compares fields pairwise
	texts := `{ sources(first: 100) { nodes { passages(first: 100) { nodes { text } } } } }` // 10,000 long texts
	kinds := make([]any, 90000)                                                              // a document's own lists meet the token limit; variables do not
	for i := range kinds {
		kinds[i] = "ACTOR"
	}
	for _, tc := range []struct {
		name, query, code, argument string
		vars                        map[string]any
	}{
		{"fan-out through fragments", fanOut.String(), querycost.Code, "", nil},
		{"aliases inside introspection", introspection.String(), querycost.Code, "", nil},
		{"aliases of a heavy field", heavy.String(), querycost.Code, "", nil},
		{"one field thousands of times", manyFields, querycost.Code, "", nil},
		{"pages of long texts", texts, querycost.Code, "", nil},
		{"a long list argument", `query($k: [SearchKind!]) { search(text: "choneros", kinds: $k) { matched } }`, querycost.Code, "kinds",
			map[string]any{"k": kinds}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.store.RoundTrips()
			start := time.Now()
			r := a.post(t, tc.query, tc.vars)
			took := time.Since(start)
			if r.ErrorCode() != tc.code || (tc.argument != "" && r.Errors[0].Extensions["argument"] != tc.argument) {
				t.Errorf("answer %.300s; want %s", r.Raw, tc.code)
			}
			if took > hostileBudget {
				t.Errorf("refused in %v; the budget is %v", took, hostileBudget)
			}
			if a.store.RoundTrips() != before {
				t.Error("the document reached Neo4j")
			}
		})
	}
	// What GraphiQL asks for still passes: the whole schema, once.
	r := a.post(t, `{ __schema { queryType { name } types { name kind fields(includeDeprecated: true) { name args { name type { ...T } } type { ...T } } } } }
	  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`, nil).MustOK(t)
	if len(r.List("__schema", "types")) < 50 {
		t.Errorf("introspection: %d types", len(r.List("__schema", "types")))
	}
}

// An answer past the cap is replaced by a coded error, not sent.
func TestAnswersHaveASizeCap(t *testing.T) {
	a := newAPI(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig(logger)
	cfg.HTTP.MaxResponseBytes = 4096
	srv := apitest.Start(t, a.store, cfg)
	r := apitest.Post(t, srv.URL+"/graphql", `{ network(ids: ["ecuador"], depth: 2) { nodes { id name kind type } } }`, nil)
	if r.ErrorCode() != httpapi.CodeResponseTooLarge || len(r.Raw) > 1024 {
		t.Errorf("a large answer under a 4 KB cap: %.300s", r.Raw)
	}
	r = apitest.Post(t, srv.URL+"/graphql", `{ actor(id: "ecuador") { name } }`, nil).MustOK(t)
	if r.At("actor", "name") != "Ecuador" {
		t.Errorf("a small answer: %s", r.Raw)
	}
}

// A write whose answer is too large to send was still committed, and the
// error says so: a client must not send it again.
func TestATooLargeAnswerSaysTheWriteCommitted(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig(logger)
	cfg.HTTP.MaxResponseBytes = 512
	srv := apitest.Start(t, w.store, cfg)
	r := apitest.PostAs(t, srv.URL+"/graphql", w.keys[coop.RoleEditor], `mutation { addAliases(id: "los-lobos", aliases: ["Lobitos"],
	  citations: [{source: "ecuador-pentagon-2025", locator: "¶2"}]) { entity { id name description aliases citations { locator passage { text } } } } }`, nil)
	if r.ErrorCode() != httpapi.CodeResponseTooLarge || r.Errors[0].Extensions["committed"] != true {
		t.Fatalf("a committed write with a large answer: %.400s", r.Raw)
	}
	r = w.as(t, w.keys[coop.RoleEditor], `{ actor(id: "los-lobos") { aliases } }`, nil).MustOK(t)
	if !strings.Contains(fmt.Sprint(r.At("actor", "aliases")), "Lobitos") {
		t.Errorf("the write was not committed: %v", r.At("actor", "aliases"))
	}
}

// A malformed value of any scalar is the caller's error, naming the
// argument; what an error quotes is short, however long the value.
func TestBadValuesAreCodedAndNeverEchoedAtLength(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	before := w.snapshot(t)
	for _, tc := range []struct{ query, argument string }{
		{`{ changes(since: "yesterday") { nodes { seq } } }`, "since"},
		{`{ timeline(from: "yesterday") { nodes { date } } }`, "from"},
		{`{ network(ids: ["ecuador"], depth: 99999999999) { truncated } }`, "depth"},
	} {
		r := w.as(t, ed, tc.query, nil)
		if r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != tc.argument {
			t.Errorf("%s: %.300s; want BAD_USER_INPUT naming %s", tc.query, r.Raw, tc.argument)
		}
	}
	long := strings.Repeat("a", 900_000)
	for _, q := range []string{
		`mutation($id: ID!) { deleteRelationship(id: $id, reason: "x") { change { seq } } }`,
		`mutation($id: ID!) { addAliases(id: $id, aliases: ["x"], citations: [{source: "ecuador-pentagon-2025", locator: "¶1"}]) { change { seq } } }`,
		`query($id: ID!) { paths(from: $id, to: "ecuador") { length } }`,
		`mutation($id: ID!) { addAliases(id: "los-lobos", aliases: [$id], citations: [{source: "ecuador-pentagon-2025", locator: "¶1"}]) { change { seq } } }`,
	} {
		r := w.as(t, ed, q, map[string]any{"id": long})
		if r.ErrorCode() == "" || r.ErrorCode() == "INTERNAL" || len(r.Raw) > 2048 {
			t.Errorf("%s with a 900,000-character value: %d bytes, %.300s", q, len(r.Raw), r.Raw)
		}
	}
	w.mustBeUnchanged(t, before, "bad values")
}

// A relationship id is unique across types, however the writes interleave:
// of two creates of one id with different types, fired together, one
// succeeds and the other is a CONFLICT, fifty times over.
func TestRelationshipIDsAreUniqueUnderRaces(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	const pairs = 50
	create := `mutation($id: ID!, $type: RelationType!) { createRelationship(input: {id: $id, type: $type, from: "los-lobos", to: "cjng",
	  status: REPORTED, citations: [{source: "ecuador-pentagon-2025", locator: "¶9"}]}) { created } }`
	results := make([][2]string, pairs)
	var wg sync.WaitGroup
	for i := range pairs {
		for j, typ := range []string{"SUPPORTS", "RIVAL_OF"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := apitest.PostAs(t, w.url, ed, create, map[string]any{"id": fmt.Sprintf("race-%d", i), "type": typ})
				if r.ErrorCode() == "" {
					results[i][j] = "ok"
				} else {
					results[i][j] = r.ErrorCode()
				}
			}()
		}
	}
	wg.Wait()
	for i, r := range results {
		if !(r == [2]string{"ok", "CONFLICT"} || r == [2]string{"CONFLICT", "ok"}) {
			t.Errorf("pair %d: %v; want one success and one CONFLICT", i, r)
		}
	}
	// No id is held by two ties: what an export then import relies on.
	recs := neo4jtest.MustRead(t, `MATCH ()-[r]->() WHERE r.id STARTS WITH 'race-' WITH r.id AS id, count(*) AS n WHERE n > 1 RETURN id`, nil)
	if len(recs) > 0 {
		t.Errorf("%d ids held by two relationships", len(recs))
	}
}

// Names, aliases, locators, reasons and key names hold no control
// characters or bidirectional overrides: a name that reads otherwise than
// it is stored, or a key name that forges a second audit line, is refused.
func TestTextHoldsNoControlsOrOverrides(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed, admin := w.keys[coop.RoleEditor], w.keys[coop.RoleAdmin]
	before := w.snapshot(t)
	cite := `[{source: "ecuador-pentagon-2025", locator: "¶2"}]`
	for _, tc := range []struct {
		credential, query, argument string
		vars                        map[string]any
	}{
		{ed, `mutation($n: String!) { createActor(input: {id: "x-gang", name: $n, kind: CRIMINAL_GROUP, citations: ` + cite + `}) { created } }`,
			"name", map[string]any{"n": "Los \u202eSorenohC"}},
		{ed, `mutation($a: String!) { addAliases(id: "los-lobos", aliases: [$a], citations: ` + cite + `) { change { seq } } }`,
			"aliases", map[string]any{"a": "Lobos\x1b[31m"}},
		{ed, `mutation($r: String!) { deleteRelationship(id: "los-lobos-rival-of-los-choneros", reason: $r) { change { seq } } }`,
			"reason", map[string]any{"r": "duplicate \u202enoitaerc"}},
		{admin, `mutation($n: String!) { createApiKey(name: $n, role: READER) { key } }`,
			"name", map[string]any{"n": "alice\nkey:admin"}},
	} {
		r := w.as(t, tc.credential, tc.query, tc.vars)
		arg := ""
		if len(r.Errors) > 0 {
			arg, _ = r.Errors[0].Extensions["argument"].(string)
		}
		if r.ErrorCode() != "BAD_USER_INPUT" || !strings.HasPrefix(arg, tc.argument) {
			t.Errorf("%.80s: %.300s; want BAD_USER_INPUT naming %s", tc.query, r.Raw, tc.argument)
		}
	}
	w.mustBeUnchanged(t, before, "text with controls")
}

// /metrics counts requests by operation and outcome, refusals by reason,
// writes by mutation and Neo4j round trips; the access log names each
// request's operation and outcome.
func TestOperatorsCanSeeIt(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	meter := metrics.New()
	w.store.SetMetrics(meter)
	defer w.store.SetMetrics(nil)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	cfg := server.DefaultConfig(logger)
	cfg.GraphQL.Metrics = meter
	cfg.HTTP.Metrics = meter
	srv := apitest.Start(t, w.store, cfg)
	url := srv.URL + "/graphql"
	apitest.Post(t, url, `query Counts { entityCounts { type count } }`, nil).MustOK(t)
	apitest.Post(t, url, `query Deep { a: network(ids: ["ecuador"]) { truncated } b: network(ids: ["ecuador"]) { truncated }
	  c: network(ids: ["ecuador"]) { truncated } d: network(ids: ["ecuador"]) { truncated } e: network(ids: ["ecuador"]) { truncated }
	  f: network(ids: ["ecuador"]) { truncated } }`, nil)
	apitest.PostAs(t, url, w.keys[coop.RoleEditor], `mutation Alias { addAliases(id: "los-lobos", aliases: ["Lobitos"],
	  citations: [{source: "ecuador-pentagon-2025", locator: "¶2"}]) { change { seq } } }`, nil).MustOK(t)
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`coopgraph_requests_total{code="OK",operation="Counts"} 1`,
		`coopgraph_requests_total{code="QUERY_TOO_COMPLEX",operation="Deep"} 1`,
		`coopgraph_refused_total{reason="QUERY_TOO_COMPLEX"} 1`,
		`coopgraph_writes_total{mutation="addAliases"} 1`,
		`coopgraph_neo4j_round_trips_total{failed="false",mode="read"}`,
		`coopgraph_neo4j_round_trips_total{failed="false",mode="write"}`,
		`coopgraph_request_duration_seconds_bucket{operation="Counts"`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if log := logs.String(); !strings.Contains(log, "operation=Counts code=OK") || !strings.Contains(log, "operation=Deep code=QUERY_TOO_COMPLEX") {
		t.Errorf("the access log does not name operations and outcomes:\n%s", log)
	}
}

// A write's answer carries its bookmark; sent back, on any replica, the
// next request reads that write. A bookmark this service did not give is
// refused, coded. The store also works through a neo4j:// (routing) URI,
// as a cluster or Aura needs.
func TestBookmarksAndRoutingForReplicas(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	cfg := neo4jtest.Config(t)
	cfg.URI = "neo4j://" + cfg.URI[strings.Index(cfg.URI, "://")+3:]
	routed, err := neo4jstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer routed.Close(context.Background())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg2 := server.DefaultConfig(logger)
	cfg2.HTTP.BookmarkSecret = []byte("a secret the replicas share")
	serve := func(store *neo4jstore.Store) string {
		return apitest.Start(t, store, cfg2).URL + "/graphql"
	}
	first, replica := serve(w.store), serve(routed) // the second on the routing URI
	r, err := apitest.Do(apitest.Request{URL: first, Credential: ed, Query: `mutation { addAliases(id: "los-lobos", aliases: ["Lobitos"],
	  citations: [{source: "ecuador-pentagon-2025", locator: "¶2"}]) { change { seq } } }`})
	if err != nil || r.ErrorCode() != "" {
		t.Fatalf("the write: %v %.300s", err, r.Raw)
	}
	bookmark := r.Header.Get(httpapi.BookmarkHeader)
	if bookmark == "" {
		t.Fatalf("the write's answer has no %s header", httpapi.BookmarkHeader)
	}
	read := func(bm string) apitest.Response {
		req, _ := http.NewRequest("POST", replica, strings.NewReader(`{"query":"{ actor(id: \"los-lobos\") { aliases } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(httpapi.BookmarkHeader, bm)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return apitest.Response{Status: resp.StatusCode, Raw: string(body)}
	}
	if got := read(bookmark); got.Status != 200 || !strings.Contains(got.Raw, "Lobitos") {
		t.Errorf("reading with the write's bookmark on the routed replica: %d %.300s", got.Status, got.Raw)
	}
	forged := "FB:kcwQ" + strings.Repeat("A", 40) + "~" + strings.Repeat("B", 22)
	if got := read(forged); got.Status != http.StatusBadRequest || !strings.Contains(got.Raw, `"BAD_REQUEST"`) || strings.Contains(got.Raw, "Neo") {
		t.Errorf("a bookmark this service did not give: %d %.300s", got.Status, got.Raw)
	}
}
