package neo4jstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/seed"
)

func TestLoadIsIdempotentEvenConcurrently(t *testing.T) {
	s := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, s)
	ctx := context.Background()
	nodes, rels, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := seed.Dataset()
	if nodes != int64(len(ds.Entities)) || rels != int64(len(neo4jtest.Ties(ds))) {
		t.Fatalf("after one load: %d nodes, %d relationships; want %d, %d (country ties included)", nodes, rels, len(ds.Entities), len(neo4jtest.Ties(ds)))
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	changed := make([]int64, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); changed[i], errs[i] = s.LoadBatch(ctx, ds, coop.LoadReplace) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent LoadBatch: %v", err)
		}
		if changed[i] != 0 {
			t.Errorf("reloading the seed changed %d records; want 0", changed[i])
		}
	}
	n2, r2, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n2 != nodes || r2 != rels {
		t.Errorf("after three more concurrent loads: %d nodes, %d relationships; want %d, %d", n2, r2, nodes, rels)
	}

	// Three loads racing on an empty graph create each record once between them.
	neo4jtest.Reset(t)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); changed[i], errs[i] = s.LoadBatch(ctx, ds, coop.LoadReplace) }()
	}
	wg.Wait()
	total := int64(0)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent LoadBatch on an empty graph: %v", err)
		}
		total += changed[i]
	}
	if want := int64(len(ds.Entities) + len(ds.Passages) + len(ds.Relationships)); total != want {
		t.Errorf("three racing loads created or changed %d records together; want each of %d once", total, want)
	}
	if n3, r3, err := s.Counts(ctx); err != nil || n3 != nodes || r3 != rels {
		t.Errorf("after three racing loads on an empty graph: %d nodes, %d relationships (%v); want %d, %d", n3, r3, err, nodes, rels)
	}
}

func TestRelationshipsFilterAndPage(t *testing.T) {
	s := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, s)
	ctx := context.Background()
	const meeting = "us-ecuador-defense-talks-2025-04-04"
	got, err := s.Relationships(ctx, []string{meeting, "no-such-id"}, coop.RelationFilter{
		Types: []coop.RelationType{coop.RelParticipatedIn}, Direction: coop.DirectionIn, Page: coop.PageArgs{First: 2}, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	page := got[meeting]
	if page.TotalCount < 4 || len(page.Relationships) != 2 || !page.HasNextPage {
		t.Fatalf("page = %d of %d (next %v); want 2 of at least 4 with a next page", len(page.Relationships), page.TotalCount, page.HasNextPage)
	}
	if p, ok := got["no-such-id"]; !ok || p.TotalCount > 0 || len(p.Relationships) != 0 {
		t.Errorf("unknown id: got %+v, present %v; want an empty page", p, ok)
	}
	seen := map[string]bool{}
	after := ""
	for {
		res, err := s.Relationships(ctx, []string{meeting}, coop.RelationFilter{
			Types: []coop.RelationType{coop.RelParticipatedIn}, Direction: coop.DirectionIn, Page: coop.PageArgs{First: 2, After: after}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res[meeting].Relationships {
			if seen[r.ID] {
				t.Fatalf("relationship %s on two pages", r.ID)
			}
			seen[r.ID] = true
			if r.ToID != meeting || r.From == nil || r.Type != coop.RelParticipatedIn {
				t.Errorf("relationship %+v is not a PARTICIPATED_IN into the meeting with its ends", r)
			}
			after = r.ID
		}
		if !res[meeting].HasNextPage {
			break
		}
	}
	if len(seen) != page.TotalCount {
		t.Errorf("paging saw %d relationships; totalCount says %d", len(seen), page.TotalCount)
	}
	out, err := s.Relationships(ctx, []string{meeting}, coop.RelationFilter{
		Types: []coop.RelationType{coop.RelParticipatedIn}, Direction: coop.DirectionOut, Page: coop.PageArgs{First: 10}, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := out[meeting].TotalCount; n != 0 {
		t.Errorf("outgoing PARTICIPATED_IN of a meeting = %d; want 0", n)
	}
}

func TestListEntitiesMatchesNamesIgnoringAccentsAndCase(t *testing.T) {
	s := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, s)
	page, err := s.ListEntities(context.Background(), coop.EntityFilter{Type: coop.TypeActor, Name: "RENDON", Page: coop.PageArgs{First: 10}, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalCount != 1 || page.Entities[0].EntityID() != "gian-carlo-loffredo-rendon" {
		t.Fatalf("actors named RENDON = %d %v; want gian-carlo-loffredo-rendon", page.TotalCount, page.Entities)
	}
}

func TestCountsOnlyWhenAskedAndByDegreeOrWalk(t *testing.T) {
	s := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, s)
	ctx := context.Background()
	page, err := s.ListEntities(ctx, coop.EntityFilter{Type: coop.TypeActor, Kinds: []string{"CARTEL"}, Page: coop.PageArgs{First: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalCount != -1 || len(page.Entities) != 1 || !page.HasNextPage {
		t.Errorf("uncounted page: total %d, %d entities, next %v; want -1, 1, true", page.TotalCount, len(page.Entities), page.HasNextPage)
	}
	// The degree count (no filters) and the walking count (a direction)
	// agree with paging through, and with the seed's records: every tie of
	// Ecuador; those from it, and the symmetric ones to it.
	ds, _ := seed.Dataset()
	want := map[coop.Direction]int{}
	for _, r := range neo4jtest.Ties(ds) {
		rule, _ := coop.RuleFor(r.Type)
		if r.FromID == "ecuador" || r.ToID == "ecuador" {
			want[coop.DirectionBoth]++
		}
		if r.FromID == "ecuador" || r.ToID == "ecuador" && rule.Symmetric {
			want[coop.DirectionOut]++
		}
	}
	for _, dir := range []coop.Direction{coop.DirectionBoth, coop.DirectionOut} {
		t.Run(string(dir), func(t *testing.T) {
			res, err := s.Relationships(ctx, []string{"ecuador"}, coop.RelationFilter{Direction: dir, Page: coop.PageArgs{First: 100}, Count: true})
			if err != nil {
				t.Fatal(err)
			}
			p := res["ecuador"]
			if p.HasNextPage || p.TotalCount != len(p.Relationships) || p.TotalCount != want[dir] {
				t.Errorf("%s: totalCount %d, %d on the page; want the seed's %d", dir, p.TotalCount, len(p.Relationships), want[dir])
			}
		})
	}
}
