package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
	"github.com/coopgraph/coopgraph/internal/webui"
)

// api is the real HTTP handler over the real Neo4j, seeded once per package.
type api struct {
	url   string
	store *neo4jstore.Store
}

var shared *api

func newAPI(t *testing.T) *api {
	t.Helper()
	if shared != nil {
		return shared
	}
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := apitest.Start(t, store, server.DefaultConfig(logger))
	shared = &api{url: srv.URL + "/graphql", store: store}
	// The store closes with the first test that opened it; later tests reopen.
	t.Cleanup(func() { shared = nil })
	return shared
}

func (a *api) post(t *testing.T, query string, vars map[string]any) apitest.Response {
	t.Helper()
	return apitest.Post(t, a.url, query, vars)
}

const meetingQuery = `query($id: ID!) {
  meeting(id: $id) {
    name date
    participants {
      role
      actor { id name offices(activeAt: "2025-04-04") { title organization { id } asOf } }
      citations { locator source { id } }
    }
    heldAt { id }
    citations { locator source { id title } }
  }
}`

func TestMeetingHasItsFourParticipantsWithRolesOfficesAndCitations(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, meetingQuery, map[string]any{"id": "us-ecuador-defense-talks-2025-04-04"}).MustOK(t)
	if got := r.At("meeting", "date"); got != "2025-04-04" {
		t.Errorf("meeting date = %v; want 2025-04-04", got)
	}
	want := map[string]struct{ role, org string }{
		"rafael-leonardo":            {"host", "us-department-of-defense"},
		"james-alverson":             {"host", "us-department-of-defense"},
		"gian-carlo-loffredo-rendon": {"guest", "ecuador-ministry-of-defense"},
		"john-reimberg":              {"guest", "ecuador-ministry-of-interior"},
	}
	participants := r.List("meeting", "participants")
	if len(participants) != len(want) {
		t.Fatalf("meeting has %d participants; want %d: %v", len(participants), len(want), participants)
	}
	for i := range participants {
		id, _ := r.At("meeting", "participants", i, "actor", "id").(string)
		w, ok := want[id]
		if !ok {
			t.Errorf("unexpected participant %q", id)
			continue
		}
		if role := r.At("meeting", "participants", i, "role"); role != w.role {
			t.Errorf("%s role = %v; want %s", id, role, w.role)
		}
		if org := r.At("meeting", "participants", i, "actor", "offices", 0, "organization", "id"); org != w.org {
			t.Errorf("%s office organization = %v; want %s", id, org, w.org)
		}
		if title, _ := r.At("meeting", "participants", i, "actor", "offices", 0, "title").(string); title == "" {
			t.Errorf("%s has no office title", id)
		}
		if src := r.At("meeting", "participants", i, "citations", 0, "source", "id"); src != "ecuador-pentagon-2025" {
			t.Errorf("%s participation cites %v; want ecuador-pentagon-2025", id, src)
		}
	}
	if loc := r.At("meeting", "citations", 0, "locator"); loc != "¶5" {
		t.Errorf("meeting citation locator = %v; want ¶5", loc)
	}
	if held := r.At("meeting", "heldAt", 0, "id"); held != "the-pentagon" {
		t.Errorf("meeting held at %v; want the-pentagon", held)
	}
}

func TestUnknownIDIsNullWithoutError(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ actor(id: "no-such-actor") { id } node(id: "nope") { id } meeting(id: "los-choneros") { id } }`, nil).MustOK(t)
	for _, f := range []string{"actor", "node", "meeting"} {
		if v, present := r.Data[f]; !present || v != nil {
			t.Errorf("%s = %v (present %v); want null", f, v, present)
		}
	}
}

func TestActorsFilterAndPaginate(t *testing.T) {
	a := newAPI(t)
	q := `query($after: String) { actors(kinds: [PERSON], first: 3, after: $after) {
	  totalCount nodes { id kind } pageInfo { hasNextPage endCursor } } }`
	seen := map[string]bool{}
	var after any
	total := -1
	for page := 0; page < 20; page++ {
		r := a.post(t, q, map[string]any{"after": after}).MustOK(t)
		total = int(r.At("actors", "totalCount").(float64))
		for _, n := range r.List("actors", "nodes") {
			m := n.(map[string]any)
			if m["kind"] != "PERSON" {
				t.Errorf("kinds: [PERSON] returned %v", m)
			}
			if seen[m["id"].(string)] {
				t.Errorf("%v on two pages", m["id"])
			}
			seen[m["id"].(string)] = true
		}
		if r.At("actors", "pageInfo", "hasNextPage") != true {
			break
		}
		after = r.At("actors", "pageInfo", "endCursor")
	}
	if total < 7 || len(seen) != total {
		t.Errorf("paged through %d people; totalCount %d; want all of at least 7", len(seen), total)
	}

	r := a.post(t, `{ actors(name: "RENDÓN") { nodes { id name } } cartels: actors(kinds: [CARTEL], country: "mexico") { totalCount } }`, nil).MustOK(t)
	if id := r.At("actors", "nodes", 0, "id"); id != "gian-carlo-loffredo-rendon" {
		t.Errorf(`actors(name: "RENDÓN") = %v; want Loffredo Rendon`, r.List("actors", "nodes"))
	}
	if n := r.At("cartels", "totalCount"); n != float64(2) {
		t.Errorf("Mexican cartels = %v; want 2", n)
	}
}

func TestRelationshipsExposeEndsPropertiesAndCitations(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ actor(id: "rafael-leonardo") {
	  relationships(types: [HOLDS_OFFICE], direction: OUT) { totalCount
	    edges { direction other { id } node { type from { id } to { id } role status asOf citations { locator source { id } } } } } } }`, nil).MustOK(t)
	if n := r.At("actor", "relationships", "totalCount"); n != float64(1) {
		t.Fatalf("HOLDS_OFFICE of rafael-leonardo = %v; want 1", n)
	}
	edge := []any{"actor", "relationships", "edges", 0}
	at := func(p ...any) any { return r.At(append(append([]any{}, edge...), p...)...) }
	if at("direction") != "OUT" || at("other", "id") != "us-department-of-defense" || at("node", "from", "id") != "rafael-leonardo" {
		t.Errorf("edge = %v", r.At(edge...))
	}
	if at("node", "status") != "REPORTED" || at("node", "asOf") != "2025-04-04" || at("node", "citations", 0, "locator") != "¶5" {
		t.Errorf("relationship properties = %v", at("node"))
	}
	// Incoming only: the department's view of the same tie.
	r = a.post(t, `{ actor(id: "us-department-of-defense") { relationships(types: [HOLDS_OFFICE], direction: IN) { edges { direction other { id } } } } }`, nil).MustOK(t)
	found := false
	for i := range r.List("actor", "relationships", "edges") {
		if r.At("actor", "relationships", "edges", i, "direction") != "IN" {
			t.Errorf("direction: IN returned an OUT edge")
		}
		if r.At("actor", "relationships", "edges", i, "other", "id") == "rafael-leonardo" {
			found = true
		}
	}
	if !found {
		t.Errorf("the department's incoming HOLDS_OFFICE does not include rafael-leonardo")
	}
	// A symmetric tie reads the same from both ends.
	for _, id := range []string{"ecuador", "colombia"} {
		r = a.post(t, `query($id: ID!) { actor(id: $id) { relationships(types: [BORDERS], direction: OUT) { nodes { from { id } to { id } } } } }`, map[string]any{"id": id}).MustOK(t)
		if len(r.List("actor", "relationships", "nodes")) == 0 {
			t.Errorf("BORDERS with direction OUT from %s is empty; symmetric types match in both directions", id)
		}
	}
}

func TestEveryEntityAndRelationshipCitesASource(t *testing.T) {
	a := newAPI(t)
	entities, relationships := 0, 0
	for _, list := range []string{"actors", "places", "agreements", "meetings", "events", "statistics"} {
		var after any
		for {
			r := a.post(t, `query($after: String) { l: `+list+`(first: 10, after: $after) {
			  nodes { id citations { locator source { id } passage { text } }
			    relationships(first: 50) { totalCount nodes { id citations { locator source { id } passage { text } } } } }
			  pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}).MustOK(t)
			for i := range r.List("l", "nodes") {
				entities++
				id := r.At("l", "nodes", i, "id")
				if len(r.List("l", "nodes", i, "citations")) == 0 {
					t.Errorf("%s %v has no citation", list, id)
				}
				if r.At("l", "nodes", i, "citations", 0, "source", "id") == nil {
					t.Errorf("%s %v cites a source that does not resolve", list, id)
				}
				for j := range r.List("l", "nodes", i, "citations") {
					if r.At("l", "nodes", i, "citations", j, "passage", "text") == nil {
						t.Errorf("%s %v: citation %v resolves to no passage", list, id, r.At("l", "nodes", i, "citations", j))
					}
				}
				if n := r.At("l", "nodes", i, "relationships", "totalCount").(float64); n > 50 {
					t.Fatalf("%s %v has %v relationships; the test reads 50", list, id, n)
				}
				for j := range r.List("l", "nodes", i, "relationships", "nodes") {
					relationships++
					if r.At("l", "nodes", i, "relationships", "nodes", j, "citations", 0, "source", "id") == nil ||
						r.At("l", "nodes", i, "relationships", "nodes", j, "citations", 0, "passage", "text") == nil {
						t.Errorf("relationship %v has no citation that resolves to a passage", r.At("l", "nodes", i, "relationships", "nodes", j, "id"))
					}
				}
			}
			if r.At("l", "pageInfo", "hasNextPage") != true {
				break
			}
			after = r.At("l", "pageInfo", "endCursor")
		}
	}
	nodes, rels, err := a.store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Sources cite nothing; every relationship is seen from both ends.
	sources := a.post(t, `{ sources { totalCount } }`, nil).MustOK(t).At("sources", "totalCount").(float64)
	if int64(entities)+int64(sources) != nodes || int64(relationships) != 2*rels {
		t.Errorf("checked %d entities and %d relationship ends; the graph has %d non-source entities and %d relationships",
			entities, relationships, nodes-int64(sources), rels)
	}
}

func TestStatisticsCarryValueUnitAndPeriod(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ statistics(first: 100) { nodes { id indicator value unit periodStart periodEnd measures { id } } } }`, nil).MustOK(t)
	stats := r.List("statistics", "nodes")
	if len(stats) < 5 {
		t.Fatalf("%d statistics; want the article's 5 figures", len(stats))
	}
	byValue := map[float64]map[string]any{}
	for _, s := range stats {
		m := s.(map[string]any)
		if m["unit"] == "" || m["periodStart"] == nil || m["periodEnd"] == nil || len(m["measures"].([]any)) == 0 {
			t.Errorf("statistic %v lacks unit, period or place: %v", m["id"], m)
		}
		byValue[m["value"].(float64)] = m
	}
	rate, ok := byValue[38.76]
	if !ok || rate["unit"] != "per 100,000 people" || rate["periodStart"] != "2024" {
		t.Errorf("the 2024 murder rate of 38.76 per 100,000 is missing or wrong: %v", rate)
	}
	if rise, ok := byValue[429]; !ok || rise["periodStart"] != "2019" || rise["periodEnd"] != "2024" {
		t.Errorf("the 429%% rise 2019-2024 is missing or wrong: %v", rise)
	}
}

func TestIDEExamplesRunWithoutErrors(t *testing.T) {
	a := newAPI(t)
	examples := webui.Examples()
	if len(examples) < 3 {
		t.Fatalf("%d example queries; want one for each kind of user", len(examples))
	}
	for _, ex := range examples {
		t.Run(ex.Name, func(t *testing.T) {
			r := a.post(t, ex.Query, nil).MustOK(t)
			if len(r.Data) == 0 {
				t.Errorf("example returned no data")
			}
			for k, v := range r.Data {
				if v == nil {
					t.Errorf("example field %s is null", k)
				}
			}
		})
	}
}

func TestBadArgumentsGetCodedErrorsNamingTheArgument(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		name, query, code, argument string
	}{
		{"page too large", `{ actors(first: 1000) { totalCount } }`, "BAD_USER_INPUT", "first"},
		{"negative page", `{ actors(first: -1) { totalCount } }`, "BAD_USER_INPUT", "first"},
		{"nested page too large", `{ actor(id: "ecuador") { relationships(first: 101) { totalCount } } }`, "BAD_USER_INPUT", "first"},
		{"bad cursor", `{ actors(after: "not a cursor!") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"malformed date", `{ actor(id: "daniel-noboa") { offices(activeAt: "2025-02-30") { title } } }`, "BAD_USER_INPUT", ""},
		{"date of wrong form", `{ actor(id: "daniel-noboa") { relationships(activeAt: "April 2025") { totalCount } } }`, "BAD_USER_INPUT", ""},
		{"unknown enum", `{ actors(kinds: [WIZARD]) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED", ""},
		{"unknown field", `{ actors { nope } }`, "GRAPHQL_VALIDATION_FAILED", ""},
		{"syntax error", `{ actors( }`, "GRAPHQL_PARSE_FAILED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.post(t, tc.query, nil)
			if r.Status != 200 {
				t.Errorf("status %d; want 200 for application/json", r.Status)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %v", r.Data)
			}
			e := r.Errors[0]
			if e.Code() != tc.code {
				t.Errorf("code = %q; want %q (%s)", e.Code(), tc.code, e.Message)
			}
			if tc.argument != "" && e.Extensions["argument"] != tc.argument {
				t.Errorf("argument = %v; want %q (%s)", e.Extensions["argument"], tc.argument, e.Message)
			}
			if tc.argument == "" && tc.code == "BAD_USER_INPUT" && !strings.Contains(e.Message, "activeAt") {
				t.Errorf("message %q does not name the argument activeAt", e.Message)
			}
		})
	}
}

func TestOverLimitQueriesAreRejectedBeforeAnyCypher(t *testing.T) {
	a := newAPI(t)
	deep := `{ actor(id: "ecuador") { relationships { nodes { from { relationships { nodes { from { relationships { nodes { from { relationships { nodes { id } } } } } } } } } } } } }`
	wide := `{ actors(first: 100) { nodes { relationships(first: 100) { nodes { from { relationships(first: 100) { nodes { id } } } } } } } }`
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := range 40 {
		aliases.WriteString(" a" + strings.Repeat("x", i) + `: actor(id: "ecuador") { id }`)
	}
	aliases.WriteString(" }")
	for name, q := range map[string]string{"deep": deep, "costly": wide, "aliases": aliases.String()} {
		t.Run(name, func(t *testing.T) {
			before := a.store.RoundTrips()
			r := a.post(t, q, nil)
			if len(r.Errors) != 1 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" {
				t.Fatalf("errors = %+v; want one QUERY_TOO_COMPLEX", r.Errors)
			}
			if r.Data != nil {
				t.Errorf("data = %v; want none", r.Data)
			}
			if n := a.store.RoundTrips() - before; n != 0 {
				t.Errorf("%d queries reached Neo4j; want 0", n)
			}
		})
	}
	t.Run("token limit", func(t *testing.T) {
		huge := "{ " + strings.Repeat("__typename ", 20000) + "}"
		r := a.post(t, huge, nil)
		if len(r.Errors) == 0 || len(r.Raw) > 10000 {
			t.Errorf("a 20,000-token query gave %d errors and a %d-byte answer; want a short refusal", len(r.Errors), len(r.Raw))
		}
	})
}

func TestNestedListsAreBatchedPerLevel(t *testing.T) {
	a := newAPI(t)
	q := `{ actors(first: 30) { nodes { id country { id }
	  relationships(first: 10) { nodes { id from { id } to { id } citations { source { id } } } } } } }`
	r, trips := a.trips(t, q, nil)
	if n := len(r.List("actors", "nodes")); n < 20 {
		t.Fatalf("only %d actors; the test needs many parents", n)
	}
	// actors; then countries and relationships (one batch each); then citation sources.
	if trips > 4 {
		t.Errorf("%d round trips to Neo4j for a 3-level query over %d parents; want at most 4", trips, len(r.List("actors", "nodes")))
	}
}

// A list of entities with a page of each one's relationships is one
// statement: the list's resolver reads the pages ahead (lookahead.go). The
// answer must be the one the loaders give level by level, which they do when
// look-ahead gives up (more relationship filters than it reads ahead).
func TestNestedListsReadAheadInOneRoundTrip(t *testing.T) {
	a := newAPI(t)
	const page = `relationships(first: 3) { totalCount pageInfo { hasNextPage endCursor }
	  nodes { id type since from { id } to { id name } } edges { direction other { id } } }`
	ahead := `query($after: String) { actors(first: 25, after: $after) { pageInfo { hasNextPage } nodes { id ` + page + ` } } }`
	// Five filters: more than look-ahead reads, so all of them go through the loaders.
	levels := `query($after: String) { actors(first: 25, after: $after) { pageInfo { hasNextPage } nodes { id ` + page + `
	  a: relationships(types: [LEADS]) { nodes { id } } b: relationships(types: [MEMBER_OF]) { nodes { id } }
	  c: relationships(direction: OUT) { nodes { id } } d: relationships(direction: IN) { nodes { id } } } } }`
	for _, after := range []any{nil, base64.RawURLEncoding.EncodeToString([]byte("e"))} {
		vars := map[string]any{"after": after}
		r1, trips1 := a.trips(t, ahead, vars)
		r2, trips2 := a.trips(t, levels, vars)
		if trips1 != 1 {
			t.Errorf("after %v: %d round trips for actors with their relationships; want 1", after, trips1)
		}
		if trips2 < 2 {
			t.Errorf("after %v: %d round trips through the loaders; the comparison needs them", after, trips2)
		}
		nodes1, nodes2 := r1.List("actors", "nodes"), r2.List("actors", "nodes")
		if len(nodes1) < 20 || len(nodes1) != len(nodes2) {
			t.Fatalf("after %v: %d and %d actors; want the same page of at least 20", after, len(nodes1), len(nodes2))
		}
		ties := 0
		for i := range nodes1 {
			got, want := r1.At("actors", "nodes", i), r2.At("actors", "nodes", i)
			w := want.(map[string]any)
			delete(w, "a")
			delete(w, "b")
			delete(w, "c")
			delete(w, "d")
			if !reflect.DeepEqual(got, w) {
				t.Errorf("after %v: actor %d read ahead:\n%v\nlevel by level:\n%v", after, i, got, w)
			}
			ties += len(r1.List("actors", "nodes", i, "relationships", "nodes"))
		}
		if ties < 20 {
			t.Errorf("after %v: only %d relationships in the page: the comparison checks little", after, ties)
		}
	}
}

func TestAnEntityWithItsRelationshipsIsOneRoundTrip(t *testing.T) {
	a := newAPI(t)
	q := `{ actor(id: "ecuador") { id name relationships(types: [MEMBER_OF, LEADS], first: 5) { totalCount nodes { id from { id } to { id } } }
	  out: relationships(direction: OUT, first: 2) { nodes { id } } } }`
	r, trips := a.trips(t, q, nil)
	if trips != 1 {
		t.Errorf("%d round trips for an actor with two pages of relationships; want 1", trips)
	}
	if r.At("actor", "id") != "ecuador" || len(r.List("actor", "out", "nodes")) == 0 {
		t.Errorf("answer %v; want ecuador with its relationships", r.Data)
	}
	// The country comes with the entity, and with every entity of a list.
	r, trips = a.trips(t, `{ actor(id: "los-choneros") { id country { id name } } }`, nil)
	if trips != 1 || r.At("actor", "country", "id") != "ecuador" || r.At("actor", "country", "name") == nil {
		t.Errorf("%d round trips for an actor and its country (%v); want 1, and Ecuador", trips, r.Data)
	}
	list, trips := a.trips(t, `{ actors(first: 40) { nodes { id country { id name } } } }`, nil)
	withCountry := 0
	for i := range list.List("actors", "nodes") {
		if c := list.At("actors", "nodes", i, "country", "id"); c != nil {
			withCountry++
			// Through the interface, the fragment is not read ahead: the loaders fetch the country.
			one := a.post(t, `query($id: ID!) { a: entity(id: $id) { ... on Actor { country { id name } } } b: actor(id: "ecuador") { id } }`,
				map[string]any{"id": list.At("actors", "nodes", i, "id")}).MustOK(t)
			if !reflect.DeepEqual(one.At("a", "country"), list.At("actors", "nodes", i, "country")) {
				t.Errorf("actor %v: country %v in the list, %v through the loaders", list.At("actors", "nodes", i, "id"),
					list.At("actors", "nodes", i, "country"), one.At("a", "country"))
			}
		}
	}
	if trips != 1 || withCountry < 5 {
		t.Errorf("%d round trips for %d actors with countries; want 1 (and at least 5 countries to compare)", trips, withCountry)
	}
	// Two root fields share the loader's batch: still one read of entities.
	r, trips = a.trips(t, `{ a: actor(id: "ecuador") { id } b: actor(id: "los-choneros") { id } }`, nil)
	if trips != 1 || r.At("b", "id") != "los-choneros" {
		t.Errorf("%d round trips for two actors (%v); want 1", trips, r.Data)
	}
}

func TestGetRunsQueries(t *testing.T) {
	a := newAPI(t)
	r := apitest.Get(t, a.url+"?query="+strings.ReplaceAll(`{actor(id:"ecuador"){name}}`, `"`, "%22"))
	r.MustOK(t)
	if r.At("actor", "name") != "Ecuador" {
		t.Errorf("GET query: %v", r.Data)
	}
}

func TestErrorsNeverLeakTheRequestBody(t *testing.T) {
	a := newAPI(t)
	secret := strings.Repeat("SECRET-PAYLOAD ", 100)
	r := apitest.PostRaw(t, a.url, "application/json", []byte(`{"query": "`+secret))
	if strings.Contains(r.Raw, "SECRET-PAYLOAD") {
		t.Errorf("error echoes the body: %.200s", r.Raw)
	}
	if len(r.Errors) == 0 {
		t.Errorf("malformed JSON accepted: %s", r.Raw)
	}
	r = apitest.PostRaw(t, a.url, "application/x-www-form-urlencoded", []byte("query=%7Bactors%7BtotalCount%7D%7D"))
	if r.Status < 400 {
		t.Errorf("form-encoded POST answered %d; want it refused", r.Status)
	}
}

func TestRequestErrorsFollowGraphQLOverHTTP(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		accept     string
		wantStatus int
		wantData   bool
	}{
		{"application/json", 200, true},
		{"application/graphql-response+json", 400, false},
	} {
		req, _ := http.NewRequest(http.MethodPost, a.url, strings.NewReader(`{"query":"{ actors { nope } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", tc.accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: body %q is not JSON", tc.accept, body)
		}
		_, hasData := got["data"]
		if resp.StatusCode != tc.wantStatus || hasData != tc.wantData || got["errors"] == nil {
			t.Errorf("Accept %s: status %d, data present %v, body %s; want %d, %v", tc.accept, resp.StatusCode, hasData, body, tc.wantStatus, tc.wantData)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.accept) {
			t.Errorf("Accept %s answered with Content-Type %s", tc.accept, resp.Header.Get("Content-Type"))
		}
	}
}
