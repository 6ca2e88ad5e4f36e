package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

func seeded(t *testing.T) *neo4jstore.Store {
	t.Helper()
	s := neo4jtest.MustOpen(t)
	neo4jtest.MustSeed(t, s)
	return s
}

func TestSearchForgivesCaseAccentsAndAliases(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	for _, tc := range []struct{ text, wantID, wantMatched string }{
		{"rendon", "gian-carlo-loffredo-rendon", ""},
		{"RENDÓN", "gian-carlo-loffredo-rendon", ""},
		{"cjng", "cjng", "CJNG"},
		{"Jalisco", "cjng", ""},
		{"choneros", "los-choneros", ""},
		{"chon", "los-choneros", ""},
		{`"los" AND (choneros`, "ofac-designation-los-choneros-2024-02-07", ""}, // never read as syntax: three words, all in that event's name
	} {
		t.Run(tc.text, func(t *testing.T) {
			hits, err := s.Search(ctx, coop.SearchQuery{Text: tc.text, First: 5})
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.text, err)
			}
			if len(hits) == 0 || hits[0].Entity.EntityID() != tc.wantID {
				t.Errorf("Search(%q) = %v; want %s first", tc.text, ids(hits), tc.wantID)
				return
			}
			if tc.wantMatched != "" && hits[0].Matched != tc.wantMatched {
				t.Errorf("Search(%q) matched %q; want %q", tc.text, hits[0].Matched, tc.wantMatched)
			}
			if hits[0].Score <= 0 {
				t.Errorf("Search(%q) score = %v", tc.text, hits[0].Score)
			}
		})
	}
	hits, err := s.Search(ctx, coop.SearchQuery{Text: "ecuador", ActorKinds: []coop.ActorKind{coop.ActorMinistry}, First: 10})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, h := range hits {
		found[h.Entity.EntityID()] = true
		if a, ok := h.Entity.(*coop.Actor); !ok || a.Kind != coop.ActorMinistry {
			t.Errorf("kinds [MINISTRY] returned %s", h.Entity.EntityID())
		}
	}
	if !found["ecuador-ministry-of-defense"] || !found["ecuador-ministry-of-interior"] {
		t.Errorf("ministries matching \"ecuador\" = %v; want both of Ecuador's ministries", ids(hits))
	}
	if _, err := s.Search(ctx, coop.SearchQuery{Text: "*** ~~", First: 5}); coop.ErrorCode(err) != coop.CodeInvalid {
		t.Errorf("search for punctuation only: %v; want BAD_USER_INPUT", err)
	}
}

func ids(hits []coop.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Entity.EntityID()
	}
	return out
}

func TestNetworkExpandsHopsWithinLimits(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	const meeting = "us-ecuador-defense-talks-2025-04-04"
	one, err := s.Network(ctx, coop.NetworkQuery{IDs: []string{meeting}, Depth: 1, Limit: 500, PerNode: 50})
	if err != nil {
		t.Fatal(err)
	}
	two, err := s.Network(ctx, coop.NetworkQuery{IDs: []string{meeting}, Depth: 2, Limit: 500, PerNode: 50})
	if err != nil {
		t.Fatal(err)
	}
	if one.Nodes[0].EntityID() != meeting || len(two.Nodes) <= len(one.Nodes) || one.Truncated || two.Truncated {
		t.Fatalf("depth 1: %d nodes, depth 2: %d nodes (truncated %v, %v); want the meeting first and more at depth 2",
			len(one.Nodes), len(two.Nodes), one.Truncated, two.Truncated)
	}
	in := map[string]bool{}
	for _, n := range two.Nodes {
		if in[n.EntityID()] {
			t.Errorf("node %s twice", n.EntityID())
		}
		in[n.EntityID()] = true
	}
	for _, e := range two.Edges {
		if !in[e.FromID] || !in[e.ToID] {
			t.Errorf("edge %s leaves the network", e.ID)
		}
	}
	small, err := s.Network(ctx, coop.NetworkQuery{IDs: []string{meeting}, Depth: 2, Limit: 3, PerNode: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Nodes) != 3 || !small.Truncated {
		t.Errorf("limit 3: %d nodes, truncated %v; want 3 and true", len(small.Nodes), small.Truncated)
	}
	fan, err := s.Network(ctx, coop.NetworkQuery{IDs: []string{"ecuador"}, Depth: 1, Limit: 500, PerNode: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(fan.Nodes) != 3 || !fan.Truncated {
		t.Errorf("two ties per node from ecuador: %d nodes, truncated %v; want 3 and true", len(fan.Nodes), fan.Truncated)
	}
}

func TestPathsShortestFirstWithEnds(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	paths, err := s.Paths(ctx, coop.PathQuery{From: "los-choneros", To: "the-pentagon", MaxHops: 6, First: 20, MaxDegree: coop.DefaultPathDegree})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no path from los-choneros to the-pentagon")
	}
	seenPaths := map[string]bool{}
	for i, p := range paths {
		if i > 0 && len(p.Edges) < len(paths[i-1].Edges) {
			t.Errorf("path %d is shorter than path %d", i, i-1)
		}
		visited, key := map[string]bool{}, ""
		for _, n := range p.Nodes {
			if visited[n.EntityID()] {
				t.Errorf("path %d visits %s twice", i, n.EntityID())
			}
			visited[n.EntityID()] = true
		}
		for _, e := range p.Edges {
			key += e.ID + " "
		}
		if seenPaths[key] {
			t.Errorf("path %d is returned twice: %s", i, key)
		}
		seenPaths[key] = true
		if p.Nodes[0].EntityID() != "los-choneros" || p.Nodes[len(p.Nodes)-1].EntityID() != "the-pentagon" || len(p.Nodes) != len(p.Edges)+1 {
			t.Errorf("path %d: %d nodes, %d edges", i, len(p.Nodes), len(p.Edges))
		}
		for j, e := range p.Edges {
			a, b := p.Nodes[j].EntityID(), p.Nodes[j+1].EntityID()
			if !(e.FromID == a && e.ToID == b) && !(e.FromID == b && e.ToID == a) {
				t.Errorf("path %d edge %d (%s) does not join %s and %s", i, j, e.ID, a, b)
			}
			if len(e.Citations) == 0 {
				t.Errorf("edge %s has no citation", e.ID)
			}
		}
	}
	// With a low degree bound, no path passes through a busier node.
	bounded, err := s.Paths(ctx, coop.PathQuery{From: "los-choneros", To: "the-pentagon", MaxHops: 6, First: 5, MaxDegree: 8})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range bounded {
		inner := []string{}
		for _, n := range p.Nodes[1 : len(p.Nodes)-1] {
			inner = append(inner, n.EntityID())
		}
		counts, err := s.RelationshipCounts(ctx, inner)
		if err != nil {
			t.Fatal(err)
		}
		for id, cs := range counts {
			total := 0
			for _, c := range cs {
				total += c.Count
			}
			if total > 8 {
				t.Errorf("a path bounded to degree 8 passes through %s with %d ties", id, total)
			}
		}
	}
	if len(bounded) > 0 && len(paths) > 0 && len(bounded[0].Edges) < len(paths[0].Edges) {
		t.Errorf("bounded paths are shorter than unbounded ones")
	}
	none, err := s.Paths(ctx, coop.PathQuery{From: "los-choneros", To: "the-pentagon", MaxHops: 1, First: 5, MaxDegree: coop.DefaultPathDegree})
	if err != nil || len(none) != 0 {
		t.Errorf("paths within 1 hop = %d, %v; want none", len(none), err)
	}
}

func TestTimelineInDateOrderWithPrecision(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	page, err := s.Timeline(ctx, coop.TimelineQuery{IDs: []string{"ecuador"}, Page: coop.PageArgs{First: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 5 {
		t.Fatalf("Ecuador's timeline has %d items", len(page.Items))
	}
	kinds := map[coop.TimelineKind]bool{}
	for i, it := range page.Items {
		kinds[it.Kind] = true
		if i > 0 && it.Date.First().Before(page.Items[i-1].Date.First()) {
			t.Errorf("item %d (%s %s) is before item %d (%s)", i, it.Date, it.Entity.EntityID(), i-1, page.Items[i-1].Date)
		}
	}
	for _, k := range []coop.TimelineKind{coop.TimelineMeeting, coop.TimelineStatisticPeriod} {
		if !kinds[k] {
			t.Errorf("Ecuador's timeline has no %s item", k)
		}
	}
	window, err := s.Timeline(ctx, coop.TimelineQuery{IDs: []string{"ecuador"}, From: coop.MustDate("2025"), To: coop.MustDate("2025"), Page: coop.PageArgs{First: 100}})
	if err != nil {
		t.Fatal(err)
	}
	inWindow := map[string]bool{}
	for _, it := range window.Items {
		inWindow[it.Entity.EntityID()] = true
		end := it.EndDate
		if end.IsZero() {
			end = it.Date
		}
		if end.Last().Year() < 2025 || it.Date.First().Year() > 2025 {
			t.Errorf("2025 window holds %s (%s..%s)", it.Entity.EntityID(), it.Date, it.EndDate)
		}
	}
	if !inWindow["us-ecuador-defense-talks-2025-04-04"] || inWindow["ecuador-terrorist-designation-22-gangs-2024-01-09"] {
		t.Errorf("the 2025 window holds %v; want the April 2025 talks and not the January 2024 designation", inWindow)
	}
}
