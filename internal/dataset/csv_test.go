package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

const entitiesCSV = `record,id,title,kind,publisher,published,name,aliases,country,citations,description
source,insight-crime-2025,"Ecuador's gangs, explained",NEWS,InSight Crime,2025-01-15,,,,,
actor,ecuador ,,COUNTRY  ,,,Ecuador,"  ",,insight-crime-2025 ¶1,
actor,los-choneros,,CRIMINAL_GROUP,,,Los Choneros, Choneros || Los Chone| ,ecuador,insight-crime-2025 ¶5|insight-crime-2025   A3 ,"A gang, founded in ""Manta"""
`

// No record column: from and to make every row a relationship.
const relationshipsCSV = "id,type,from,to,status,since,asOf,role,citations\r\n" +
	"r-choneros-ecuador,OPERATES_IN,los-choneros,ecuador,REPORTED,2024-03,,,insight-crime-2025 ¶5\r\n" +
	"\r\n" +
	",,,,,,,,\r\n" +
	" , \r\n" + // blank, and short
	"r-ecuador-choneros,DESIGNATED,ecuador,los-choneros,CONFIRMED,,2024-01,terrorist,insight-crime-2025 ¶6|insight-crime-2025 ¶7\r\n"

// readCSV reads files in order through CSVLines and one Reader, returning
// the reader and every error of both steps.
func readCSV(t *testing.T, files ...[2]string) (*Reader, [][]Line, Errors) {
	t.Helper()
	rd := NewReader()
	var all Errors
	var lines [][]Line
	for _, f := range files {
		ls, errs := CSVLines(f[0], strings.NewReader(f[1]))
		all = append(all, errs...)
		rd.ReadLines(ls)
		lines = append(lines, ls)
	}
	if _, errs := rd.Valid(); errs != nil {
		all = append(all, errs...)
	}
	return rd, lines, all
}

func TestCSVValidEntitiesAndRelationships(t *testing.T) {
	rd, lines, errs := readCSV(t, [2]string{"entities.csv", entitiesCSV}, [2]string{"relationships.csv", relationshipsCSV})
	if len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%v", errs)
	}
	ds, err := rd.Dataset()
	if err != nil {
		t.Fatalf("Dataset() error: %v", err)
	}
	if len(ds.Entities) != 3 || len(ds.Relationships) != 2 {
		t.Fatalf("got %d entities, %d relationships; want 3, 2", len(ds.Entities), len(ds.Relationships))
	}
	if got := []int{lines[0][0].N, lines[0][1].N, lines[0][2].N, lines[1][0].N, lines[1][1].N}; !slices.Equal(got, []int{2, 3, 4, 2, 6}) {
		t.Errorf("line numbers = %v; want [2 3 4 2 6]", got)
	}
	if strings.Contains(string(lines[0][0].JSON), `"name"`) || strings.Contains(string(lines[0][0].JSON), `"aliases"`) {
		t.Errorf("empty cells are not omitted: %s", lines[0][0].JSON)
	}

	src, ok := ds.Entities[0].(*coop.Source)
	if !ok {
		t.Fatalf("entity 0 is %T; want *coop.Source", ds.Entities[0])
	}
	if src.ID != "insight-crime-2025" || src.Name != "Ecuador's gangs, explained" || src.Kind != "NEWS" ||
		src.Publisher != "InSight Crime" || src.Published.String() != "2025-01-15" {
		t.Errorf("source = %+v", src)
	}

	country, ok := ds.Entities[1].(*coop.Actor)
	if !ok || country.Kind != coop.ActorCountry || country.Name != "Ecuador" {
		t.Fatalf("entity 1 = %#v; want the COUNTRY actor Ecuador", ds.Entities[1])
	}
	if want := []coop.Citation{{SourceID: "insight-crime-2025", Locator: "¶1"}}; !slices.Equal(country.Citations, want) {
		t.Errorf("country citations = %v; want %v", country.Citations, want)
	}

	gang, ok := ds.Entities[2].(*coop.Actor)
	if !ok || gang.Kind != coop.ActorCriminalGroup || gang.Name != "Los Choneros" || gang.CountryID != "ecuador" {
		t.Fatalf("entity 2 = %#v; want the CRIMINAL_GROUP Los Choneros of ecuador", ds.Entities[2])
	}
	if want := []string{"Choneros", "Los Chone"}; !slices.Equal(gang.Aliases, want) {
		t.Errorf("aliases = %q; want %q", gang.Aliases, want)
	}
	if want := []coop.Citation{{SourceID: "insight-crime-2025", Locator: "¶5"}, {SourceID: "insight-crime-2025", Locator: "A3"}}; !slices.Equal(gang.Citations, want) {
		t.Errorf("citations = %v; want %v", gang.Citations, want)
	}
	if want := `A gang, founded in "Manta"`; gang.Description != want {
		t.Errorf("description = %q; want %q", gang.Description, want)
	}

	r := ds.Relationships[0]
	if r.ID != "r-choneros-ecuador" || r.Type != "OPERATES_IN" || r.FromID != "los-choneros" || r.ToID != "ecuador" ||
		r.Status != "REPORTED" || r.Since.String() != "2024-03" || !r.Until.IsZero() || !r.AsOf.IsZero() {
		t.Errorf("relationship 0 = %+v", r)
	}
	if want := []coop.Citation{{SourceID: "insight-crime-2025", Locator: "¶5"}}; !slices.Equal(r.Citations, want) {
		t.Errorf("relationship 0 citations = %v; want %v", r.Citations, want)
	}
	r = ds.Relationships[1]
	if r.Type != "DESIGNATED" || r.AsOf.String() != "2024-01" || !r.Since.IsZero() || r.Role != "terrorist" || len(r.Citations) != 2 {
		t.Errorf("relationship 1 = %+v", r)
	}
}

func TestCSVNumbers(t *testing.T) {
	in := `record,id,title,kind,name,eventType,date,fatalities,indicator,value,unit,periodStart,periodEnd,citations,topics,outcomes
source,s1,A report,NEWS,,,,,,,,,,,,
event,e1,,,Prison riot,VIOLENCE_WAVE,2021-09,118 ,,"  ",,,,s1 ¶1,,
statistic,h1,,,Homicide rate,,,,homicides per 100k,-0.5e1,per 100k,2023,2023,s1 ¶2,,
statistic,h2,,,Homicides,,,,homicides,0,count,2023,2024,s1 ¶3,,
meeting,m1,,,Talks,,2024-02-01,,,,,,,s1 ¶4, security |trade||,| a deal
`
	_, lines, errs := readCSV(t, [2]string{"numbers.csv", in})
	if len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%v", errs)
	}
	var got []map[string]any
	for _, l := range lines[0] {
		var m map[string]any
		if err := json.Unmarshal(l.JSON, &m); err != nil {
			t.Fatalf("line %d: bad JSON %s: %v", l.N, l.JSON, err)
		}
		got = append(got, m)
	}
	if len(got) != 5 {
		t.Fatalf("got %d lines; want 5", len(got))
	}
	if _, ok := got[1]["value"]; ok {
		t.Errorf("a blank value cell must be omitted: %s", lines[0][1].JSON)
	}
	if got[1]["fatalities"] != 118.0 || !strings.Contains(string(lines[0][1].JSON), `"fatalities":118`) {
		t.Errorf("fatalities: %s", lines[0][1].JSON)
	}
	if got[2]["value"] != -5.0 {
		t.Errorf("value: %s", lines[0][2].JSON)
	}
	if v, ok := got[3]["value"]; !ok || v != 0.0 {
		t.Errorf("a zero value must be kept: %s", lines[0][3].JSON)
	}
	if !reflect.DeepEqual(got[4]["topics"], []any{"security", "trade"}) || !reflect.DeepEqual(got[4]["outcomes"], []any{"a deal"}) {
		t.Errorf("lists: %s", lines[0][4].JSON)
	}
}

func TestCSVCitationWithoutLocator(t *testing.T) {
	in := "record,id,name,kind,citations\nactor,x,X,PERSON,s1|s2  p. 12 \n"
	lines, errs := CSVLines("c.csv", strings.NewReader(in))
	if len(errs) > 0 || len(lines) != 1 {
		t.Fatalf("got %d lines, errors %v", len(lines), errs)
	}
	var rec struct{ Citations []map[string]string }
	if err := json.Unmarshal(lines[0].JSON, &rec); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{{"source": "s1", "locator": ""}, {"source": "s2", "locator": "p. 12"}}
	if !reflect.DeepEqual(rec.Citations, want) {
		t.Errorf("citations = %v; want %v", rec.Citations, want)
	}
	// The reader then reports the missing locator.
	rd := NewReader()
	rd.ReadLines(lines)
	_, verrs := rd.Valid()
	if !hasError(verrs, 2, "citations[0].locator") {
		t.Errorf("missing locator not reported on line 2:\n%v", verrs)
	}
}

type errAt struct {
	line  int
	field string
}

func errorSet(errs Errors) []errAt {
	var got []errAt
	for _, e := range errs {
		got = append(got, errAt{e.Line, e.Field})
	}
	sort.Slice(got, func(i, j int) bool {
		if got[i].line != got[j].line {
			return got[i].line < got[j].line
		}
		return got[i].field < got[j].field
	})
	return got
}

func hasError(errs Errors, line int, field string) bool {
	for _, e := range errs {
		if e.Line == line && e.Field == field {
			return true
		}
	}
	return false
}

func TestCSVBadRowsReportedByLineAndField(t *testing.T) {
	in := `record,id,title,name,kind,indicator,value,unit,periodStart,periodEnd,type,from,to,status,citations
source,s1,A report,,NEWS,,,,,,,,,,
actor,x1,,X,WIZARD,,,,,,,,,,s1 ¶1
statistic,homicides,,Homicides,,homicide rate,lots,per 100k,2024,2024,,,,,s1 ¶2
actor,ecuador,,Ecuador,COUNTRY,,,,,,,,,,s1 ¶1
actor,someone,,Some One,PERSON,,,,,,,,,,s1 ¶1
relationship,r1,,,,,,,,,MEMBER_OF,ecuador,someone,REPORTED,s1 ¶3
actor,short,,Short,PERSON
actor,y1,,Y,PERSON,,,,,,,,,,s1
,,,,,,,,,,,,,,
relationship,r2,,,,,,,,,OPERATES_IN,someone,ecuador,REPORTED,s1 ¶4
`
	rd, lines, errs := readCSV(t, [2]string{"bad.csv", in})
	want := []errAt{{3, "kind"}, {4, "value"}, {7, "type"}, {8, ""}, {9, "citations[0].locator"}}
	if got := errorSet(errs); !slices.Equal(got, want) {
		t.Errorf("errors at %v; want %v; got:\n%v", got, want, errs)
	}
	for _, e := range errs {
		if e.File != "bad.csv" {
			t.Errorf("error names file %q; want bad.csv", e.File)
		}
		if e.Line == 4 && !strings.Contains(e.Msg, `"lots"`) {
			t.Errorf("value error does not quote the cell: %v", e)
		}
		if e.Line == 7 && !strings.Contains(e.Msg, "MEMBER_OF may not end at PERSON") {
			t.Errorf("kind rule error does not name the rule: %v", e)
		}
	}
	var ns []int
	for _, l := range lines[0] {
		ns = append(ns, l.N)
	}
	// Line 4 (bad number) and 8 (wrong cell count) are not returned; 10 is blank.
	if want := []int{2, 3, 5, 6, 7, 9, 11}; !slices.Equal(ns, want) {
		t.Errorf("lines returned = %v; want %v", ns, want)
	}
	ds, _ := rd.Valid()
	if len(ds.Relationships) != 1 || ds.Relationships[0].ID != "r2" {
		t.Errorf("valid relationships = %v; want only r2", ds.Relationships)
	}
}

func TestCSVBadFatalities(t *testing.T) {
	in := "record,id,name,eventType,fatalities,value,citations\n" +
		"event,e1,E,VIOLENCE_WAVE,12.5,,s1 ¶1\n" +
		"statistic,s,S,,,NaN,s1 ¶1\n" +
		"statistic,s,S,,,1e999,s1 ¶1\n" +
		"statistic,s,S,,,\"1,234\",s1 ¶1\n" +
		"event,e2,E,VIOLENCE_WAVE,many,Inf,s1 ¶1\n"
	lines, errs := CSVLines("n.csv", strings.NewReader(in))
	want := []errAt{{2, "fatalities"}, {3, "value"}, {4, "value"}, {5, "value"}, {6, "fatalities"}, {6, "value"}}
	if got := errorSet(errs); !slices.Equal(got, want) {
		t.Errorf("errors at %v; want %v; got:\n%v", got, want, errs)
	}
	if len(lines) != 0 {
		t.Errorf("rows with bad numbers were returned: %v", lines)
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []errAt
	}{
		{"unknown and repeated", "record,id, colour ,name,name,aliases\nactor,x,red,X,Y,\n", []errAt{{1, "colour"}, {1, "name"}}},
		{"case-sensitive", "record,ID,name\nactor,x,X\n", []errAt{{1, "ID"}}},
		{"no record column", "id,name,kind\nx,X,PERSON\n", []errAt{{1, "record"}}},
		{"from without to", "id,type,from,status\nr,LEADS,x,REPORTED\n", []errAt{{1, "record"}}},
		{"unnamed column", "record,id,\nactor,x,\n", []errAt{{1, ""}}},
		{"empty file", "", []errAt{{1, ""}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lines, errs := CSVLines("h.csv", strings.NewReader(c.in))
			if lines != nil {
				t.Errorf("lines returned despite header errors: %v", lines)
			}
			if got := errorSet(errs); !slices.Equal(got, c.want) {
				t.Errorf("errors at %v; want %v; got:\n%v", got, c.want, errs)
			}
		})
	}
}

func TestCSVMultiLineCellKeepsLineNumbers(t *testing.T) {
	in := "record,id,title,name,kind,description,citations\n" + // 1
		"source,s1,A report,,NEWS,,\n" + // 2
		"actor,x1,,X,PERSON,\"first line\n" + // 3
		"second, with a comma\n" + // 4
		"\n" + // 5
		"third \"\"quoted\"\"\",s1 ¶1\n" + // 6
		"actor,x2,,X2,WIZARD,,s1 ¶1\n" + // 7
		"actor,x3,,X3,PERSON,\"a\r\nb\",s1\n" + // 8-9: no locator
		"actor,x4,,X4,GHOST,,s1 ¶1\n" // 10
	lines, errs := CSVLines("m.csv", strings.NewReader(in))
	if len(errs) > 0 {
		t.Fatalf("CSVLines errors:\n%v", errs)
	}
	var ns []int
	for _, l := range lines {
		ns = append(ns, l.N)
	}
	if want := []int{2, 3, 7, 8, 10}; !slices.Equal(ns, want) {
		t.Errorf("line numbers = %v; want %v", ns, want)
	}
	var rec struct{ Description string }
	if err := json.Unmarshal(lines[1].JSON, &rec); err != nil {
		t.Fatal(err)
	}
	if want := "first line\nsecond, with a comma\n\nthird \"quoted\""; rec.Description != want {
		t.Errorf("description = %q; want %q", rec.Description, want)
	}
	rd := NewReader()
	rd.ReadLines(lines)
	_, verrs := rd.Valid()
	want := []errAt{{7, "kind"}, {8, "citations[0].locator"}, {10, "kind"}}
	if got := errorSet(verrs); !slices.Equal(got, want) {
		t.Errorf("errors at %v; want %v; got:\n%v", got, want, verrs)
	}
}

func TestCSVSyntaxErrorStops(t *testing.T) {
	in := "record,id,name,kind,citations\n" +
		"actor,x1,X,PERSON,s1 ¶1\n" +
		"actor,x2,X \"the\" 2,PERSON,s1 ¶1\n" + // bare quote on line 3
		"actor,x3,X3,PERSON,s1 ¶1\n"
	lines, errs := CSVLines("q.csv", strings.NewReader(in))
	if got, want := errorSet(errs), []errAt{{3, ""}}; !slices.Equal(got, want) {
		t.Errorf("errors at %v; want %v; got:\n%v", got, want, errs)
	}
	if len(lines) != 1 || lines[0].N != 2 {
		t.Errorf("lines = %v; want only line 2", lines)
	}

	// An unterminated quoted cell is reported too.
	lines, errs = CSVLines("q.csv", strings.NewReader("record,id,name\nactor,x1,\"open\nactor,x2,X\n"))
	if got, want := errorSet(errs), []errAt{{3, ""}}; !slices.Equal(got, want) || len(lines) != 0 || !strings.Contains(errs[0].Msg, "starts on line 2") {
		t.Errorf("unterminated quote: lines %v, errors %v; want one error on line 3 naming line 2", lines, errs)
	}
}

func TestCSVByteOrderMark(t *testing.T) {
	for _, c := range []struct{ name, header string }{
		{"plain", "\uFEFFrecord,id,title,kind"},
		{"quoted", "\uFEFF\"record\",id,title,kind"},
		{"crlf", "\uFEFFrecord,id,title,kind\r"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.header + "\nsource,s1,A report,NEWS\n"
			lines, errs := CSVLines("bom.csv", strings.NewReader(in))
			if len(errs) > 0 {
				t.Fatalf("errors:\n%v", errs)
			}
			if len(lines) != 1 || lines[0].N != 2 {
				t.Fatalf("lines = %v; want one, on line 2", lines)
			}
			if want := `{"id":"s1","kind":"NEWS","record":"source","title":"A report"}`; string(lines[0].JSON) != want {
				t.Errorf("JSON = %s; want %s", lines[0].JSON, want)
			}
		})
	}
	// A BOM anywhere but the start is not dropped from cells.
	lines, errs := CSVLines("bom.csv", strings.NewReader("record,id,title,kind\nsource,s1,\uFEFFA,NEWS\n"))
	if len(errs) > 0 || len(lines) != 1 || !strings.Contains(string(lines[0].JSON), "\uFEFFA") {
		t.Errorf("lines %v, errors %v", lines, errs)
	}
}

func TestCSVInvalidUTF8(t *testing.T) {
	lines, errs := CSVLines("u.csv", strings.NewReader("record,id,name,kind,citations\nactor,x,Bad \xff,PERSON,s1 ¶1\n"))
	if got, want := errorSet(errs), []errAt{{2, "name"}}; !slices.Equal(got, want) {
		t.Errorf("errors at %v; want %v; got:\n%v", got, want, errs)
	}
	if len(lines) != 0 {
		t.Errorf("row with invalid UTF-8 returned: %v", lines)
	}
}

// Every record field is a column, converted by its JSON type.
func TestCSVColumnsAreRecordFields(t *testing.T) {
	want := map[string]cellKind{
		"aliases": cellList, "editorialAliases": cellList, "topics": cellList, "outcomes": cellList,
		"citations": cellCitations, "fatalities": cellInt, "value": cellFloat, "synthetic": cellBool, "heading": cellBool,
	}
	for _, s := range strings.Fields(`record id name title description kind country status proposed signed inForce
		ended date endDate eventType subEventType indicator unit periodStart periodEnd publisher published url
		type from to since until asOf role source locator text review basis inference bound`) {
		want[s] = cellString
	}
	if !reflect.DeepEqual(csvColumns, want) {
		t.Errorf("csvColumns = %v\nwant %v", csvColumns, want)
	}
	// Each column's JSON decodes into record without error.
	var header, row []string
	for name, kind := range csvColumns {
		header = append(header, name)
		row = append(row, map[cellKind]string{cellString: "x", cellList: "a|b", cellCitations: "s ¶1", cellInt: "3", cellFloat: "2.5", cellBool: "true"}[kind])
	}
	lines, errs := CSVLines("all.csv", strings.NewReader(strings.Join(header, ",")+"\n"+strings.Join(row, ",")+"\n"))
	if len(errs) > 0 || len(lines) != 1 {
		t.Fatalf("lines %v, errors %v", lines, errs)
	}
	var rec Record
	dec := json.NewDecoder(strings.NewReader(string(lines[0].JSON)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		t.Fatalf("JSON %s does not decode into record: %v", lines[0].JSON, err)
	}
	if rec.Fatalities == nil || *rec.Fatalities != 3 || rec.Value == nil || *rec.Value != 2.5 || len(rec.Topics) != 2 || !rec.Synthetic {
		t.Errorf("record = %+v", rec)
	}
}

// The examples in docs/import-csv.md pass validation, and the JSON shown
// there is what the CSV row becomes.
func TestCSVDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/import-csv.md")
	if err != nil {
		t.Fatal(err)
	}
	var files [][2]string
	var jsonExample string
	for i, block := range strings.Split(string(doc), "```")[1:] {
		if i%2 != 0 { // text between blocks
			continue
		}
		switch lang, body, _ := strings.Cut(block, "\n"); lang {
		case "csv":
			files = append(files, [2]string{fmt.Sprintf("doc%d.csv", len(files)+1), body})
		case "json":
			jsonExample = strings.TrimSpace(body)
		}
	}
	if len(files) != 3 || jsonExample == "" {
		t.Fatalf("found %d CSV examples and JSON %q; want 3 and one", len(files), jsonExample)
	}
	rd, lines, errs := readCSV(t, files...)
	if len(errs) > 0 {
		t.Fatalf("doc examples do not pass validation:\n%v", errs)
	}
	ds, _ := rd.Dataset()
	if len(ds.Entities) != 5 || len(ds.Relationships) != 3 {
		t.Errorf("got %d entities, %d relationships; want 5, 3", len(ds.Entities), len(ds.Relationships))
	}
	var got, want any
	if err := json.Unmarshal(lines[2][1].JSON, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(jsonExample), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row becomes %s;\ndoc says %s", lines[2][1].JSON, jsonExample)
	}
}

func ExampleCSVLines() {
	in := "id,type,from,to,status,since,citations\n" +
		"r1,OPERATES_IN,los-choneros,ecuador,REPORTED,2024,insight-crime-2025 ¶5|us-dod-release ¶2\n"
	lines, _ := CSVLines("relationships.csv", strings.NewReader(in))
	fmt.Printf("%d: %s\n", lines[0].N, lines[0].JSON)
	// Output:
	// 2: {"citations":[{"locator":"¶5","source":"insight-crime-2025"},{"locator":"¶2","source":"us-dod-release"}],"from":"los-choneros","id":"r1","record":"relationship","since":"2024","status":"REPORTED","to":"ecuador","type":"OPERATES_IN"}
}

// Whole numbers are written whole, however large: 1e+06 is no whole number
// to the reader.
func TestCSVWriterWritesNumbersTheReaderReads(t *testing.T) {
	many := 1000000
	value := 2500000.0
	ds := coop.Dataset{Entities: []coop.Entity{
		&coop.Source{Base: coop.Base{ID: "s", Name: "S"}, Kind: "REPORT"},
		&coop.Event{Base: coop.Base{ID: "e", Name: "E", Citations: []coop.Citation{{SourceID: "s", Locator: "p. 1"}}}, EventType: "VIOLENCE_WAVE", Fatalities: &many},
		&coop.Statistic{Base: coop.Base{ID: "st", Name: "St", Citations: []coop.Citation{{SourceID: "s", Locator: "p. 2"}}}, Indicator: "x", Value: value, Unit: "people", PeriodStart: coop.MustDate("2024"), PeriodEnd: coop.MustDate("2024")},
	}}
	var ents, rels bytes.Buffer
	if err := NewCSVWriter(&ents, &rels).Dataset(ds); err != nil {
		t.Fatal(err)
	}
	lines, errs := CSVLines("e.csv", &ents)
	if len(errs) > 0 {
		t.Fatalf("the written CSV does not read: %v\n%s", errs, ents.String())
	}
	rd := NewReader()
	rd.ReadLines(lines)
	back, err := rd.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if ev := back.Entities[1].(*coop.Event); ev.Fatalities == nil || *ev.Fatalities != many {
		t.Errorf("fatalities came back as %v", ev.Fatalities)
	}
	if st := back.Entities[2].(*coop.Statistic); st.Value != value {
		t.Errorf("value came back as %v", st.Value)
	}
}

// A relationship's citation may end with what its source says, in
// parentheses; parentheses that are not a status stay in the locator.
func TestCSVCitationsCarryTheirSourcesStatus(t *testing.T) {
	lines, errs := CSVLines("r.csv", strings.NewReader("id,type,from,to,citations\nr1,SUPPORTS,a,b,s1 ¶5 (CONFIRMED)|s1 p. 3 (annex)|s2 A1\n"))
	if len(errs) > 0 || len(lines) != 1 {
		t.Fatalf("lines %v, errors %v", lines, errs)
	}
	want := `"citations":[{"locator":"¶5","source":"s1","status":"CONFIRMED"},{"locator":"p. 3 (annex)","source":"s1"},{"locator":"A1","source":"s2"}]`
	if !strings.Contains(string(lines[0].JSON), want) {
		t.Errorf("row as JSON: %s\nwant %s", lines[0].JSON, want)
	}
}

// A text cell a spreadsheet would run as a formula is written as plain
// text, and reads back as it was.
func TestCSVExportDefusesFormulas(t *testing.T) {
	a := &coop.Actor{Base: coop.Base{ID: "x", Name: `=HYPERLINK("http://evil.example","click")`, Aliases: []string{"-Lobos", "@home"},
		Description: "''=already quoted twice", Citations: []coop.Citation{{SourceID: "s1", Locator: "¶1"}}}, Kind: coop.ActorCriminalGroup}
	var ents, rels bytes.Buffer
	w := NewCSVWriter(&ents, &rels)
	if err := w.Entity(a); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(ents.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("the cell %q would run as a formula", cell)
		}
	}
	lines, errs := CSVLines("x.csv", strings.NewReader(ents.String()))
	if len(errs) > 0 || len(lines) != 1 {
		t.Fatalf("read back: %v", errs)
	}
	var got struct {
		Name, Description string
		Aliases           []string
	}
	json.Unmarshal(lines[0].JSON, &got)
	if got.Name != a.Name || got.Description != a.Description || strings.Join(got.Aliases, "|") != "-Lobos|@home" {
		t.Errorf("read back %+v", got)
	}
}
