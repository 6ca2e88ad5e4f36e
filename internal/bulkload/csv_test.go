package bulkload

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The files say what the importer must read: quoted text with its quotes
// doubled, lists joined by U+001F, typed columns added as properties first
// appear, and no field for what has no value; what it cannot read (an
// empty list, a list of one empty string) is left to Finish.
func TestTheWriterWritesWhatTheImporterReads(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	country := &coop.Actor{Base: coop.Base{ID: "c", Name: `The "Land"`, Synthetic: true}, Kind: coop.ActorCountry}
	person := &coop.Actor{Base: coop.Base{ID: "p", Name: "Ana, B", Aliases: []string{"A", "B;C"}, Description: "two\nlines",
		Citations: []coop.Citation{{SourceID: "s", Locator: ""}}}, Kind: "PERSON", CountryID: "c"}
	fatalities := 3
	event := &coop.Event{Base: coop.Base{ID: "e", Name: "E"}, EventType: "DEPLOYMENT", Fatalities: &fatalities}
	stat := &coop.Statistic{Base: coop.Base{ID: "x", Name: "X"}, Indicator: "rate", Value: 0.1, Unit: "%"}
	for _, e := range []coop.Entity{country, person, event, stat} {
		if err := w.Entity(e); err != nil {
			t.Fatal(err)
		}
	}
	rel := &coop.Relationship{ID: "r", Type: coop.RelMemberOf, FromID: "p", ToID: "c", Status: "REPORTED",
		Citations: []coop.Citation{{SourceID: "s", Locator: "¶1"}}}
	if err := w.Relationship(rel, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Relationship(&coop.Relationship{ID: "t", Type: coop.RelInCountry}, true); err == nil {
		t.Error("a country tie was taken as a record")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, r, ties := w.Counts(); n != 4 || r != 1 || ties != 1 {
		t.Errorf("counts %d %d %d", n, r, ties)
	}

	args := w.ImporterArgs()
	if !slices.Contains(args, "--multiline-fields=true") || !slices.Contains(args, "--array-delimiter=U+001F") || !slices.Contains(args, "--bad-tolerance=0") {
		t.Errorf("args %v", args)
	}
	files := map[string][2]string{} // label → header, data
	for _, a := range args {
		for _, prefix := range []string{"--nodes=", "--relationships="} {
			if rest, ok := strings.CutPrefix(a, prefix); ok {
				label, names, _ := strings.Cut(rest, "=")
				header, data, _ := strings.Cut(names, ",")
				files[label] = [2]string{readFile(t, header), readFile(t, data)}
			}
		}
	}
	actors := files["Entity:Actor"]
	header := strings.Split(strings.TrimSpace(actors[0]), ",")
	col := func(name string) int {
		return slices.IndexFunc(header, func(h string) bool { return strings.HasPrefix(h, name+":") })
	}
	for _, h := range []string{"id:ID", "name:string", "aliases:string[]", "synthetic:boolean", "version:long", "country:string"} {
		if !slices.Contains(header, h) {
			t.Errorf("actor header %v lacks %s", header, h)
		}
	}
	if header[0] != "id:ID" {
		t.Errorf("actor header %v", header)
	}
	// The country: its name's quotes doubled; its lists (empty) left out.
	country1, person1, _ := strings.Cut(actors[1], "\n")
	if !strings.HasPrefix(country1, `"c",`) || !strings.Contains(country1, `"The ""Land"""`) || strings.Contains(country1, "\x1f") {
		t.Errorf("country row %q", country1)
	}
	// The person: commas and newlines inside quotes, lists joined.
	for _, want := range []string{`"p",`, `"Ana, B"`, "\"A\x1fB;C\"", "\"two\nlines\"", `"c"`} {
		if !strings.Contains(person1, want) {
			t.Errorf("person row %q lacks %q", person1, want)
		}
	}
	if strings.Count(person1, "\n") != 2 || !strings.HasSuffix(person1, "\n") {
		t.Errorf("person row %q: one row", person1)
	}
	if col("country") < 0 || col("synthetic") < 0 {
		t.Fatal(header)
	}
	if strings.Count(files["Entity:Event"][0], "fatalities:long") != 1 || !strings.Contains(files["Entity:Event"][1], ",3") {
		t.Errorf("event files %q", files["Entity:Event"])
	}
	if !strings.Contains(files["Entity:Statistic"][0], "value:double") || !strings.Contains(files["Entity:Statistic"][1], ",0.1") {
		t.Errorf("statistic files %q", files["Entity:Statistic"])
	}
	member := files[string(coop.RelMemberOf)]
	if !strings.HasPrefix(member[0], ":START_ID,:END_ID,") || !strings.HasPrefix(member[1], `"p","c",`) || strings.Contains(member[0], "version") {
		t.Errorf("relationship files %q", member)
	}
	tie := files[string(coop.RelInCountry)]
	if !strings.HasPrefix(tie[1], `"p","c",`) || !strings.Contains(tie[0], "version:long") {
		t.Errorf("country tie files %q", tie)
	}

	// What the importer cannot write: the country's empty lists, the
	// person's one empty locator (and its tie's), the event's and the
	// statistic's empty lists.
	got := map[string][]string{}
	for _, f := range w.Fixups() {
		keys := make([]string, 0, len(f.Props))
		for k, v := range f.Props {
			keys = append(keys, k+"="+strings.Join(v.([]string), "|")+"#"+string(rune('0'+len(v.([]string)))))
		}
		slices.Sort(keys)
		got[string(f.RelType)+" "+strings.Join(keys, " ")] = f.IDs
	}
	want := map[string][]string{
		" aliases=#0 citeLocators=#0 citeSources=#0": {"c", "e", "x"},
		" citeLocators=#1":                           {"p"},
		"IN_COUNTRY citeLocators=#1":                 {coop.TieID("p", coop.RelInCountry, "c")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fixups %v, want %v", got, want)
	}
}
