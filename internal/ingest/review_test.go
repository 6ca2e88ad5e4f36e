package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

func TestNameRunsAreCapitalisedWordsNotSentenceOpeners(t *testing.T) {
	got := nameRuns(`Officials of the Banco Central del Ecuador met "Los Tiburones" in March. Violence grew; the DEA and The Hague Group spoke. Then Jean-Luc O'Neill left.`)
	want := []string{"Officials", "Banco Central del Ecuador", "Los Tiburones", "DEA", "Hague Group", "Jean-Luc O'Neill"}
	// "Officials" opens the text: left out. So are "March" (a month),
	// "Violence" and "Then" (sentence openers).
	want = want[1:]
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("nameRuns:\n got %q\nwant %q", got, want)
	}
}

func actor(id, name string, kind coop.ActorKind, aliases ...string) *coop.Actor {
	return &coop.Actor{Base: coop.Base{ID: id, Name: name, Aliases: aliases}, Kind: kind}
}

func TestTheReviewFileProposesAndImportRefusesItUnedited(t *testing.T) {
	lobos := actor("los-lobos", "Los Lobos", coop.ActorCriminalGroup)
	cjng := actor("cjng", "Cartel Jalisco Nueva Generación", coop.ActorCartel, "CJNG")
	quito := &coop.Place{Base: coop.Base{ID: "quito", Name: "Quito"}}
	src := &coop.Source{Base: coop.Base{ID: "report", Name: "Report"}, Kind: "REPORT"}
	ps := []coop.Passage{
		{SourceID: "report", Locator: "¶1", Order: 1, Text: "Los Lobos and the CJNG met Banco Pichincha staff in Quito."},
		{SourceID: "report", Locator: "¶2", Order: 2, Text: "Later Los Lobos paid the CJNG, said the Report."},
	}
	mentions := map[string][]coop.Entity{ps[0].Key(): {quito, lobos, cjng}, ps[1].Key(): {lobos, cjng, src}}
	pairs := CoMentioned(ps, mentions)
	var got []string
	for _, p := range pairs {
		got = append(got, fmt.Sprintf("%s+%s:%d", p.A.EntityID(), p.B.EntityID(), len(p.Citations)))
	}
	// Named together twice first; the source itself is never a candidate.
	if fmt.Sprint(got) != "[cjng+los-lobos:2 cjng+quito:1 los-lobos+quito:1]" {
		t.Errorf("pairs %v", got)
	}
	names := UnknownNames(ps, mentions)
	if len(names) != 1 || names[0].ID != "banco-pichincha" || names[0].Name != "Banco Pichincha" || fmt.Sprint(names[0].Citations) != fmt.Sprint([]coop.Citation{{SourceID: "report", Locator: "¶1"}}) {
		t.Errorf("unknown names %+v", names)
	}
	var buf bytes.Buffer
	ties, err := WriteReview(&buf, pairs, names)
	if err != nil || ties != 3 {
		t.Fatalf("%d ties written, %v", ties, err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("review file:\n%s", buf.String())
	}
	// A place cannot start a tie to an actor: the candidate runs actor to place.
	if !strings.Contains(lines[1], `"from":"cjng","to":"quito"`) || !strings.Contains(lines[1], "OPERATES_IN") {
		t.Errorf("cjng and quito: %s", lines[1])
	}
	rd := dataset.NewReader()
	rd.Know(map[string]coop.Entity{"los-lobos": lobos, "cjng": cjng, "quito": quito, "report": src})
	rd.Read("review.jsonl", strings.NewReader(buf.String()))
	ds, problems := rd.Valid()
	if len(ds.Entities)+len(ds.Relationships) != 0 || len(problems) != 4 {
		t.Errorf("unedited, the review file gave %d records and %d problems: %v", len(ds.Entities)+len(ds.Relationships), len(problems), problems)
	}
	for _, p := range problems {
		if p.Field != "review" {
			t.Errorf("problem %v; want the review note named", p)
		}
	}
}
