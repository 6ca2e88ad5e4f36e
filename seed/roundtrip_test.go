package seed

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// What the Writer writes, the Reader reads back as the same facts.
func TestSeedSurvivesWritingAndReading(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := dataset.NewWriter(&buf).Dataset(ds); err != nil {
		t.Fatal(err)
	}
	rd := dataset.NewReader()
	rd.Read("written.jsonl", &buf)
	back, err := rd.Dataset()
	if err != nil {
		t.Fatalf("written seed does not read back:\n%v", err)
	}
	sameFacts(t, "a round trip", ds, back)
}

// What the CSV writer writes, the CSV reader reads back as the same facts.
func TestSeedSurvivesCSV(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var ents, rels bytes.Buffer
	if err := dataset.NewCSVWriter(&ents, &rels).Dataset(ds); err != nil {
		t.Fatal(err)
	}
	el, errs := dataset.CSVLines("entities.csv", &ents)
	rl, errs2 := dataset.CSVLines("relationships.csv", &rels)
	if len(errs)+len(errs2) > 0 {
		t.Fatalf("the written CSV does not read: %v %v", errs, errs2)
	}
	rd := dataset.NewReader()
	rd.ReadLines(append(el, rl...))
	back, err := rd.Dataset()
	if err != nil {
		t.Fatalf("the written CSV does not validate:\n%v", err)
	}
	sameFacts(t, "a CSV round trip", ds, back)
}

// sameFacts fails unless back holds what was written: every entity equal,
// the relationships and the (not empty) passages equal and in order.
func sameFacts(t *testing.T, how string, wrote, back coop.Dataset) {
	t.Helper()
	if len(back.Entities) != len(wrote.Entities) {
		t.Fatalf("%d entities came back after %s; wrote %d", len(back.Entities), how, len(wrote.Entities))
	}
	byID := map[string]any{}
	for _, e := range back.Entities {
		byID[e.EntityID()] = e
	}
	for _, e := range wrote.Entities {
		if !reflect.DeepEqual(byID[e.EntityID()], e) {
			t.Errorf("entity %s differs after %s:\n%+v\n%+v", e.EntityID(), how, byID[e.EntityID()], e)
		}
	}
	if !reflect.DeepEqual(back.Relationships, wrote.Relationships) {
		t.Errorf("relationships differ after %s", how)
	}
	if !reflect.DeepEqual(back.Passages, wrote.Passages) || len(wrote.Passages) == 0 {
		t.Errorf("passages differ after %s: %d read back of %d", how, len(back.Passages), len(wrote.Passages))
	}
}
