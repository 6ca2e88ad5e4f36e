package neo4jstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// A page of one type's ties is read two ways: by walking the entity's ties
// and sorting them, or, for a hub, by scanning the type's id index in order
// (cypherHubTieRows). Whichever Neo4j takes, paging through every tie of a
// type must give each of them once, in id order, with the direction and
// date filters applied: checked here against the graph read back whole, on
// hubs (the index) and ordinary nodes (the walk).
func TestPagesOfOneTypeAreTheSameOnHubsAndOrdinaryNodes(t *testing.T) {
	s, gen := loadSynthetic(t, 3000, 5)
	ctx := context.Background()
	g := readAdjacency(t, s)
	typed := map[coop.RelationType]int{}
	for _, r := range g.rels {
		typed[r.Type]++
	}
	r := rand.New(rand.NewSource(8))
	nodes := gen.Hubs()
	for range 10 {
		nodes = append(nodes, gen.Ordinary(r))
	}
	const first = 7
	byIndex, byWalk := 0, 0
	for _, id := range nodes {
		n, ok := g.node[id]
		if !ok {
			t.Fatalf("%s is not in the graph read back", id)
		}
		degree := map[coop.RelationType]int{}
		for _, i := range g.ties[n] {
			degree[g.rels[i].Type]++
		}
		for typ, d := range degree {
			if d*d > (first+1)*typed[typ] {
				byIndex++
			} else {
				byWalk++
			}
			for _, f := range []coop.RelationFilter{
				{Types: []coop.RelationType{typ}, Direction: coop.DirectionBoth},
				{Types: []coop.RelationType{typ}, Direction: coop.DirectionIn},
				{Types: []coop.RelationType{typ}, Direction: coop.DirectionOut, Count: true},
				{Types: []coop.RelationType{typ}, Direction: coop.DirectionBoth, ActiveAt: coop.MustDate(fmt.Sprint(2005 + r.Intn(15)))},
			} {
				var want []string
				for _, i := range g.ties[n] {
					if rel := g.rels[i]; rel.Type == typ && passes(rel, id, f) {
						want = append(want, rel.ID)
					}
				}
				slices.Sort(want)
				var got []string
				f.Page = coop.PageArgs{First: first}
				for range 1000 {
					pages, err := s.Relationships(ctx, []string{id}, f)
					if err != nil {
						t.Fatal(err)
					}
					p := pages[id]
					for _, rel := range p.Relationships {
						got = append(got, rel.ID)
					}
					if f.Count && p.TotalCount != len(want) {
						t.Errorf("%s %s %s: total %d; want %d", id, typ, f.Direction, p.TotalCount, len(want))
					}
					if !p.HasNextPage {
						break
					}
					f.Page.After = got[len(got)-1]
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, %s ties %s active at %s: paged\n%v\nwant\n%v", id, typ, f.Direction, f.ActiveAt, got, want)
				}
			}
		}
	}
	if byIndex == 0 || byWalk == 0 {
		t.Errorf("%d pages read by index and %d by walking: the test must cover both", byIndex, byWalk)
	}
}

// passes applies a filter's direction and date to a relationship of the
// entity id, as the API documents them.
func passes(r *coop.Relationship, id string, f coop.RelationFilter) bool {
	rule, _ := coop.RuleFor(r.Type)
	switch {
	case f.Direction == coop.DirectionBoth || rule.Symmetric:
	case f.Direction == coop.DirectionOut && r.FromID != id, f.Direction == coop.DirectionIn && r.ToID != id:
		return false
	}
	if at := f.ActiveAt; !at.IsZero() {
		if !r.Since.IsZero() && r.Since.First().After(at.Last()) {
			return false
		}
		if !r.Until.IsZero() && r.Until.Last().Before(at.First()) {
			return false
		}
	}
	return true
}
