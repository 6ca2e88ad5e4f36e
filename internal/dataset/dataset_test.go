package dataset

import (
	"errors"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

const good = `{"record":"source","id":"s1","title":"A  Report","kind":"NEWS","published":"2025"}
{"record":"actor","id":"ecuador","kind":"COUNTRY","name":"Ecuador","citations":[{"source":"s1","locator":"¶2"}]}
{"record":"actor","id":"gian-carlo","kind":"PERSON","name":"Gian Carlo Loffredo Rendo\u0301n","country":"ecuador","citations":[{"source":"s1","locator":"¶5"}]}
{"record":"relationship","id":"r1","type":"OPERATES_IN","from":"gian-carlo","to":"ecuador","status":"REPORTED","since":"2024","citations":[{"source":"s1","locator":"¶5"}]}
`

func TestReadValid(t *testing.T) {
	rd := NewReader()
	rd.Read("good.jsonl", strings.NewReader(good))
	ds, err := rd.Dataset()
	if err != nil {
		t.Fatalf("Dataset() error: %v", err)
	}
	if len(ds.Entities) != 3 || len(ds.Relationships) != 1 {
		t.Fatalf("got %d entities, %d relationships; want 3, 1", len(ds.Entities), len(ds.Relationships))
	}
	if got := ds.Entities[0].EntityBase().Name; got != "A Report" {
		t.Errorf("title = %q; want spaces collapsed", got)
	}
	if got := ds.Entities[2].EntityBase().Name; got != "Gian Carlo Loffredo Rendón" {
		t.Errorf("name = %q; want NFC", got)
	}
}

func TestReadReportsEveryErrorByLineAndField(t *testing.T) {
	in := good + `{"record":"actor","id":"Bad Id","kind":"PERSON","name":"X","citations":[{"source":"s1","locator":"¶1"}]}
{"record":"actor","id":"x2","kind":"WIZARD","name":"","citations":[]}
{"record":"relationship","id":"r2","type":"MEMBER_OF","from":"ecuador","to":"gian-carlo","status":"REPORTED","citations":[{"source":"s1","locator":"¶5"}]}
{"record":"relationship","id":"r3","type":"OPERATES_IN","from":"nobody","to":"ecuador","status":"SURE","since":"2025-02-30","citations":[{"source":"nope","locator":"¶5"}]}
{"record":"actor","id":"ecuador","kind":"COUNTRY","name":"Again","citations":[{"source":"s1","locator":"¶2"}]}
{"record":"actor","id":"x3","kind":"PERSON","name":"Y","colour":"red","citations":[{"source":"s1","locator":"¶2"}]}
{not json
{"record":"relationship","id":"r4","type":"IN_COUNTRY","from":"gian-carlo","to":"ecuador","status":"REPORTED","citations":[{"source":"s1","locator":"¶5"}]}
`
	rd := NewReader()
	rd.Read("bad.jsonl", strings.NewReader(in))
	_, err := rd.Dataset()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Dataset() error = %v; want Errors", err)
	}
	want := []struct {
		line  int
		field string
	}{
		{5, "id"}, {6, "kind"}, {6, "name"}, {6, "citations"}, {7, "type"},
		{8, "status"}, {8, "since"}, {8, "citations[0].source"}, {8, "from"}, {9, "id"}, {10, ""}, {11, ""}, {12, "type"},
	}
	for _, w := range want {
		found := false
		for _, e := range errs {
			if e.Line == w.line && e.Field == w.field {
				found = true
			}
		}
		if !found {
			t.Errorf("no error reported for line %d field %q; got:\n%v", w.line, w.field, errs)
		}
	}
	if !strings.Contains(err.Error(), "bad.jsonl:12: type: IN_COUNTRY ties stand for an entity's country field") {
		t.Errorf("a country tie written as a relationship is not refused for what it is:\n%v", err)
	}
	if !strings.Contains(err.Error(), `bad.jsonl:6: kind: "WIZARD" is not allowed; allowed: PERSON, GOVERNMENT, MINISTRY`) {
		t.Errorf("an unknown kind is refused without the kinds allowed:\n%v", err)
	}
	if !strings.Contains(err.Error(), "MEMBER_OF may not end at PERSON") {
		t.Errorf("kind rule error does not name the rule:\n%v", err)
	}
}

func TestEveryRuleEndIsAKnownType(t *testing.T) {
	known := map[coop.EntityType]bool{}
	for _, ty := range coop.EntityTypes {
		known[ty] = true
	}
	for _, r := range coop.Relations {
		for _, e := range append(append([]coop.End{}, r.From...), r.To...) {
			if !known[e.Type] {
				t.Errorf("rule %s names unknown type %s", r.Type, e.Type)
			}
		}
	}
}

func TestCiteAddsCitationsAndAliasesFromLaterSources(t *testing.T) {
	in := good + `{"record":"source","id":"s2","title":"Another","kind":"OFFICIAL_RELEASE"}
{"record":"cite","id":"ecuador","aliases":["Republic of Ecuador"],"citations":[{"source":"s2","locator":"A1"},{"source":"s1","locator":"¶2"}]}
{"record":"cite","id":"r1","citations":[{"source":"s2","locator":"A2"}]}
{"record":"cite","id":"nobody","citations":[{"source":"s2","locator":"A2"}]}
{"record":"cite","id":"r1","aliases":["x"],"citations":[{"source":"s9","locator":"A2"}]}
`
	rd := NewReader()
	rd.Read("cite.jsonl", strings.NewReader(in))
	_, err := rd.Dataset()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("errors = %v; want 3 (unknown id, unknown source, aliases on a relationship)", err)
	}
	rd = NewReader()
	rd.Read("cite.jsonl", strings.NewReader(strings.Join(strings.Split(in, "\n")[:7], "\n")))
	ds, err := rd.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ecuador := ds.Entities[1].EntityBase()
	if len(ecuador.Citations) != 2 || ecuador.Citations[1].SourceID != "s2" {
		t.Errorf("ecuador citations = %v; want ¶2 of s1 once, then A1 of s2", ecuador.Citations)
	}
	if len(ecuador.Aliases) != 1 || ecuador.Aliases[0] != "Republic of Ecuador" {
		t.Errorf("ecuador aliases = %v", ecuador.Aliases)
	}
	if c := ds.Relationships[0].Citations; len(c) != 2 {
		t.Errorf("r1 citations = %v; want 2", c)
	}
}

// A relationship given without an id takes FROM-TYPE-TO; given twice, the
// second is refused as a duplicate.
func TestARelationshipWithoutIDTakesItsEndsAndType(t *testing.T) {
	rd := NewReader()
	rd.Read("ids.jsonl", strings.NewReader(good+`{"record":"relationship","type":"OPERATES_IN","from":"gian-carlo","to":"ecuador","status":"REPORTED","citations":[{"source":"s1","locator":"¶5"}]}
{"record":"relationship","type":"OPERATES_IN","from":"gian-carlo","to":"ecuador","status":"ALLEGED","citations":[{"source":"s1","locator":"¶5"}]}
`))
	ds, errs := rd.Valid()
	if len(ds.Relationships) != 2 || ds.Relationships[1].ID != "gian-carlo-operates-in-ecuador" {
		t.Fatalf("relationships %+v", ds.Relationships)
	}
	if len(errs) != 1 || errs[0].Line != 6 || errs[0].Field != "id" {
		t.Errorf("the same tie again: %v", errs)
	}
}

// An input that gives a source's passages anew must keep what stored facts
// cite, unless it gives those facts anew too; its passages are refused
// whole otherwise.
func TestPassagesGivenAnewKeepWhatIsCited(t *testing.T) {
	in := good + `{"record":"passage","source":"s1","locator":"¶1","kind":"QUOTE","text":"One."}
{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
{"record":"passage","source":"s1","locator":"¶5","kind":"QUOTE","text":"Five."}
`
	rd := NewReader()
	rd.Read("p.jsonl", strings.NewReader(in))
	rd.KnowCited(map[string]map[string][]string{"s1": {"¶2": {"ecuador"}, "¶7": {"old-fact", "ecuador"}, "¶9": {"r1"}}})
	ds, errs := rd.Valid()
	// ¶9 is cited by r1 only, which the input gives anew; ¶7 by old-fact too.
	if len(errs) != 1 || errs[0].Line != 5 || !strings.Contains(errs[0].Msg, "leave out ¶7 (cited by old-fact)") || strings.Contains(errs[0].Msg, "¶9") {
		t.Errorf("errors %v", errs)
	}
	if len(ds.Passages) != 0 {
		t.Errorf("%d passages of a refused source kept", len(ds.Passages))
	}
	if !rd.PassageTrouble() {
		t.Error("passages that lose what is cited can be skipped")
	}
}

// Citations are checked against the passages an input gives, even those
// read before the passages; a passage record that is refused makes the
// import's problems ones that skipping records cannot fix.
func TestCitationsMustFindThePassagesTheInputGives(t *testing.T) {
	in := good + `{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
{"record":"passage","source":"s1","locator":"¶5","kind":"QUOTE","text":"Five."}
`
	rd := NewReader()
	rd.Read("p.jsonl", strings.NewReader(in))
	if _, errs := rd.Valid(); len(errs) != 0 || rd.PassageTrouble() {
		t.Fatalf("citations of passages given after them: %v", errs)
	}
	// ¶5 is cited on lines 3 and 4, and not given.
	rd = NewReader()
	rd.Read("p.jsonl", strings.NewReader(good+`{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
`))
	_, errs := rd.Valid()
	if len(errs) != 2 || errs[0].Line != 3 || errs[1].Line != 4 || errs[0].Field != "citations[0].locator" || !rd.PassageTrouble() {
		t.Errorf("citations of a passage the input leaves out: %v (trouble %v)", errs, rd.PassageTrouble())
	}
	// A refused passage record: the source's passages are not whole.
	rd = NewReader()
	rd.Read("p.jsonl", strings.NewReader(good+`{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
{"record":"passage","source":"s1","locator":"¶5","kind":"QUOTE","text":""}
`))
	if _, errs := rd.Valid(); len(errs) == 0 || !rd.PassageTrouble() {
		t.Errorf("a refused passage: %v (trouble %v)", errs, rd.PassageTrouble())
	}
	// Stored passages (¶2 only) given anew with ¶5, after facts citing ¶5.
	rd = NewReader()
	rd.KnowPassages(map[string][]string{"s1": {"¶2"}})
	rd.Read("p.jsonl", strings.NewReader(in))
	if _, errs := rd.Valid(); len(errs) != 0 || rd.PassageTrouble() {
		t.Errorf("citations of passages given after them, the stored ones lacking them: %v", errs)
	}
	// A cite record's citation of a passage not given: its own line.
	rd = NewReader()
	rd.Read("p.jsonl", strings.NewReader(good+`{"record":"cite","id":"ecuador","citations":[{"source":"s1","locator":"¶7"}]}
{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
{"record":"passage","source":"s1","locator":"¶5","kind":"QUOTE","text":"Five."}
`))
	if _, errs := rd.Valid(); len(errs) != 1 || errs[0].Line != 5 || errs[0].Field != "citations[0].locator" {
		t.Errorf("a cite record citing a passage not given: %v", errs)
	}
	// Stored passages kept (the seed): the input's are left out, and
	// citations are checked against the stored ones.
	rd = NewReader()
	rd.KnowPassages(map[string][]string{"s1": {"¶2", "¶5", "¶9"}})
	rd.KeepStoredPassages()
	rd.Read("p.jsonl", strings.NewReader(good+`{"record":"passage","source":"s1","locator":"¶2","kind":"QUOTE","text":"Two."}
`))
	if ds, errs := rd.Valid(); len(errs) != 0 || len(ds.Passages) != 0 || len(rd.GivenPassages()) != 0 {
		t.Errorf("stored passages kept: errors %v, %d passages given", errs, len(ds.Passages))
	}
}
