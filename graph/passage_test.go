package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// A researcher reads, in one query, what the source says behind each
// participant of the Pentagon meeting.
func TestCitationsLeadToTheirPassages(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ meeting(id: "us-ecuador-defense-talks-2025-04-04") { participants { actor { id }
	  citations { locator passage { locator kind heading text source { id } } } } } }`, nil).MustOK(t)
	participants := r.List("meeting", "participants")
	if len(participants) != 4 {
		t.Fatalf("%d participants", len(participants))
	}
	for i := range participants {
		c := func(p ...any) any { return r.At(append([]any{"meeting", "participants", i, "citations", 0}, p...)...) }
		text, _ := c("passage", "text").(string)
		if c("passage", "locator") != c("locator") || c("passage", "source", "id") != "ecuador-pentagon-2025" ||
			c("passage", "kind") != "SUMMARY" || c("passage", "heading") != false || text == "" {
			t.Errorf("participant %v: citation %v", r.At("meeting", "participants", i, "actor", "id"), r.At("meeting", "participants", i, "citations", 0))
		}
		if id := r.At("meeting", "participants", i, "actor", "id").(string); !strings.Contains(strings.ToLower(text), strings.Split(id, "-")[len(strings.Split(id, "-"))-1]) {
			t.Errorf("the passage behind %s does not name them: %q", id, text)
		}
	}
}

// A source's passages come in order, a page at a time; one passage is found
// by source and locator; a locator with no passage is null.
func TestSourcesAreMadeOfPassages(t *testing.T) {
	a := newAPI(t)
	var locators []string
	var after any
	for range 10 {
		r := a.post(t, `query($after: String) { source(id: "ecuador-pentagon-2025") { passages(first: 4, after: $after) {
		  nodes { locator order } pageInfo { hasNextPage endCursor } } } }`, map[string]any{"after": after}).MustOK(t)
		for i := range r.List("source", "passages", "nodes") {
			locators = append(locators, r.At("source", "passages", "nodes", i, "locator").(string))
			if got := r.At("source", "passages", "nodes", i, "order"); got != float64(len(locators)) {
				t.Errorf("passage %v has order %v; want %d", locators[len(locators)-1], got, len(locators))
			}
		}
		if r.At("source", "passages", "pageInfo", "hasNextPage") != true {
			break
		}
		after = r.At("source", "passages", "pageInfo", "endCursor")
	}
	var want []string
	for i := 1; i <= 15; i++ {
		want = append(want, fmt.Sprintf("¶%d", i))
	}
	if fmt.Sprint(locators) != fmt.Sprint(want) {
		t.Errorf("the article's passages, paged: %v; want %v", locators, want)
	}
	r := a.post(t, `{ a: passage(source: "us-treasury-2024-06-06-los-lobos", locator: "B6") { text heading }
	  b: passage(source: "us-treasury-2024-06-06-los-lobos", locator: "B99") { text }
	  h: passage(source: "ecuador-pentagon-2025", locator: "¶1") { heading } }`, nil).MustOK(t)
	if text, _ := r.At("a", "text").(string); !strings.Contains(text, "CJNG") || r.At("b") != nil || r.At("h", "heading") != true {
		t.Errorf("passages by locator: %s", r.Raw)
	}
}

// Writes citing a locator their source's passages do not hold are refused,
// naming it, and change nothing.
func TestCitingALocatorTheSourceLacksIsRefused(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	before := w.snapshot(t)
	for _, q := range []string{
		`mutation { addAliases(id: "los-lobos", aliases: ["L"], citations: [{source: "ecuador-pentagon-2025", locator: "¶99"}]) { change { seq } } }`,
		`mutation { createActor(input: {id: "x-banda", name: "X", kind: CRIMINAL_GROUP, citations: [{source: "us-treasury-2024-06-06-los-lobos", locator: "A1"}]}) { created } }`,
	} {
		r := w.as(t, w.keys[coop.RoleEditor], q, nil)
		if r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "citations" || !strings.Contains(r.Errors[0].Message, "has no passage") {
			t.Errorf("%s: %s; want BAD_USER_INPUT on citations", q, r.Raw)
		}
	}
	w.mustBeUnchanged(t, before, "writes citing unknown locators")
}

// What a source does not say is null, never an empty string.
func TestUnknownValuesAreNull(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ a: source(id: "ecuador-pentagon-2025") { publisher url published }
	  b: source(id: "us-treasury-2024-02-07-los-choneros") { publisher url }
	  c: actor(id: "ecuador") { description country { id } }
	  d: event(id: "ecuador-violence-wave") { subEventType } }`, nil).MustOK(t)
	for _, path := range [][]any{{"a", "publisher"}, {"a", "url"}, {"c", "country"}, {"d", "subEventType"}} {
		if v, present := r.At(path[:len(path)-1]...).(map[string]any)[path[len(path)-1].(string)]; !present || v != nil {
			t.Errorf("%v = %#v; want null", path, v)
		}
	}
	// An entity's citations say nothing of how sure: their status is null.
	r2 := a.post(t, `{ actor(id: "ecuador") { citations { status } } }`, nil).MustOK(t)
	for i := range r2.List("actor", "citations") {
		if v, present := r2.At("actor", "citations", i).(map[string]any)["status"]; !present || v != nil {
			t.Errorf("an entity citation's status = %#v; want null", v)
		}
	}
	if r.At("a", "published") != "2025" || r.At("b", "url") != "https://home.treasury.gov/news/press-releases/jy2082" || r.At("b", "publisher") == nil {
		t.Errorf("known values: %s", r.Raw)
	}
}

// locators lists the source and locator of each passage of a list.
func locators(r apitest.Response, path ...any) []string {
	var out []string
	for i := range r.List(path...) {
		p := append(append([]any{}, path...), i)
		out = append(out, fmt.Sprintf("%v %v", r.At(append(p, "source", "id")...), r.At(append(p, "locator")...)))
	}
	return out
}

// "Where does any source mention Los Lobos?" and "which passages mention
// both Los Lobos and the CJNG?" are one query each, in source order, paged.
func TestPassagesSayWhomTheyMention(t *testing.T) {
	a := newAPI(t)
	const article, lobos = "ecuador-pentagon-2025", "us-treasury-2024-06-06-los-lobos"
	var got []string
	var after any
	for range 10 {
		r := a.post(t, `query($after: String) { actor(id: "los-lobos") { mentionedIn(first: 3, after: $after) {
		  nodes { locator source { id } } pageInfo { hasNextPage endCursor } } } }`, map[string]any{"after": after}).MustOK(t)
		got = append(got, locators(r, "actor", "mentionedIn", "nodes")...)
		if r.At("actor", "mentionedIn", "pageInfo", "hasNextPage") != true {
			break
		}
		after = r.At("actor", "mentionedIn", "pageInfo", "endCursor")
	}
	// Read off the seed's passages: B4 speaks of "the group" without naming it.
	want := []string{article + " ¶2", lobos + " B1", lobos + " B2", lobos + " B3", lobos + " B5", lobos + " B6", lobos + " B7"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("passages mentioning Los Lobos, paged by 3:\n got %v\nwant %v", got, want)
	}

	r := a.post(t, `{ both: passages(mentioning: ["los-lobos", "cjng"]) { nodes { locator source { id } text mentions { id } } }
	  cjng: passages(mentioning: ["cjng"]) { nodes { locator source { id } } }
	  merged: passages(mentioning: ["cjng", "cjng"]) { nodes { locator } } }`, nil).MustOK(t)
	if got := locators(r, "both", "nodes"); fmt.Sprint(got) != fmt.Sprint([]string{lobos + " B6"}) {
		t.Errorf("passages mentioning both Los Lobos and the CJNG: %v; want [%s B6]", got, lobos)
	}
	if got := locators(r, "cjng", "nodes"); fmt.Sprint(got) != fmt.Sprint([]string{article + " ¶9", lobos + " B6"}) {
		t.Errorf("passages mentioning the CJNG: %v", got)
	}
	var ids []string
	for i := range r.List("both", "nodes", 0, "mentions") {
		ids = append(ids, r.At("both", "nodes", 0, "mentions", i, "id").(string))
	}
	// B6 names Los Lobos, Mexico, the CJNG and the Sinaloa Cartel.
	if fmt.Sprint(ids) != "[cjng los-lobos mexico sinaloa-cartel]" {
		t.Errorf("B6 mentions %v", ids)
	}

	for q, want := range map[string]string{
		`{ passages(mentioning: ["los-lobos", "no-such-group"]) { nodes { locator } } }`:                "NOT_FOUND",
		`{ passages(mentioning: []) { nodes { locator } } }`:                                            "BAD_USER_INPUT",
		`{ passages(mentioning: ["a","b","c","d","e","f","g","h","i","j","k"]) { nodes { locator } } }`: "BAD_USER_INPUT",
		`{ passages(mentioning: ["cjng"], after: "bm90IGEgY3Vyc29y") { nodes { locator } } }`:           "BAD_USER_INPUT",
		`{ actor(id: "cjng") { mentionedIn(first: 101) { nodes { locator } } } }`:                       "BAD_USER_INPUT",
	} {
		if r := a.post(t, q, nil); r.ErrorCode() != want {
			t.Errorf("%s: %s; want %s", q, r.Raw, want)
		}
	}
	r = a.post(t, `{ passages(mentioning: ["los-lobos", "no-such-group"]) { nodes { locator } } }`, nil)
	if ids, _ := r.Errors[0].Extensions["ids"].([]any); fmt.Sprint(ids) != "[no-such-group]" {
		t.Errorf("unknown ids are named: %s", r.Raw)
	}
}

// Passage text is found by full-text search, case and accents folded:
// passages holding every word first.
func TestPassagesAreFoundByTheirText(t *testing.T) {
	a := newAPI(t)
	const article, lobos = "ecuador-pentagon-2025", "us-treasury-2024-06-06-los-lobos"
	r := a.post(t, `{ gold: searchPassages(text: "Gold Mining") { passage { locator source { id } text } score }
	  name: searchPassages(text: "chavarria") { passage { locator source { id } text } }
	  inArticle: searchPassages(text: "los lobos", source: "ecuador-pentagon-2025") { passage { locator source { id } } }
	  withCJNG: searchPassages(text: "security", mentioning: ["cjng"]) { passage { locator source { id } mentions { id } } }
	  syntax: searchPassages(text: "gold AND (mining OR \"") { passage { locator } } }`, nil).MustOK(t)
	var gold []string
	for i := range r.List("gold") {
		gold = append(gold, fmt.Sprint(r.At("gold", i, "passage", "source", "id"), " ", r.At("gold", i, "passage", "locator")))
	}
	// B4 holds both words; ¶2 only "mining", so it comes after.
	if len(gold) < 2 || gold[0] != lobos+" B4" || !slices.Contains(gold, article+" ¶2") {
		t.Errorf(`"gold mining" found %v; want %s B4 first, then %s ¶2`, gold, lobos, article)
	}
	name := r.List("name")
	if len(name) != 3 {
		t.Errorf(`"chavarria" found %d passages; the Los Lobos release names Chavarría Barre in three (B1, B3, B8)`, len(name))
	}
	for i := range name {
		if text := r.At("name", i, "passage", "text").(string); !strings.Contains(text, "Chavarría") {
			t.Errorf(`"chavarria" found %q`, text)
		}
	}
	for i := range r.List("inArticle") {
		if r.At("inArticle", i, "passage", "source", "id") != article {
			t.Errorf("a search kept to the article found %v", r.At("inArticle", i))
		}
	}
	if len(r.List("inArticle")) == 0 {
		t.Errorf("no passage of the article names Los Lobos: %s", r.Raw)
	}
	if len(r.List("withCJNG")) != 1 || r.At("withCJNG", 0, "passage", "locator") != "B6" {
		t.Errorf(`"security" in passages mentioning the CJNG: %v; want only B6`, r.At("withCJNG"))
	}
	for q, want := range map[string]string{
		`{ searchPassages(text: "?!") { score } }`:                                  "BAD_USER_INPUT",
		`{ searchPassages(text: "gold", mentioning: ["no-such-group"]) { score } }`: "NOT_FOUND",
		`{ searchPassages(text: "gold", first: 101) { score } }`:                    "BAD_USER_INPUT",
	} {
		if r := a.post(t, q, nil); r.ErrorCode() != want {
			t.Errorf("%s: %s; want %s", q, r.Raw, want)
		}
	}
}

// Mentions follow names: a new entity, an added alias, a merge and a
// rename each change which passages mention whom, and short names count
// only as written.
func TestMentionsFollowNames(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	ctx := context.Background()
	report := &coop.Source{Base: coop.Base{ID: "field-report-2026", Name: "Field report"}, Kind: "REPORT"}
	ds := coop.Dataset{Entities: []coop.Entity{report}, Passages: []coop.Passage{
		{SourceID: report.ID, Locator: "¶1", Order: 1, Kind: coop.PassageQuote, Text: "US officials met Nueva Banda envoys near Quito."},
		{SourceID: report.ID, Locator: "¶2", Order: 2, Kind: coop.PassageQuote, Text: "The Tiburones del Sur moved gold; they told us little, and the treasury of the town was empty."},
	}}
	if _, err := w.store.LoadBatch(ctx, ds, coop.LoadReplace); err != nil {
		t.Fatal(err)
	}
	mentioned := func(locator string) string {
		t.Helper()
		r := w.as(t, ed, `query($l: String!) { passage(source: "field-report-2026", locator: $l) { mentions { id } } }`, map[string]any{"l": locator}).MustOK(t)
		var ids []string
		for i := range r.List("passage", "mentions") {
			ids = append(ids, r.At("passage", "mentions", i, "id").(string))
		}
		return fmt.Sprint(ids)
	}
	check := func(step, p1, p2 string) {
		t.Helper()
		if got := mentioned("¶1"); got != p1 {
			t.Errorf("%s: ¶1 mentions %s; want %s", step, got, p1)
		}
		if got := mentioned("¶2"); got != p2 {
			t.Errorf("%s: ¶2 mentions %s; want %s", step, got, p2)
		}
		neo4jtest.MustHoldMentions(t, w.store)
	}
	// "US" as written is the United States; "us" and "treasury" are words.
	check("loaded", "[quito united-states]", "[]")

	cite := `[{source: "field-report-2026", locator: "¶1"}]`
	w.as(t, ed, `mutation { createActor(input: {id: "nueva-banda", name: "Nueva Banda", kind: CRIMINAL_GROUP, citations: `+cite+`}) { created } }`, nil).MustOK(t)
	check("a new group", "[nueva-banda quito united-states]", "[]")

	w.as(t, ed, `mutation { addAliases(id: "los-lobos", aliases: ["Tiburones del Sur"], citations: `+cite+`) { change { seq } } }`, nil).MustOK(t)
	check("an alias added", "[nueva-banda quito united-states]", "[los-lobos]")

	w.as(t, ed, `mutation { mergeEntities(keep: "los-lobos", remove: "nueva-banda", reason: "one group") { entity { id } } }`, nil).MustOK(t)
	check("merged", "[los-lobos quito united-states]", "[los-lobos]")

	r := w.as(t, ed, `{ place(id: "quito") { version } }`, nil).MustOK(t)
	w.as(t, ed, `mutation($v: Int!) { updatePlace(id: "quito", expectedVersion: $v, set: {name: "San Francisco de Quito"}, citations: `+cite+`) { entity { id } } }`,
		map[string]any{"v": r.At("place", "version")}).MustOK(t)
	check("renamed", "[los-lobos united-states]", "[los-lobos]")
}

// A source's passages go where the source goes: deleted with it; kept,
// moved or refused when it is merged, so that no citation points at a
// passage that is not there; and a merged-away source's passages are
// found under the kept one.
func TestPassagesFollowTheirSource(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	ctx := context.Background()
	src := func(id string, texts ...string) (*coop.Source, []coop.Passage) {
		s := &coop.Source{Base: coop.Base{ID: id, Name: id}, Kind: "REPORT"}
		var ps []coop.Passage
		for i, text := range texts {
			ps = append(ps, coop.Passage{SourceID: id, Locator: fmt.Sprintf("¶%d", i+1), Order: i + 1, Kind: coop.PassageQuote, Text: text})
		}
		return s, ps
	}
	gone, gonePs := src("report-gone", "Zanzibarite smugglers crossed at dawn.")
	full, fullPs := src("report-full", "Quokkanite brokers met in Quito.", "They paid in gold.")
	short, shortPs := src("report-short", "Quokkanite brokers met again.")
	bare, _ := src("report-bare")
	ds := coop.Dataset{Entities: []coop.Entity{gone, full, short, bare}, Passages: slices.Concat(gonePs, fullPs, shortPs)}
	if _, err := w.store.LoadBatch(ctx, ds, coop.LoadReplace); err != nil {
		t.Fatal(err)
	}
	found := func(text string) int {
		t.Helper()
		r := w.as(t, ed, `query($t: String!) { searchPassages(text: $t) { passage { locator } } }`, map[string]any{"t": text}).MustOK(t)
		return len(r.List("searchPassages"))
	}

	// Deleted: its passages go too, and are found nowhere.
	w.as(t, ed, `mutation { deleteEntity(id: "report-gone", reason: "test") { entity { id } } }`, nil).MustOK(t)
	if n := found("zanzibarite"); n != 0 {
		t.Errorf("a deleted source's passage is still found (%d hits)", n)
	}
	neo4jtest.MustHoldMentions(t, w.store)

	// A fact cites ¶2 of report-full; report-short has no ¶2.
	w.as(t, ed, `mutation { createActor(input: {id: "quokka-brokers", name: "Quokka Brokers", kind: CRIMINAL_GROUP,
	  citations: [{source: "report-full", locator: "¶2"}]}) { created } }`, nil).MustOK(t)
	before := w.snapshot(t)
	r := w.as(t, ed, `mutation { mergeEntities(keep: "report-short", remove: "report-full", reason: "same report") { entity { id } } }`, nil)
	if r.ErrorCode() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "¶2 (cited by quokka-brokers)") {
		t.Errorf("merging into a source without the cited passage: %s; want BAD_USER_INPUT naming ¶2", r.Raw)
	}
	w.mustBeUnchanged(t, before, "a refused merge of sources")

	// Into a source with no passages: they move, and the citation still reads.
	w.as(t, ed, `mutation { mergeEntities(keep: "report-bare", remove: "report-full", reason: "same report") { entity { id } } }`, nil).MustOK(t)
	r = w.as(t, ed, `{ actor(id: "quokka-brokers") { citations { source { id } locator passage { text } } }
	  old: passage(source: "report-full", locator: "¶1") { source { id } locator }
	  source(id: "report-bare") { passages { nodes { locator } } } }`, nil).MustOK(t)
	if r.At("actor", "citations", 0, "source", "id") != "report-bare" || r.At("actor", "citations", 0, "passage", "text") != "They paid in gold." {
		t.Errorf("the citation after the merge: %v", r.At("actor", "citations"))
	}
	if r.At("old", "source", "id") != "report-bare" || fmt.Sprint(locators(r, "source", "passages", "nodes")) != "[<nil> ¶1 <nil> ¶2]" {
		t.Errorf("the merged-away source's passages: %s", r.Raw)
	}
	if n := found("quokkanite"); n != 2 {
		t.Errorf("after the merge %d passages say quokkanite; want 2 (one each of report-bare and report-short)", n)
	}
	neo4jtest.MustHoldMentions(t, w.store)
}

// Mentions hold however many passages mention an entity, and for names
// whose words the full-text analyzer would cut otherwise ("Q.B.").
func TestMentionsHoldWhateverTheirNumber(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	ctx := context.Background()
	brokers := &coop.Actor{Base: coop.Base{ID: "quokka-brokers", Name: "Quokka Brokers", Aliases: []string{"Q.B."},
		Citations: []coop.Citation{{SourceID: "ecuador-pentagon-2025", Locator: "¶1"}}}, Kind: coop.ActorCriminalGroup}
	if _, err := w.store.LoadBatch(ctx, coop.Dataset{Entities: []coop.Entity{brokers}}, coop.LoadReplace); err != nil {
		t.Fatal(err)
	}
	log := &coop.Source{Base: coop.Base{ID: "shipping-log", Name: "Shipping log"}, Kind: "REPORT"}
	ds := coop.Dataset{Entities: []coop.Entity{log}}
	const n = 2100 // more than one page of full-text candidates
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("Entry %d: the Wombat Traders moved goods.", i)
		if i%3 == 0 {
			text = fmt.Sprintf("Entry %d: Q.B. and the Wombat Traders moved goods.", i)
		}
		ds.Passages = append(ds.Passages, coop.Passage{SourceID: log.ID, Locator: fmt.Sprintf("E%d", i), Order: i, Kind: coop.PassageQuote, Text: text})
	}
	if _, err := w.store.LoadBatch(ctx, ds, coop.LoadReplace); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		t.Helper()
		total := 0
		var after any
		for {
			r := w.as(t, ed, `query($after: String) { passages(mentioning: ["quokka-brokers"], first: 100, after: $after) {
			  nodes { locator } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}).MustOK(t)
			total += len(r.List("passages", "nodes"))
			if r.At("passages", "pageInfo", "hasNextPage") != true {
				return total
			}
			after = r.At("passages", "pageInfo", "endCursor")
		}
	}
	if got := count(); got != n/3 {
		t.Errorf("passages mentioning Q.B. as written: %d; want %d", got, n/3)
	}
	neo4jtest.MustHoldMentions(t, w.store)
	cite := `[{source: "shipping-log", locator: "E1"}]`
	w.as(t, ed, `mutation { addAliases(id: "quokka-brokers", aliases: ["Wombat Traders"], citations: `+cite+`) { change { seq } } }`, nil).MustOK(t)
	if got := count(); got != n {
		t.Errorf("passages mentioning the group once its other name is known: %d; want %d", got, n)
	}
	r := w.as(t, ed, `{ actor(id: "quokka-brokers") { version } }`, nil).MustOK(t)
	w.as(t, ed, `mutation($v: Int!) { updateActor(id: "quokka-brokers", expectedVersion: $v, set: {description: "Traders."}, citations: `+cite+`) { entity { id } } }`,
		map[string]any{"v": r.At("actor", "version")}).MustOK(t)
	if got := count(); got != n {
		t.Errorf("after a description edit: %d passages; want %d", got, n)
	}
	neo4jtest.MustHoldMentions(t, w.store)
}
