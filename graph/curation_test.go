package graph_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
	"github.com/coopgraph/coopgraph/seed"
)

// writeAPI is the real HTTP surface with authentication, over a freshly
// seeded Neo4j, with one API key per role.
type writeAPI struct {
	url   string
	store *neo4jstore.Store
	logs  *syncBuffer
	keys  map[coop.Role]string
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newWriteAPI(t testing.TB, cfg auth.Config) *writeAPI {
	t.Helper()
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srvCfg := server.DefaultConfig(logger)
	srvCfg.Auth = cfg
	srv := apitest.Start(t, store, srvCfg)
	w := &writeAPI{url: srv.URL + "/graphql", store: store, logs: logs, keys: map[coop.Role]string{}}
	for _, role := range coop.Roles {
		key, _, err := auth.IssueKey(context.Background(), store, string(role)+"-holder", role, coop.Principal{Name: "test", Via: "cli"})
		if err != nil {
			t.Fatalf("IssueKey: %v", err)
		}
		w.keys[role] = key
	}
	return w
}

func (w *writeAPI) as(t *testing.T, credential, query string, vars map[string]any) apitest.Response {
	t.Helper()
	return apitest.PostAs(t, w.url, credential, query, vars)
}

// snapshot is the whole stored graph and the length of the audit trail:
// equal snapshots mean nothing was written.
func (w *writeAPI) snapshot(t testing.TB) string {
	t.Helper()
	// Whatever the writes did, country ties still say what country fields
	// say, and mentions what names and passages say.
	neo4jtest.MustHoldCountryTies(t, w.store)
	neo4jtest.MustHoldMentions(t, w.store)
	ctx := context.Background()
	var b strings.Builder
	err := w.store.EachEntity(ctx, 1000, func(es []coop.Entity) error {
		for _, e := range es {
			fmt.Fprintf(&b, "%s v%d\n", dataset.EntityJSON(e), e.EntityBase().Version)
		}
		return nil
	})
	if err == nil {
		err = w.store.EachRelationship(ctx, 1000, func(rs []*coop.Relationship) error {
			for _, r := range rs {
				fmt.Fprintf(&b, "%s v%d\n", dataset.RelationshipJSON(r), r.Version)
			}
			return nil
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, count := range []struct{ what, cypher string }{
		{"changes", "MATCH (x:Change) RETURN x"},
		{"API keys", "MATCH (x:ApiKey) RETURN x"},
		{"revoked API keys", "MATCH (x:ApiKey) WHERE x.revokedAt IS NOT NULL RETURN x"},
		{"redirects", "MATCH (x:Redirect) RETURN x"},
	} {
		n, err := w.store.Run(ctx, neo4jstore.Statement{Cypher: count.cypher})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %d\n", count.what, n)
	}
	return b.String()
}

// mustBeUnchanged fails the test, showing the lines that differ, when the
// graph or the audit trail is no longer what snapshot gave before.
func (w *writeAPI) mustBeUnchanged(t testing.TB, before, what string) {
	t.Helper()
	after := w.snapshot(t)
	if after == before {
		return
	}
	was, now := strings.Split(before, "\n"), strings.Split(after, "\n")
	var diff strings.Builder
	for _, l := range was {
		if !slices.Contains(now, l) {
			fmt.Fprintf(&diff, "\n  - %.300s", l)
		}
	}
	for _, l := range now {
		if !slices.Contains(was, l) {
			fmt.Fprintf(&diff, "\n  + %.300s", l)
		}
	}
	t.Errorf("%s changed the graph or the audit trail:%s", what, diff.String())
}

const cite = `[{source: "ecuador-pentagon-2025", locator: "¶2"}]`

var createGang = `mutation { createActor(input: {id: "nueva-banda", name: "Nueva Banda", kind: CRIMINAL_GROUP, country: "ecuador", citations: ` + cite + `}) {
  created entity { id version } change { who action } } }`

func TestWritesWithoutAValidEditorCredentialAreRefusedAndWriteNothing(t *testing.T) {
	secret := []byte("a-test-secret-of-at-least-32-bytes!!")
	w := newWriteAPI(t, auth.Config{HS256Secret: secret})
	token := func(role string, exp time.Duration, key []byte) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "analyst-7", "role": role, "exp": time.Now().Add(exp).Unix()}).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	revoked, _, err := auth.IssueKey(context.Background(), w.store, "leaver", coop.RoleEditor, coop.Principal{Name: "test", Via: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.RevokeKey(context.Background(), "leaver", coop.Principal{Name: "test", Via: "cli"}); err != nil {
		t.Fatal(err)
	}
	before := w.snapshot(t)
	cases := []struct {
		name, credential, code string
		status                 int
	}{
		{"no credential", "", "UNAUTHENTICATED", 200},
		{"reader key", w.keys[coop.RoleReader], "FORBIDDEN", 200},
		{"reader token", token("reader", time.Hour, secret), "FORBIDDEN", 200},
		{"unknown key", "cgk_" + strings.Repeat("A", 43), "UNAUTHENTICATED", 401},
		{"revoked key", revoked, "UNAUTHENTICATED", 401},
		{"expired token", token("editor", -time.Hour, secret), "UNAUTHENTICATED", 401},
		{"token signed with another secret", token("editor", time.Hour, []byte("another-secret-of-at-least-32-bytes!!")), "UNAUTHENTICATED", 401},
		{"garbage", "not-a-credential", "UNAUTHENTICATED", 401},
	}
	for _, c := range cases {
		r := w.as(t, c.credential, createGang, nil)
		if r.ErrorCode() != c.code || r.Status != c.status {
			t.Errorf("%s: status %d, code %q; want %d, %q (%s)", c.name, r.Status, r.ErrorCode(), c.status, c.code, r.Raw)
		}
		if r.At("createActor") != nil {
			t.Errorf("%s: answered with data %v", c.name, r.At("createActor"))
		}
	}
	// An editor may not manage keys.
	if r := w.as(t, w.keys[coop.RoleEditor], `mutation { createApiKey(name: "x", role: ADMIN) { key } }`, nil); r.ErrorCode() != "FORBIDDEN" {
		t.Errorf("an editor creating a key: %s", r.Raw)
	}
	w.mustBeUnchanged(t, before, "refused writes")

	// The editor's key and an editor token may write, and the audit trail names them.
	r := w.as(t, w.keys[coop.RoleEditor], createGang, nil).MustOK(t)
	if r.At("createActor", "created") != true || r.At("createActor", "change", "who") != "key:editor-holder" {
		t.Errorf("editor create: %s", r.Raw)
	}
	r = w.as(t, token("editor", time.Hour, secret), `mutation { addAliases(id: "nueva-banda", aliases: ["NB"], citations: `+cite+`) { change { who } } }`, nil).MustOK(t)
	if r.At("addAliases", "change", "who") != "jwt:analyst-7" {
		t.Errorf("token write recorded as %v", r.At("addAliases", "change", "who"))
	}
	// No key ever reaches the log.
	for role, key := range w.keys {
		if strings.Contains(w.logs.String(), key) {
			t.Errorf("the %s key appears in the log", role)
		}
	}
	if strings.Contains(w.logs.String(), revoked) {
		t.Errorf("a revoked key appears in the log")
	}
}

func TestRS256TokensAndCredentialRequiredReads(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	w := newWriteAPI(t, auth.Config{RS256Key: &priv.PublicKey, ReadNeedsCredential: true, Issuer: "https://idp.example", RoleClaim: "roles"})
	sign := func(claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	exp := time.Now().Add(time.Hour).Unix()
	read := `{ actor(id: "ecuador") { name } viewer { name role via } }`
	if r := w.as(t, "", read, nil); r.Status != 401 || r.ErrorCode() != "UNAUTHENTICATED" {
		t.Errorf("anonymous read with reads closed: %d %s", r.Status, r.Raw)
	}
	r := w.as(t, w.keys[coop.RoleReader], read, nil).MustOK(t)
	if r.At("actor", "name") != "Ecuador" || r.At("viewer", "role") != "READER" {
		t.Errorf("reader key read: %s", r.Raw)
	}
	good := sign(jwt.MapClaims{"sub": "u1", "iss": "https://idp.example", "roles": []string{"reader", "editor"}, "exp": exp})
	r = w.as(t, good, read, nil).MustOK(t)
	if r.At("viewer", "role") != "EDITOR" || r.At("viewer", "name") != "u1" {
		t.Errorf("RS256 token viewer: %s", r.Raw)
	}
	w.as(t, good, createGang, nil).MustOK(t)
	wrongIssuer := sign(jwt.MapClaims{"sub": "u1", "iss": "https://evil.example", "roles": "editor", "exp": exp})
	if r := w.as(t, wrongIssuer, read, nil); r.Status != 401 {
		t.Errorf("a token from another issuer: %d %s", r.Status, r.Raw)
	}
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "u1", "iss": "https://idp.example", "roles": "admin", "exp": exp})
	forged, _ := hs.SignedString([]byte{}) // what an unset HS256 secret would check against
	if r := w.as(t, forged, read, nil); r.Status != 401 {
		t.Errorf("an HS256 token where only RS256 is configured: %d %s", r.Status, r.Raw)
	}
}

func TestWritesNeedCitationsAndRespectKindRules(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	before := w.snapshot(t)
	cases := map[string]struct{ query, field string }{
		"create without citations": {`mutation { createActor(input: {id: "x-group", name: "X", kind: CRIMINAL_GROUP, citations: []}) { created } }`, "citations"},
		"update without citations": {`mutation { updateActor(id: "los-lobos", expectedVersion: 1, set: {description: "d"}, citations: []) { change { seq } } }`, "citations"},
		"citing no source":         {`mutation { addAliases(id: "los-lobos", aliases: ["L"], citations: [{source: "no-such-source", locator: "¶1"}]) { change { seq } } }`, "citations"},
		"blank locator":            {`mutation { addAliases(id: "los-lobos", aliases: ["L"], citations: [{source: "ecuador-pentagon-2025", locator: "  "}]) { change { seq } } }`, "citations[0].locator"},
		"kind rule":                {`mutation { createRelationship(input: {type: MEMBER_OF, from: "ecuador", to: "daniel-noboa", status: REPORTED, citations: ` + cite + `}) { created } }`, "type"},
		"bad date":                 {`mutation { endRelationship(id: "x", until: "2025-13", citations: ` + cite + `) { change { seq } } }`, "until"},
		"delete without reason":    {`mutation { deleteRelationship(id: "x", reason: " ") { change { seq } } }`, "reason"},
	}
	for name, c := range cases {
		r := w.as(t, ed, c.query, nil)
		if r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != c.field {
			t.Errorf("%s: %s; want BAD_USER_INPUT on %s", name, r.Raw, c.field)
		}
	}
	r := w.as(t, ed, cases["kind rule"].query, nil)
	if msg := r.Errors[0].Message; !strings.Contains(msg, "MEMBER_OF may not end at PERSON") {
		t.Errorf("the kind rule error does not name the rule: %q", msg)
	}
	w.mustBeUnchanged(t, before, "refused writes")
}

func TestCreatesAreIdempotentAndInputIsNormalisedAndStoredLiterally(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	q := `mutation($in: ActorInput!) { createActor(input: $in) { created entity { id name description version } change { seq } } }`
	in := map[string]any{"id": "banda-cafe", "name": "  Banda   Cafe\u0301 ", "kind": "CRIMINAL_GROUP",
		"description": `x"}) MATCH (n) DETACH DELETE n //`, "citations": []any{map[string]any{"source": "ecuador-pentagon-2025", "locator": "¶2"}}}
	r := w.as(t, ed, q, map[string]any{"in": in}).MustOK(t)
	if r.At("createActor", "created") != true || r.At("createActor", "entity", "name") != "Banda Caf\u00e9" {
		t.Errorf("first create: %s", r.Raw)
	}
	stored := w.as(t, "", `{ actor(id: "banda-cafe") { name description } }`, nil).MustOK(t)
	if stored.At("actor", "description") != in["description"] || stored.At("actor", "name") != "Banda Caf\u00e9" {
		t.Errorf("not stored literally and normalised: %s", stored.Raw)
	}
	before := w.snapshot(t)
	// A retry changes nothing.
	r = w.as(t, ed, q, map[string]any{"in": in}).MustOK(t)
	if r.At("createActor", "created") != false || r.At("createActor", "change") != nil {
		t.Errorf("a retried create: %s", r.Raw)
	}
	w.mustBeUnchanged(t, before, "a retried create")
	// The same id with other content is a conflict.
	in["name"] = "Otra Banda"
	if r := w.as(t, ed, q, map[string]any{"in": in}); r.ErrorCode() != "CONFLICT" {
		t.Errorf("a different create under a used id: %s", r.Raw)
	}
	w.mustBeUnchanged(t, before, "a conflicting create")
}

func TestConcurrentUpdatesOfOneEntityLoseNothing(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	read := `query { actor(id: "los-lobos") { version aliases } }`
	start := w.as(t, ed, read, nil).MustOK(t)
	v0 := int(start.At("actor", "version").(float64))
	update := `mutation($v: Int!, $aliases: [String!]!) {
  updateActor(id: "los-lobos", expectedVersion: $v, set: {aliases: $aliases}, citations: ` + cite + `) { entity { version } } }`
	const writers = 50
	var wg sync.WaitGroup
	conflicts := make([]int, writers)
	errs := make(chan string, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := fmt.Sprintf("Lobos alias %02d", i)
			for attempt := 0; attempt < 500; attempt++ {
				cur, err := apitest.Do(apitest.Request{URL: w.url, Credential: ed, Query: read})
				if err == nil {
					err = cur.Check()
				}
				if err != nil {
					errs <- err.Error()
					return
				}
				v, _ := cur.At("actor", "version").(float64)
				var aliases []any
				aliases = append(aliases, cur.List("actor", "aliases")...)
				aliases = append(aliases, mine)
				r, err := apitest.Do(apitest.Request{URL: w.url, Credential: ed, Query: update, Variables: map[string]any{"v": int(v), "aliases": aliases}})
				if err != nil {
					errs <- err.Error()
					return
				}
				switch r.ErrorCode() {
				case "":
					return
				case "CONFLICT":
					conflicts[i]++
					continue
				default:
					errs <- r.Raw
					return
				}
			}
			errs <- "gave up after 500 conflicts"
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("an update failed: %s", e)
	}
	end := w.as(t, ed, read, nil).MustOK(t)
	aliases := end.List("actor", "aliases")
	for i := range writers {
		if !slices.Contains(aliases, any(fmt.Sprintf("Lobos alias %02d", i))) {
			t.Errorf("update %d was lost", i)
		}
	}
	if got := int(end.At("actor", "version").(float64)); got != v0+writers {
		t.Errorf("version went from %d to %d; want +%d", v0, got, writers)
	}
	total := 0
	for _, c := range conflicts {
		total += c
	}
	// Fifty writers that read the same version and write it back: all but
	// one must have been refused at least once, or the test never raced.
	if total < writers/2 {
		t.Errorf("%d updates were refused as stale only %d times: the writes did not race, so nothing was tested", writers, total)
	}

	// Alias additions need no version: 50 at once all land.
	add := `mutation($a: String!) { addAliases(id: "los-choneros", aliases: [$a], citations: ` + cite + `) { entity { version } } }`
	var wg2 sync.WaitGroup
	for i := range writers {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			r, err := apitest.Do(apitest.Request{URL: w.url, Credential: ed, Query: add, Variables: map[string]any{"a": fmt.Sprintf("Choneros alias %02d", i)}})
			if err == nil {
				err = r.Check()
			}
			if err != nil {
				t.Errorf("addAliases: %v", err) // Errorf, unlike Fatal, may be called from any goroutine
			}
		}()
	}
	wg2.Wait()
	got := w.as(t, ed, `{ actor(id: "los-choneros") { aliases history(first: 100) { nodes { action } } } }`, nil).MustOK(t)
	n := 0
	for _, a := range got.List("actor", "aliases") {
		if strings.HasPrefix(a.(string), "Choneros alias ") {
			n++
		}
	}
	if n != writers {
		t.Errorf("%d of %d concurrent alias additions landed", n, writers)
	}
	if h := len(got.List("actor", "history", "nodes")); h != writers {
		t.Errorf("history has %d entries; want %d", h, writers)
	}
}

func TestMergeLeavesOnlyARedirect(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	// A duplicate of Los Lobos, with a tie of its own, one to Los Lobos, a
	// place in its country... and a cited alias.
	w.as(t, ed, `mutation {
  a: createActor(input: {id: "lobos-dup", name: "Los Lobos (dup)", aliases: ["Lobos Box"], kind: CRIMINAL_GROUP, country: "ecuador", citations: [{source: "ecuador-pentagon-2025", locator: "¶9"}]}) { created }
  b: createRelationship(input: {type: ALLIED_WITH, from: "lobos-dup", to: "cjng", status: REPORTED, citations: `+cite+`}) { created }
  c: createRelationship(input: {type: RIVAL_OF, from: "los-choneros", to: "lobos-dup", status: REPORTED, citations: `+cite+`}) { created }
  d: createRelationship(input: {type: SPLINTER_OF, from: "lobos-dup", to: "los-lobos", status: ALLEGED, citations: `+cite+`}) { created }
}`, nil).MustOK(t)
	r := w.as(t, ed, `mutation { mergeEntities(keep: "los-lobos", remove: "lobos-dup", reason: "one group") {
  entity { id aliases citations { locator } } change { action entityIds reason } } }`, nil).MustOK(t)
	aliases := r.List("mergeEntities", "entity", "aliases")
	for _, want := range []string{"Los Lobos (dup)", "Lobos Box"} {
		if !slices.Contains(aliases, any(want)) {
			t.Errorf("kept entity lacks alias %q: %v", want, aliases)
		}
	}
	if !strings.Contains(fmt.Sprint(r.At("mergeEntities", "entity", "citations")), "¶9") {
		t.Errorf("kept entity lacks the removed one's citation")
	}
	// Nothing in the graph names the removed id any more, but the redirect.
	ctx := context.Background()
	for name, cypher := range map[string]string{
		"node":                `MATCH (n) WHERE n.id = "lobos-dup" AND NOT n:Redirect RETURN n`,
		"relationship end":    `MATCH (n {id: "lobos-dup"})-[r]-() RETURN r`,
		"country property":    `MATCH (n:Entity) WHERE n.country = "lobos-dup" RETURN n`,
		"dangling or looping": `MATCH (a:Entity)-[r]->(b:Entity) WHERE a = b RETURN r`,
	} {
		if n, err := w.store.Run(ctx, neo4jstore.Statement{Cypher: cypher}); err != nil || n != 0 {
			t.Errorf("%s: %d found (err %v)", name, n, err)
		}
	}
	if n, _ := w.store.Run(ctx, neo4jstore.Statement{Cypher: `MATCH (r:Redirect {id: "lobos-dup", to: "los-lobos"}) RETURN r`}); n != 1 {
		t.Errorf("%d redirects; want 1", n)
	}
	// The removed id resolves to the kept entity, which now holds the ties.
	got := w.as(t, "", `{ entity(id: "lobos-dup") { id relationships(first: 100) { nodes { type from { id } to { id } citations { source { id } } } } } }`, nil).MustOK(t)
	if got.At("entity", "id") != "los-lobos" {
		t.Fatalf("the removed id resolves to %v", got.At("entity", "id"))
	}
	// Each tie once: the moved ALLIED_WITH, and one RIVAL_OF with Los
	// Choneros, the seed's, now also citing the duplicate's evidence (a
	// symmetric tie has no twin, not even after a merge).
	ties, rivalCites := map[string]int{}, ""
	for i := range got.List("entity", "relationships", "nodes") {
		n := func(p ...any) any { return got.At(append([]any{"entity", "relationships", "nodes", i}, p...)...) }
		ties[fmt.Sprintf("%v %v %v", n("from", "id"), n("type"), n("to", "id"))]++
		if n("type") == "RIVAL_OF" {
			rivalCites += fmt.Sprint(n("citations"))
		}
	}
	for tie, want := range map[string]int{"los-lobos ALLIED_WITH cjng": 1, "los-lobos RIVAL_OF los-choneros": 1, "los-choneros RIVAL_OF los-lobos": 0} {
		if ties[tie] != want {
			t.Errorf("after the merge, %q %d times; want %d: %v", tie, ties[tie], want, ties)
		}
	}
	if !strings.Contains(rivalCites, "ecuador-pentagon-2025") || !strings.Contains(rivalCites, "us-treasury") {
		t.Errorf("the kept RIVAL_OF tie cites %s; want its own and the folded tie's evidence", rivalCites)
	}
	if reason := r.At("mergeEntities", "change", "reason"); !strings.Contains(fmt.Sprint(reason), "folded 1 relationships") {
		t.Errorf("the merge's reason does not say a tie was folded: %v", reason)
	}
	// Analyst queries follow the redirect too.
	follow := w.as(t, "", `{ network(ids: ["lobos-dup"]) { nodes { id } }
  paths(from: "lobos-dup", to: "cjng", maxHops: 1) { nodes { id } }
  timeline(ids: ["lobos-dup"], first: 1) { nodes { date } } }`, nil).MustOK(t)
	if follow.At("network", "nodes", 0, "id") != "los-lobos" || follow.At("paths", 0, "nodes", 0, "id") != "los-lobos" || len(follow.List("timeline", "nodes")) != 1 {
		t.Errorf("network, paths and timeline of the removed id: %s", follow.Raw)
	}
	// Writing to the removed id says where it went; the merge is in both histories.
	if r := w.as(t, ed, `mutation { addAliases(id: "lobos-dup", aliases: ["z"], citations: `+cite+`) { change { seq } } }`, nil); r.ErrorCode() != "NOT_FOUND" ||
		!strings.Contains(r.Errors[0].Message, "merged into \"los-lobos\"") {
		t.Errorf("write to a merged id: %s", r.Raw)
	}
	h := w.as(t, "", `{ changes(entity: "lobos-dup", first: 100) { nodes { action targetId before } } }`, nil).MustOK(t)
	nodes := h.List("changes", "nodes")
	if len(nodes) != 5 || h.At("changes", "nodes", 4, "action") != "MERGE" || h.At("changes", "nodes", 4, "before", "remove", "id") != "lobos-dup" {
		t.Errorf("history of the removed id: %s", h.Raw)
	}
}

func TestAuditTrailRecordsWhoWhatBeforeAfterAndEvidence(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	seedDescription := w.as(t, "", `{ actor(id: "los-lobos") { description } }`, nil).MustOK(t).At("actor", "description")
	first := w.as(t, ed, `mutation { updateActor(id: "los-lobos", expectedVersion: 1, set: {description: "changed"}, citations: [{source: "ecuador-pentagon-2025", locator: "¶7"}]) { change { seq at } } }`, nil).MustOK(t)
	// The server stamps changes with its own clock: "since" is read off it,
	// never off the test's, so a clock skew cannot drop or add entries.
	since := first.At("updateActor", "change", "at")
	w.as(t, ed, `mutation { createRelationship(input: {id: "lobos-cjng-test", type: ALLIED_WITH, from: "los-lobos", to: "cjng", status: REPORTED, citations: `+cite+`}) { created } }`, nil).MustOK(t)
	w.as(t, ed, `mutation { deleteRelationship(id: "lobos-cjng-test", reason: "entered twice") { change { seq } } }`, nil).MustOK(t)
	r := w.as(t, "", `query($s: Time) { changes(since: $s, first: 2) { nodes { seq who action target targetId entityIds before after citations { locator } reason } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"s": since}).MustOK(t)
	if r.At("changes", "nodes", 0, "seq") != first.At("updateActor", "change", "seq") || r.At("changes", "nodes", 0, "action") != "UPDATE" ||
		r.At("changes", "nodes", 0, "who") != "key:editor-holder" || seedDescription == nil ||
		r.At("changes", "nodes", 0, "before", "description") != seedDescription || r.At("changes", "nodes", 0, "after", "description") != "changed" ||
		r.At("changes", "nodes", 0, "citations", 0, "locator") != "¶7" {
		t.Errorf("update entry: %s; want the seed's description %q before", r.Raw, seedDescription)
	}
	if r.At("changes", "nodes", 1, "action") != "CREATE" || r.At("changes", "nodes", 1, "target") != "RELATIONSHIP" ||
		r.At("changes", "nodes", 1, "targetId") != "lobos-cjng-test" || r.At("changes", "nodes", 1, "after", "id") != "lobos-cjng-test" ||
		r.At("changes", "nodes", 1, "before") != nil || r.At("changes", "nodes", 1, "who") != "key:editor-holder" ||
		fmt.Sprint(r.At("changes", "nodes", 1, "entityIds")) != "[los-lobos cjng]" {
		t.Errorf("create entry: %s", r.Raw)
	}
	if r.At("changes", "pageInfo", "hasNextPage") != true {
		t.Fatalf("expected a second page: %s", r.Raw)
	}
	next := w.as(t, "", `query($s: Time, $a: String) { changes(since: $s, first: 5, after: $a) { nodes { action target targetId before after reason } } }`,
		map[string]any{"s": since, "a": r.At("changes", "pageInfo", "endCursor")}).MustOK(t)
	if next.At("changes", "nodes", 0, "action") != "DELETE" || next.At("changes", "nodes", 0, "before", "id") != "lobos-cjng-test" ||
		next.At("changes", "nodes", 0, "after") != nil || next.At("changes", "nodes", 0, "reason") != "entered twice" {
		t.Errorf("second page: %s", next.Raw)
	}
	if r := w.as(t, "", `{ changes(after: "!!") { nodes { seq } } }`, nil); r.ErrorCode() != "BAD_USER_INPUT" {
		t.Errorf("a bad cursor: %s", r.Raw)
	}
}

func TestDeleteEntityOnlyWhenNothingRefersToIt(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	w.as(t, ed, createGang, nil).MustOK(t)
	w.as(t, ed, `mutation { createRelationship(input: {type: OPERATES_IN, from: "nueva-banda", to: "ecuador", status: REPORTED, citations: `+cite+`}) { created } }`, nil).MustOK(t)
	// A country without ties that an actor names as its country.
	w.as(t, ed, `mutation {
  a: createActor(input: {id: "tierra", name: "Tierra", kind: COUNTRY, citations: `+cite+`}) { created }
  b: createActor(input: {id: "banda-de-tierra", name: "Banda de Tierra", kind: CRIMINAL_GROUP, country: "tierra", citations: `+cite+`}) { created } }`, nil).MustOK(t)
	// Facts citing the Los Lobos release, from the seed: each once, a country
	// tie not being a fact of its own.
	records, _ := seed.Dataset()
	citing := 0
	for _, e := range records.Entities {
		if slices.ContainsFunc(e.EntityBase().Citations, func(c coop.Citation) bool { return c.SourceID == "us-treasury-2024-06-06-los-lobos" }) {
			citing++
		}
	}
	for _, r := range records.Relationships {
		if slices.ContainsFunc(r.Citations, func(c coop.Citation) bool { return c.SourceID == "us-treasury-2024-06-06-los-lobos" }) {
			citing++
		}
	}
	before := w.snapshot(t)
	for name, c := range map[string]struct{ q, says string }{
		"entity with a tie":   {`mutation { deleteEntity(id: "nueva-banda", reason: "mistake") { change { seq } } }`, "1 relationships"},
		"country of others":   {`mutation { deleteEntity(id: "tierra", reason: "mistake") { change { seq } } }`, "as their country"},
		"source cited by all": {`mutation { deleteEntity(id: "us-treasury-2024-06-06-los-lobos", reason: "mistake") { change { seq } } }`, fmt.Sprintf("has %d facts citing it", citing)},
	} {
		if r := w.as(t, ed, c.q, nil); r.ErrorCode() != "CONFLICT" || !strings.Contains(r.Errors[0].Message, c.says) {
			t.Errorf("%s: %s; want CONFLICT saying %q", name, r.Raw, c.says)
		}
	}
	w.mustBeUnchanged(t, before, "refused deletes")
	w.as(t, ed, `mutation { deleteRelationship(id: "nueva-banda-operates-in-ecuador", reason: "mistake") { change { seq } } }`, nil).MustOK(t)
	r := w.as(t, ed, `mutation { deleteEntity(id: "nueva-banda", expectedVersion: 1, reason: "entered by mistake") { entity { id } change { action before } } }`, nil).MustOK(t)
	if r.At("deleteEntity", "change", "action") != "DELETE" || r.At("deleteEntity", "change", "before", "id") != "nueva-banda" {
		t.Errorf("delete: %s", r.Raw)
	}
	if got := w.as(t, "", `{ entity(id: "nueva-banda") { id } }`, nil).MustOK(t); got.At("entity") != nil {
		t.Errorf("the deleted entity is still there: %s", got.Raw)
	}
}

func TestWritesThatWouldBreakTheGraphAreRefused(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	before := w.snapshot(t)
	for name, c := range map[string]struct{ q, code, field, says string }{
		"a loop": {`mutation { createRelationship(input: {type: ALLIED_WITH, from: "los-lobos", to: "los-lobos", status: REPORTED, citations: ` + cite + `}) { created } }`,
			"BAD_USER_INPUT", "to", "two different entities"},
		"a symmetric twin": {`mutation { createRelationship(input: {id: "choneros-rival-lobos-again", type: RIVAL_OF, from: "los-choneros", to: "los-lobos", status: REPORTED, citations: ` + cite + `}) { created } }`,
			"CONFLICT", "id", "already joins these two"},
		"a kind its ties do not allow": {`mutation { updateActor(id: "los-lobos", expectedVersion: 1, set: {kind: PERSON}, citations: ` + cite + `) { change { seq } } }`,
			"BAD_USER_INPUT", "kind", "would break its rule"},
		"a country others name": {`mutation { updateActor(id: "ecuador", expectedVersion: 1, set: {kind: GOVERNMENT}, citations: ` + cite + `) { change { seq } } }`,
			"BAD_USER_INPUT", "kind", "as their country"},
		"its own country": {`mutation { updateActor(id: "ecuador", expectedVersion: 1, set: {country: "ecuador"}, citations: ` + cite + `) { change { seq } } }`,
			"BAD_USER_INPUT", "country", "own country"},
		"a country tie made by hand": {`mutation { createRelationship(input: {type: IN_COUNTRY, from: "los-lobos", to: "colombia", status: REPORTED, citations: ` + cite + `}) { created } }`,
			"BAD_USER_INPUT", "type", "IN_COUNTRY ties stand for an entity's country field"},
		"a country tie updated by hand": {`mutation { updateRelationship(id: "los-lobos-in-country-ecuador", expectedVersion: 1, set: {status: CONFIRMED}, citations: ` + cite + `) { change { seq } } }`,
			"BAD_USER_INPUT", "id", "set that field"},
		"a country tie deleted by hand": {`mutation { deleteRelationship(id: "los-lobos-in-country-ecuador", reason: "wrong") { change { seq } } }`,
			"BAD_USER_INPUT", "id", "set that field"},
		"an id kept for country ties": {`mutation { createRelationship(input: {id: "los-lobos-in-country-peru", type: OPERATES_IN, from: "los-lobos", to: "peru", status: REPORTED, citations: ` + cite + `}) { created } }`,
			"BAD_USER_INPUT", "id", "kept for country ties"},
	} {
		r := w.as(t, ed, c.q, nil)
		if r.ErrorCode() != c.code || r.Errors[0].Extensions["argument"] != c.field || !strings.Contains(r.Errors[0].Message, c.says) {
			t.Errorf("%s: %s; want %s on %s saying %q", name, r.Raw, c.code, c.field, c.says)
		}
	}
	w.mustBeUnchanged(t, before, "refused writes")

	// A source takes no citations: an update of one keeps it without any.
	r := w.as(t, ed, `mutation { createSource(input: {id: "s-x", title: "X", kind: NEWS}) { created } updateSource(id: "ecuador-pentagon-2025", expectedVersion: 1, set: {publisher: "P"}, citations: `+cite+`) { entity { ... on Source { publisher } citations { locator } } } }`, nil).MustOK(t)
	if n := len(r.List("updateSource", "entity", "citations")); n != 0 || r.At("updateSource", "entity", "publisher") != "P" {
		t.Errorf("a source's update: %s; want the publisher set and no citations", r.Raw)
	}
}

func TestMergingSourcesRepointsEveryCitation(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	w.as(t, ed, `mutation {
  a: createSource(input: {id: "report-v1", title: "Report", kind: REPORT}) { created }
  b: createSource(input: {id: "report-v2", title: "Report (second edition)", kind: REPORT}) { created }
  c: createActor(input: {id: "banda-citada", name: "Banda Citada", kind: CRIMINAL_GROUP, country: "ecuador", citations: [{source: "report-v1", locator: "p. 3"}, {source: "report-v2", locator: "p. 3"}]}) { created }
  d: createRelationship(input: {type: RIVAL_OF, from: "banda-citada", to: "los-lobos", status: ALLEGED, citations: [{source: "report-v1", locator: "p. 4"}]}) { created }
}`, nil).MustOK(t)
	w.as(t, ed, `mutation { mergeEntities(keep: "report-v2", remove: "report-v1", reason: "one report") { entity { id aliases } } }`, nil).MustOK(t)
	neo4jtest.MustHoldCountryTies(t, w.store) // the country tie cites what its entity cites, merged source and all
	ctx := context.Background()
	for name, cypher := range map[string]string{
		"node citations":         `MATCH (n:Entity) WHERE "report-v1" IN n.citeSources RETURN n`,
		"relationship citations": `MATCH ()-[r]->() WHERE "report-v1" IN r.citeSources RETURN r`,
	} {
		if n, err := w.store.Run(ctx, neo4jstore.Statement{Cypher: cypher}); err != nil || n != 0 {
			t.Errorf("%s still name the merged source: %d (%v)", name, n, err)
		}
	}
	r := w.as(t, "", `{ actor(id: "banda-citada") { citations { locator source { id } } relationships(types: [RIVAL_OF]) { nodes { citations { locator source { id } } } } } }`, nil).MustOK(t)
	if got := fmt.Sprint(r.At("actor", "citations")); got != "[map[locator:p. 3 source:map[id:report-v2]]]" {
		t.Errorf("the actor's citations after the merge: %s", got)
	}
	if got := fmt.Sprint(r.At("actor", "relationships", "nodes", 0, "citations")); got != "[map[locator:p. 4 source:map[id:report-v2]]]" {
		t.Errorf("the tie's citations after the merge: %s", got)
	}
}

func TestAdminsManageKeysThroughTheAPI(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	admin := w.keys[coop.RoleAdmin]
	r := w.as(t, admin, `mutation { createApiKey(name: "carla", role: EDITOR) { key apiKey { id name role createdBy revokedAt } } }`, nil).MustOK(t)
	key, _ := r.At("createApiKey", "key").(string)
	id, _ := r.At("createApiKey", "apiKey", "id").(string)
	if !strings.HasPrefix(key, auth.KeyPrefix) || r.At("createApiKey", "apiKey", "createdBy") != "key:admin-holder" || r.At("createApiKey", "apiKey", "revokedAt") != nil {
		t.Fatalf("createApiKey: %s", r.Raw)
	}
	w.as(t, key, createGang, nil).MustOK(t)
	list := w.as(t, admin, `{ apiKeys { id name role revokedAt } }`, nil).MustOK(t)
	if !strings.Contains(list.Raw, `"name":"carla"`) || strings.Contains(list.Raw, key) {
		t.Errorf("apiKeys: %s", list.Raw)
	}
	if r := w.as(t, w.keys[coop.RoleEditor], `{ apiKeys { id } }`, nil); r.ErrorCode() != "FORBIDDEN" {
		t.Errorf("an editor listing keys: %s", r.Raw)
	}
	w.as(t, admin, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": id}).MustOK(t)
	if r := w.as(t, key, `{ viewer { name } }`, nil); r.Status != 401 || r.ErrorCode() != "UNAUTHENTICATED" {
		t.Errorf("a revoked key: %d %s", r.Status, r.Raw)
	}
	if strings.Contains(w.logs.String(), key) {
		t.Errorf("the key appears in the log")
	}
}

// An actor's country is a field and a tie: setting the field moves the tie,
// clearing it removes it, and merging a duplicate country moves every tie
// to the kept one. (snapshot checks every country tie after each write.)
func TestTheCountryFieldKeepsItsTie(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	ties := func(id string) []string {
		r := w.as(t, "", `query($id: ID!) { entity(id: $id) { relationships(types: [IN_COUNTRY], first: 100) { nodes { id from { id } to { id } } } } }`, map[string]any{"id": id}).MustOK(t)
		var out []string
		for i := range r.List("entity", "relationships", "nodes") {
			out = append(out, fmt.Sprintf("%v %v→%v", r.At("entity", "relationships", "nodes", i, "id"), r.At("entity", "relationships", "nodes", i, "from", "id"), r.At("entity", "relationships", "nodes", i, "to", "id")))
		}
		return out
	}
	if got := ties("los-lobos"); fmt.Sprint(got) != "[los-lobos-in-country-ecuador los-lobos→ecuador]" {
		t.Fatalf("the seed's Los Lobos: country ties %v", got)
	}
	w.snapshot(t)
	w.as(t, ed, `mutation { updateActor(id: "los-lobos", expectedVersion: 1, set: {country: "colombia"}, citations: `+cite+`) { change { seq } } }`, nil).MustOK(t)
	if got := ties("los-lobos"); fmt.Sprint(got) != "[los-lobos-in-country-colombia los-lobos→colombia]" {
		t.Errorf("after moving Los Lobos to Colombia: country ties %v", got)
	}
	w.snapshot(t)
	// A later seed only adds what is missing: the edited tie stays.
	lines, _ := seed.Lines()
	if _, err := importer.Import(context.Background(), w.store, lines, importer.Options{AddOnly: true, Who: coop.Principal{Name: "seed", Via: "cli"}, Name: "seed again"}); err != nil {
		t.Fatal(err)
	}
	if got := ties("los-lobos"); fmt.Sprint(got) != "[los-lobos-in-country-colombia los-lobos→colombia]" {
		t.Errorf("after the seed was loaded again: country ties %v", got)
	}
	w.snapshot(t)
	w.as(t, ed, `mutation { updateActor(id: "los-lobos", expectedVersion: 2, set: {country: null}, citations: `+cite+`) { change { seq } } }`, nil).MustOK(t)
	if got := ties("los-lobos"); len(got) != 0 {
		t.Errorf("after clearing Los Lobos's country: country ties %v", got)
	}
	w.snapshot(t)

	// A duplicate country, with an actor in it, merged into Ecuador.
	w.as(t, ed, `mutation {
  a: createActor(input: {id: "ecuador-dup", name: "República del Ecuador", kind: COUNTRY, citations: `+cite+`}) { created }
  b: createActor(input: {id: "banda-dup", name: "Banda Dup", kind: CRIMINAL_GROUP, country: "ecuador-dup", citations: `+cite+`}) { created } }`, nil).MustOK(t)
	if got := ties("banda-dup"); fmt.Sprint(got) != "[banda-dup-in-country-ecuador-dup banda-dup→ecuador-dup]" {
		t.Errorf("a created actor's country ties: %v", got)
	}
	w.as(t, ed, `mutation { mergeEntities(keep: "ecuador", remove: "ecuador-dup", reason: "one country") { entity { id } } }`, nil).MustOK(t)
	if got := ties("banda-dup"); fmt.Sprint(got) != "[banda-dup-in-country-ecuador banda-dup→ecuador]" {
		t.Errorf("after merging its country: country ties %v", got)
	}
	w.snapshot(t)
	// A duplicate with a country merged into an entity without one: the kept
	// entity takes the country, as it takes a missing description.
	w.as(t, ed, `mutation {
  a: createActor(input: {id: "banda-sin-pais", name: "Banda Sin Pais", kind: CRIMINAL_GROUP, citations: `+cite+`}) { created }
  b: createActor(input: {id: "banda-con-pais", name: "Banda Con Pais", kind: CRIMINAL_GROUP, country: "peru", citations: `+cite+`}) { created } }`, nil).MustOK(t)
	w.as(t, ed, `mutation { mergeEntities(keep: "banda-sin-pais", remove: "banda-con-pais", reason: "one gang") { entity { id } } }`, nil).MustOK(t)
	if got := ties("banda-sin-pais"); fmt.Sprint(got) != "[banda-sin-pais-in-country-peru banda-sin-pais→peru]" {
		t.Errorf("after merging in a duplicate with a country: country ties %v", got)
	}
	w.snapshot(t)
	// An entity with a country and no other tie may be deleted; its country tie goes with it.
	w.as(t, ed, `mutation { deleteEntity(id: "banda-dup", reason: "made for a test") { change { seq } } }`, nil).MustOK(t)
	w.snapshot(t)
	r := w.as(t, "", `{ relationTypes { type field } }`, nil).MustOK(t)
	found := false
	for i := range r.List("relationTypes") {
		if r.At("relationTypes", i, "type") == "IN_COUNTRY" {
			found = r.At("relationTypes", i, "field") == "country"
		} else if r.At("relationTypes", i, "field") != nil {
			t.Errorf("%v says it is kept from a field", r.At("relationTypes", i, "type"))
		}
	}
	if !found {
		t.Errorf("relationTypes does not say IN_COUNTRY is the country field: %s", r.Raw)
	}
}
