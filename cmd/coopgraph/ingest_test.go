package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// A document the test writes: it names entities of the seed, two of them
// together with no tie between them (Los Lobos and Guayaquil), one
// company no entity stands for, and a pair the seed already ties (Los
// Lobos and the CJNG).
const fieldReport = `# Port security in Guayaquil

## Findings

Los Lobos moved cocaine through Guayaquil, investigators said.

Transfers through the Banco del Pacífico were flagged; Los Lobos paid the CJNG for them.
`

// changeCount is the length of the audit trail.
func changeCount(t *testing.T, store *neo4jstore.Store) int {
	t.Helper()
	page, err := store.Changes(context.Background(), coop.ChangeFilter{First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Changes)
}

// An analyst ingests a document: its passages are stored as the source's
// own words, with their mentions, once (ingesting again changes nothing),
// and in the audit trail; the review file proposes facts, which import
// refuses until a curator completes them, and loads once they are.
func TestIngestStoresADocumentAndItsReviewFileRoundTripsThroughImport(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	dir := t.TempDir()
	doc := filepath.Join(dir, "port.md")
	os.WriteFile(doc, []byte(fieldReport), 0o644)
	before := changeCount(t, store)

	out, _ := runOK(t, "ingest", doc, "-source", "port-security-2026", "-kind", "REPORT", "-publisher", "Field team", "-published", "2026-03", "-as", "analyst")
	if !strings.Contains(out, "3 passages") {
		t.Errorf("ingest said: %s", out)
	}
	found, _ := store.Entities(ctx, []string{"port-security-2026"})
	src, _ := found["port-security-2026"].(*coop.Source)
	if src == nil || src.Name != "Port security in Guayaquil" || src.Publisher != "Field team" || src.Published.String() != "2026-03" || src.Kind != "REPORT" {
		t.Fatalf("the source: %+v", found["port-security-2026"])
	}
	page, err := store.PassagesOf(ctx, "port-security-2026", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range page.Passages {
		got = append(got, fmt.Sprintf("%s %s %v", p.Locator, p.Kind, p.Heading))
	}
	// The leading # heading is the title; the ## heading is ¶1.
	if fmt.Sprint(got) != "[¶1 QUOTE true ¶2 QUOTE false ¶3 QUOTE false]" {
		t.Errorf("passages %v", got)
	}
	if !strings.Contains(page.Passages[2].Text, "Banco del Pacífico") {
		t.Errorf("¶3 is %q", page.Passages[2].Text)
	}
	mentions, _ := store.MentionedBy(ctx, []string{"port-security-2026 ¶2"})
	var ids []string
	for _, e := range mentions["port-security-2026 ¶2"] {
		ids = append(ids, e.EntityID())
	}
	if fmt.Sprint(ids) != "[guayaquil los-lobos]" {
		t.Errorf("¶2 mentions %v", ids)
	}
	after := changeCount(t, store)
	if after != before+1 {
		t.Errorf("ingest made %d audit entries; want 1", after-before)
	}
	last, _ := store.Changes(ctx, coop.ChangeFilter{First: 1000})
	if c := last.Changes[len(last.Changes)-1]; c.Who != "cli:analyst" || c.Action != coop.ActionImport || !strings.Contains(c.TargetID, "port-security-2026") {
		t.Errorf("the audit entry: %+v", c)
	}

	review := filepath.Join(dir, "port.review.jsonl")
	data, err := os.ReadFile(review)
	if err != nil {
		t.Fatal(err)
	}
	var records []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("review line %q: %v", sc.Text(), err)
		}
		records = append(records, r)
	}
	var summary []string
	for _, r := range records {
		summary = append(summary, fmt.Sprintf("%v %v%v>%v %v", r["record"], r["id"], r["from"], r["to"], r["citations"]))
	}
	// Los Lobos and the CJNG are tied in the seed: not proposed again.
	want := []string{
		"relationship <nil>los-lobos>guayaquil [map[locator:¶2 source:port-security-2026]]",
		"actor banco-del-pacifico<nil>><nil> [map[locator:¶3 source:port-security-2026]]",
	}
	if strings.Join(summary, "\n") != strings.Join(want, "\n") {
		t.Fatalf("review file:\n%s\nwant:\n%s", strings.Join(summary, "\n"), strings.Join(want, "\n"))
	}

	// Again: the same passages, no new audit entry, the same review file.
	runOK(t, "ingest", doc, "-source", "port-security-2026")
	if n := changeCount(t, store); n != after {
		t.Errorf("ingesting again made %d audit entries", n-after)
	}
	if again, _ := os.ReadFile(review); !bytes.Equal(again, data) {
		t.Errorf("ingesting again wrote another review file:\n%s", again)
	}

	// Unedited, the review file loads nothing.
	nodes, rels, _ := store.Counts(ctx)
	var o, e bytes.Buffer
	if err := run(ctx, []string{"import", review}, getenv(nil), &o, &e); err == nil || strings.Count(e.String(), "review:") != 2 {
		t.Errorf("importing the unedited review file: %v\n%s", err, e.String())
	}
	if n2, r2, _ := store.Counts(ctx); n2 != nodes || r2 != rels || changeCount(t, store) != after {
		t.Errorf("the refused review file changed the graph")
	}

	// A curator completes both candidates and imports them.
	records[0]["type"], records[0]["status"] = "OPERATES_IN", "REPORTED"
	records[1]["kind"] = "MINISTRY"
	records[1]["record"] = "actor"
	var edited bytes.Buffer
	for _, r := range records {
		delete(r, "review")
		line, _ := json.Marshal(r)
		edited.Write(append(line, '\n'))
	}
	os.WriteFile(review, edited.Bytes(), 0o644)
	runOK(t, "import", review)
	tie, err := store.Relationships(ctx, []string{"los-lobos"}, coop.RelationFilter{Types: []coop.RelationType{coop.RelOperatesIn}, Page: coop.PageArgs{First: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tie["los-lobos"].Relationships, func(r *coop.Relationship) bool {
		return r.ToID == "guayaquil" && r.Status == "REPORTED" && slices.Contains(r.Citations, coop.Citation{SourceID: "port-security-2026", Locator: "¶2"})
	}) {
		t.Errorf("the completed tie did not load: %+v", tie["los-lobos"].Relationships)
	}
	if found, _ := store.Entities(ctx, []string{"banco-del-pacifico"}); found["banco-del-pacifico"] == nil {
		t.Errorf("the completed entity did not load")
	}
	neo4jtest.MustHoldMentions(t, store)
}

// A document given as a source's passages anew must keep every locator
// stored facts cite; bad flags say what to give instead; nothing changes.
func TestIngestRefusesToLoseCitedPassages(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	dir := t.TempDir()
	short := filepath.Join(dir, "short.txt")
	os.WriteFile(short, []byte("Only one paragraph.\n\nAnd a second.\n"), 0o644)
	before := changeCount(t, store)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"cited passages left out", []string{"-source", "ecuador-pentagon-2025"}, `leave out ¶3 (cited by`},
		{"an actor's id", []string{"-source", "los-lobos"}, "taken by an entity of type Actor"},
		{"no title", []string{"-source", "new-report"}, "needs a title"},
		{"no kind", []string{"-source", "new-report", "-title", "T"}, "-kind"},
		{"a bad id", []string{"-source", "Bad Id", "-title", "T", "-kind", "REPORT"}, "lower-case slug"},
		{"a bad date", []string{"-source", "new-report", "-title", "T", "-kind", "REPORT", "-published", "April"}, "-published"},
		{"no flags", []string{}, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			err := run(ctx, append([]string{"ingest", short}, tc.args...), getenv(nil), &o, &e)
			if err == nil || !strings.Contains(describe(err)+e.String(), tc.want) {
				t.Errorf("ingest %v: %v\n%s; want %q", tc.args, err, e.String(), tc.want)
			}
		})
	}
	if n := changeCount(t, store); n != before {
		t.Errorf("refused ingests made %d audit entries", n-before)
	}
	page, _ := store.PassagesOf(ctx, "ecuador-pentagon-2025", 0, 100)
	if len(page.Passages) != 15 || page.Passages[0].Kind != coop.PassageSummary {
		t.Errorf("the article's passages after a refused ingest: %d", len(page.Passages))
	}
}

// A deployment holding a source's own text ingests it under the source's
// id: the same citations then serve its words, marked as a quote, and the
// source keeps what it was (title, publisher, facts citing it).
func TestIngestingTheOriginalTurnsSummariesIntoQuotes(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	// Invented stand-in text, laid out as the article is: headings at ¶1,
	// ¶4, ¶7, ¶10 and ¶13.
	var b strings.Builder
	b.WriteString("# A stand-in for the article\n\n")
	for n := 1; n <= 15; n++ {
		if n%3 == 1 {
			fmt.Fprintf(&b, "## Stand-in heading %d\n\n", n)
		} else {
			fmt.Fprintf(&b, "Stand-in paragraph %d, in words the test made up.\n\n", n)
		}
	}
	doc := filepath.Join(t.TempDir(), "article.md")
	os.WriteFile(doc, []byte(b.String()), 0o644)
	before, _ := store.Entities(ctx, []string{"ecuador-pentagon-2025"})
	runOK(t, "ingest", doc, "-source", "ecuador-pentagon-2025", "-title", before["ecuador-pentagon-2025"].EntityBase().Name)

	got, err := store.Passages(ctx, []string{"ecuador-pentagon-2025 ¶5", "ecuador-pentagon-2025 ¶4"})
	if err != nil {
		t.Fatal(err)
	}
	if p := got["ecuador-pentagon-2025 ¶5"]; p.Kind != coop.PassageQuote || p.Text != "Stand-in paragraph 5, in words the test made up." || p.Heading {
		t.Errorf("¶5 after ingesting the original: %+v", p)
	}
	if p := got["ecuador-pentagon-2025 ¶4"]; !p.Heading || p.Kind != coop.PassageQuote {
		t.Errorf("¶4 after ingesting the original: %+v", p)
	}
	after, _ := store.Entities(ctx, []string{"ecuador-pentagon-2025"})
	if dataset.EntityJSON(after["ecuador-pentagon-2025"]) != dataset.EntityJSON(before["ecuador-pentagon-2025"]) {
		t.Errorf("the source record changed:\n%s\n%s", dataset.EntityJSON(before["ecuador-pentagon-2025"]), dataset.EntityJSON(after["ecuador-pentagon-2025"]))
	}
	// Loading the seed again (as a newer seed would be) leaves the quotes alone.
	neo4jtest.MustWrite(t, `MATCH (s:CoopgraphSeed) DELETE s`, nil)
	if _, applied, err := loadSeed(ctx, store, io.Discard); err != nil || applied {
		t.Fatalf("seeding again: applied before %v, %v", applied, err)
	}
	if _, _, err := loadSeed(ctx, store, io.Discard); err != nil {
		t.Fatal(err)
	}
	if p, _ := store.Passages(ctx, []string{"ecuador-pentagon-2025 ¶5"}); p["ecuador-pentagon-2025 ¶5"].Kind != coop.PassageQuote {
		t.Errorf("seeding again replaced the quotes")
	}
	neo4jtest.MustHoldMentions(t, store)
}
