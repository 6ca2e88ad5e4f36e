package neo4jstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// adjacency is the graph as the test reads it back, to find paths on its
// own, without Cypher. Nodes are numbered for speed.
type adjacency struct {
	rels   []*coop.Relationship
	ends   [][2]int       // each relationship's ends, as node numbers
	byID   map[string]int // relationship id -> index into rels
	node   map[string]int // node id -> number
	ties   [][]int        // node number -> indexes into rels
	degree []int
}

func readAdjacency(t *testing.T, s *neo4jstore.Store) adjacency {
	t.Helper()
	g := adjacency{byID: map[string]int{}, node: map[string]int{}}
	number := func(id string) int {
		n, ok := g.node[id]
		if !ok {
			n = len(g.ties)
			g.node[id] = n
			g.ties = append(g.ties, nil)
			g.degree = append(g.degree, 0)
		}
		return n
	}
	err := s.EachRelationship(context.Background(), 5000, func(rs []*coop.Relationship) error {
		for _, r := range rs {
			a, b := number(r.FromID), number(r.ToID)
			g.ties[a] = append(g.ties[a], len(g.rels))
			g.ties[b] = append(g.ties[b], len(g.rels))
			g.degree[a]++
			g.degree[b]++
			g.byID[r.ID] = len(g.rels)
			g.ends = append(g.ends, [2]int{a, b})
			g.rels = append(g.rels, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// search is one query seen on the adjacency: which ties it may follow and
// which nodes it may pass through.
type search struct {
	g        adjacency
	q        coop.PathQuery
	from, to int
	follows  []bool // by relationship index
}

func (g adjacency) search(q coop.PathQuery) search {
	sr := search{g: g, q: q, from: g.node[q.From], to: g.node[q.To], follows: make([]bool, len(g.rels))}
	for i, r := range g.rels {
		sr.follows[i] = (len(q.Types) == 0 || slices.Contains(q.Types, r.Type)) && (q.ActiveAt.IsZero() ||
			(r.Since.IsZero() || !r.Since.First().After(q.ActiveAt.Last())) &&
				(r.Until.IsZero() || !r.Until.Last().Before(q.ActiveAt.First())))
	}
	return sr
}

func (sr search) other(i, n int) int {
	if sr.g.ends[i][0] == n {
		return sr.g.ends[i][1]
	}
	return sr.g.ends[i][0]
}

// passable says whether a path may pass through node n on its way to q.To.
func (sr search) passable(n int) bool {
	return n == sr.to || sr.g.degree[n] <= sr.q.MaxDegree
}

// distancesTo is, for every node, the fewest hops to q.To (breadth first,
// backwards from it) through nodes a path may pass through; -1 when it is
// not within q.MaxHops.
func (sr search) distancesTo() []int {
	dist := make([]int, len(sr.g.ties))
	for i := range dist {
		dist[i] = -1
	}
	dist[sr.to] = 0
	frontier := []int{sr.to}
	for d := 1; d <= sr.q.MaxHops && len(frontier) > 0; d++ {
		var next []int
		for _, v := range frontier {
			if !sr.passable(v) {
				continue // reached, but nothing goes on through it
			}
			for _, i := range sr.g.ties[v] {
				if u := sr.other(i, v); sr.follows[i] && dist[u] < 0 {
					dist[u] = d
					next = append(next, u)
				}
			}
		}
		frontier = next
	}
	return dist
}

// countSimplePaths counts the simple paths of exactly length hops from
// q.From to q.To, up to limit; ok is false when the search took more than
// budget steps.
func (sr search) countSimplePaths(dist []int, length, limit, budget int) (n int, ok bool) {
	onPath := map[int]bool{sr.from: true}
	var walk func(v, left int) bool
	walk = func(v, left int) bool {
		if budget--; budget < 0 {
			return false
		}
		for _, i := range sr.g.ties[v] {
			if !sr.follows[i] {
				continue
			}
			u := sr.other(i, v)
			if onPath[u] {
				continue
			}
			if u == sr.to {
				if left == 1 {
					if n++; n >= limit {
						return true
					}
				}
				continue
			}
			if dist[u] < 0 || dist[u] > left-1 || !sr.passable(u) {
				continue
			}
			onPath[u] = true
			if !walk(u, left-1) {
				return false
			}
			onPath[u] = false
			if n >= limit {
				return true
			}
		}
		return true
	}
	ok = walk(sr.from, length)
	return n, ok
}

// checkPaths checks what Paths answered for q against the adjacency: every
// path joins its ends by ties the query allows, passes no node twice and no
// hub, no two paths are the same, they come shortest first, the first is
// as short as any path can be, and their lengths are those of the first
// q.First simple paths (when counting them is cheap enough). It reports
// whether path lengths were counted (there was a path, and counting the
// simple paths was cheap enough).
func checkPaths(t *testing.T, g adjacency, q coop.PathQuery, got []coop.Path) bool {
	t.Helper()
	what := fmt.Sprintf("paths %s → %s (maxHops %d, types %v, activeAt %v, maxDegree %d)", q.From, q.To, q.MaxHops, q.Types, q.ActiveAt, q.MaxDegree)
	sr := g.search(q)
	seen := map[string]bool{}
	for i, p := range got {
		ids := make([]string, len(p.Nodes))
		for j, n := range p.Nodes {
			ids[j] = n.EntityID()
		}
		if len(p.Nodes) != len(p.Edges)+1 || ids[0] != q.From || ids[len(ids)-1] != q.To {
			t.Errorf("%s: path %d is %v", what, i, ids)
			continue
		}
		if i > 0 && len(p.Edges) < len(got[i-1].Edges) {
			t.Errorf("%s: path %d (%d hops) is shorter than path %d", what, i, len(p.Edges), i-1)
		}
		visited := map[string]bool{}
		for _, id := range ids {
			if visited[id] {
				t.Errorf("%s: path %d visits %s twice: %v", what, i, id, ids)
			}
			visited[id] = true
		}
		var key strings.Builder
		for j, e := range p.Edges {
			key.WriteString(e.ID + " ")
			k, ok := g.byID[e.ID]
			if !ok || !sr.follows[k] {
				t.Errorf("%s: path %d uses tie %s, which the query does not allow", what, i, e.ID)
				continue
			}
			a, b := g.node[ids[j]], g.node[ids[j+1]]
			if g.ends[k] != [2]int{a, b} && g.ends[k] != [2]int{b, a} {
				t.Errorf("%s: path %d hop %d: tie %s does not join %s and %s", what, i, j, e.ID, ids[j], ids[j+1])
			}
			if j > 0 && !sr.passable(a) {
				t.Errorf("%s: path %d passes through %s, which has %d ties", what, i, ids[j], g.degree[a])
			}
		}
		if seen[key.String()] {
			t.Errorf("%s: path %d is returned twice: %s", what, i, key.String())
		}
		seen[key.String()] = true
	}

	dist := sr.distancesTo()
	d := dist[sr.from]
	if d < 0 {
		if len(got) != 0 {
			t.Errorf("%s: %d paths where none is within %d hops", what, len(got), q.MaxHops)
		}
		return false // nothing to count
	}
	if len(got) == 0 {
		t.Errorf("%s: no path; the shortest has %d hops", what, d)
		return true
	}
	if len(got[0].Edges) != d {
		t.Errorf("%s: the first path has %d hops; the shortest has %d", what, len(got[0].Edges), d)
	}
	// The lengths of the first q.First simple paths, shortest first.
	var want []int
	for length := d; length <= q.MaxHops && len(want) < q.First; length++ {
		n, ok := sr.countSimplePaths(dist, length, q.First-len(want), 200000)
		if !ok {
			return false
		}
		for range n {
			want = append(want, length)
		}
	}
	var lengths []int
	for _, p := range got {
		lengths = append(lengths, len(p.Edges))
	}
	if !slices.Equal(lengths, want) {
		t.Errorf("%s: path lengths %v; the first %d simple paths have lengths %v", what, lengths, q.First, want)
	}
	return true
}

// Paths over a synthetic graph of 10,000 entities, checked against a
// search the test does itself: 200 random pairs, each asked three ways.
func TestPathsAreTheShortestSimplePathsOnASyntheticGraph(t *testing.T) {
	s, _ := loadSynthetic(t, 10000, 11)
	ctx := context.Background()
	g := readAdjacency(t, s)
	var ids []string
	for id := range g.node {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	r := rand.New(rand.NewSource(3))
	counted, asked := 0, 0
	for pair := range 200 {
		from, to := ids[r.Intn(len(ids))], ids[r.Intn(len(ids))]
		if from == to {
			continue
		}
		types := make([]coop.RelationType, 0, 8)
		for _, rule := range coop.Relations {
			if r.Intn(2) == 0 {
				types = append(types, rule.Type)
			}
		}
		for _, q := range []coop.PathQuery{
			{From: from, To: to, MaxHops: 4, First: 5, MaxDegree: coop.DefaultPathDegree},
			{From: from, To: to, MaxHops: 5, First: 8, MaxDegree: 60, Types: types},
			{From: from, To: to, MaxHops: 4, First: 5, MaxDegree: coop.DefaultPathDegree, ActiveAt: coop.MustDate(fmt.Sprint(2000 + pair%25))},
		} {
			got, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("Paths(%+v): %v", q, err)
			}
			asked++
			if checkPaths(t, g, q, got) {
				counted++
			}
		}
	}
	// Counting every simple path is sometimes too costly for the test, and
	// pairs without a path have none to count; the other checks hold for
	// every query.
	t.Logf("%d queries; path lengths counted for %d", asked, counted)
	if counted < asked/2 {
		t.Errorf("path lengths were counted for only %d of %d queries", counted, asked)
	}
}

// The same checks over the seed, for every pair of a few entities, and
// the analyst's question from the report: Los Lobos to the United States.
func TestPathsAreTheShortestSimplePathsOnTheSeed(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	g := readAdjacency(t, s)
	ends := []string{"los-lobos", "united-states", "los-choneros", "mexico", "the-pentagon", "cjng", "daniel-noboa", "ecuador"}
	for _, from := range ends {
		for _, to := range ends {
			if from == to {
				continue
			}
			for _, q := range []coop.PathQuery{
				{From: from, To: to, MaxHops: 6, First: 20, MaxDegree: coop.DefaultPathDegree},
				{From: from, To: to, MaxHops: 6, First: 20, MaxDegree: coop.DefaultPathDegree,
					Types: []coop.RelationType{coop.RelSupports, coop.RelDesignated, coop.RelPartOf, coop.RelRivalOf, coop.RelWorkedFor}},
				{From: from, To: to, MaxHops: 5, First: 10, MaxDegree: 12, ActiveAt: coop.MustDate("2024")},
			} {
				got, err := s.Paths(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				checkPaths(t, g, q, got)
			}
		}
	}
}
