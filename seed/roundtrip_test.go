package seed

import (
	"bytes"
	"reflect"
	"testing"

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
	byID := map[string]any{}
	for _, e := range ds.Entities {
		byID[e.EntityID()] = e
	}
	if len(back.Entities) != len(ds.Entities) {
		t.Fatalf("%d entities read back; wrote %d", len(back.Entities), len(ds.Entities))
	}
	for _, e := range back.Entities {
		if !reflect.DeepEqual(byID[e.EntityID()], e) {
			t.Errorf("entity %s differs after a round trip", e.EntityID())
		}
	}
	if !reflect.DeepEqual(back.Relationships, ds.Relationships) {
		t.Errorf("relationships differ after a round trip")
	}
	if !reflect.DeepEqual(back.Passages, ds.Passages) {
		t.Errorf("passages differ after a round trip")
	}
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
	byID := map[string]any{}
	for _, e := range back.Entities {
		byID[e.EntityID()] = e
	}
	if len(back.Entities) != len(ds.Entities) {
		t.Errorf("%d entities came back; wrote %d", len(back.Entities), len(ds.Entities))
	}
	for _, e := range ds.Entities {
		if !reflect.DeepEqual(byID[e.EntityID()], e) {
			t.Errorf("entity %s differs after a CSV round trip:\n%+v\n%+v", e.EntityID(), byID[e.EntityID()], e)
		}
	}
	if !reflect.DeepEqual(back.Relationships, ds.Relationships) {
		t.Errorf("relationships differ after a CSV round trip")
	}
	if !reflect.DeepEqual(back.Passages, ds.Passages) || len(ds.Passages) == 0 {
		t.Errorf("passages differ after a CSV round trip: %d read back of %d", len(back.Passages), len(ds.Passages))
	}
}
