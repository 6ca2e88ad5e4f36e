package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/synth"
)

// Invented data never mixes with facts: gen refuses a database that holds
// any, unless told to delete everything, and then says what it deletes.
func TestGenRefusesADatabaseOfFactsAndMarksWhatItMakes(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, store)
	ctx := context.Background()
	before, err := store.Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	err = run(ctx, []string{"gen", "-nodes", "1000", "-seed", "5"}, getenv(nil), &out, &errs)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("holds %d entities that are not synthetic", before.Facts())) || !strings.Contains(err.Error(), "-reset") {
		t.Fatalf("gen over the seed: %v; want a refusal that counts the facts and names -reset", err)
	}
	if after, _ := store.Contents(ctx); after != before {
		t.Errorf("the refused gen changed the database: %+v → %+v", before, after)
	}
	out.Reset()
	errs.Reset()
	if err := run(ctx, []string{"gen", "-nodes", "1000", "-seed", "5", "-reset"}, getenv(nil), &out, &errs); err != nil {
		t.Fatalf("gen -reset: %v\n%s", err, errs.String())
	}
	if !strings.Contains(errs.String(), fmt.Sprintf("entities=%d of_them_facts=%d", before.Entities, before.Facts())) {
		t.Errorf("gen -reset does not say what it deletes:\n%s", errs.String())
	}
	has, _ := store.Contents(ctx)
	if has.Entities != 1000 || has.Synthetic != 1000 || has.Changes != 0 {
		t.Errorf("after gen -reset: %+v; want 1000 entities, all synthetic", has)
	}
	// A database of synthetic data only takes more without -reset.
	if err := run(ctx, []string{"gen", "-nodes", "1000", "-seed", "6"}, getenv(nil), &out, &errs); err != nil && strings.Contains(err.Error(), "not synthetic") {
		t.Errorf("gen over synthetic data was refused: %v", err)
	}
	// Exports say so too.
	file := filepath.Join(t.TempDir(), "g.jsonl")
	runOK(t, "export", "-o", file)
	ds := readRecords(t, file)
	for _, e := range ds.Entities {
		if !e.EntityBase().Synthetic {
			t.Fatalf("exported %s without its synthetic mark", e.EntityID())
		}
	}
}

func TestGenLoadsTheGraphItPromisesAndBenchMeasuresIt(t *testing.T) {
	store := neo4jtest.MustOpen(t)
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"gen", "-nodes", "3000", "-seed", "5", "-reset", "-batch", "1000"}, getenv(nil), &out, &errs); err != nil {
		t.Fatalf("gen: %v\n%s", err, errs.String())
	}
	if !regexp.MustCompile(`loaded 3000 nodes \(\d+/s\) and 15000 relationships \(\d+/s\), and linked \d+ actors and places to their countries`).MatchString(out.String()) {
		t.Errorf("gen printed %q", out.String())
	}
	if !strings.Contains(errs.String(), "relationships: 100%") {
		t.Errorf("no progress reported:\n%s", errs.String())
	}
	nodes, rels, err := store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 15,000 relationships, and a country tie for each generated entity with a country.
	g, err := synth.New(synth.DefaultConfig(3000, 5)) // as gen -nodes 3000 -seed 5
	if err != nil {
		t.Fatal(err)
	}
	countries := 0
	g.EachNodeBatch(func(ds coop.Dataset) error {
		countries += len(neo4jtest.Ties(ds))
		return nil
	})
	if countries == 0 || nodes != 3000 || rels != int64(15000+countries) {
		t.Errorf("graph holds %d nodes and %d relationships; want 3000 and 15000 + %d country ties", nodes, rels, countries)
	}

	out.Reset()
	errs.Reset()
	args := []string{"bench", "-scales", "3000", "-seed", "5", "-no-gen", "-warmup", "1", "-iterations", "5", "-duration", "100ms", "-concurrency", "2"}
	if err := run(context.Background(), args, getenv(nil), &out, &errs); err != nil {
		t.Fatalf("bench: %v\n%s", err, errs.String())
	}
	report := out.String()
	for _, scenario := range []string{"search", "network depth 1 (ordinary node)", "network depth 2 (hub)", "paths (3 to 5 hops)", "nested list"} {
		row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(scenario) + `[^|]* \| [0-9.]+ ms \|.*\| 0 \|$`)
		if !row.MatchString(report) {
			t.Errorf("report has no error-free row for %q:\n%s", scenario, report)
		}
	}
	if !strings.Contains(report, "## Targets") {
		t.Errorf("report has no targets section:\n%s", report)
	}
}
