package querycost

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const sdl = `
type Query { items(first: Int = 20): Conn!, item: Item, tags: [String!]! }
type Conn { nodes: [Item!]!, edges: [Edge!]! }
type Edge { node: Item! }
type Item { id: ID!, children(first: Int = 20): Conn!, tags: [String!]! }
`

func measure(t *testing.T, query string, vars map[string]any) Measure {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	doc, errs := gqlparser.LoadQuery(schema, query)
	if errs != nil {
		t.Fatalf("LoadQuery(%q): %v", query, errs)
	}
	return DefaultLimits.Measure(doc.Operations[0], vars)
}

func TestCostMultipliesPageSizes(t *testing.T) {
	for _, tc := range []struct {
		query string
		vars  map[string]any
		want  int
	}{
		{`{ item { id } }`, nil, 2},
		{`{ items { nodes { id } } }`, nil, 1 + 20*(1+1)},
		{`{ items(first: 3) { nodes { id children(first: 2) { edges { node { id } } } } } }`, nil, 28},
		{`query($n: Int) { items(first: $n) { nodes { id } } }`, map[string]any{"n": 7}, 1 + 7*2},
		// Arguments beyond the maximum are clamped, negative ones count as 0.
		{`{ items(first: 2000000000) { nodes { id } } }`, nil, 1 + 100*2},
		{`{ items(first: -5) { nodes { id } } }`, nil, 1},
		// Lists without a size argument count UnsizedList items.
		{`{ tags }`, nil, 1},
		{`{ item { tags } }`, nil, 2},
	} {
		if got := measure(t, tc.query, tc.vars).Cost; got != tc.want {
			t.Errorf("cost of %s = %d; want %d", tc.query, got, tc.want)
		}
	}
}

func TestCostSaturatesInsteadOfOverflowing(t *testing.T) {
	q := `{ items(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { id } } } } } } } } } } } } }`
	m := measure(t, q, nil)
	if m.Cost < DefaultLimits.MaxCost || m.Cost <= 0 {
		t.Errorf("cost of six nested pages of 100 = %d; want a saturated cost above the limit", m.Cost)
	}
}

func TestDepthAndAliases(t *testing.T) {
	m := measure(t, `{ a: item { id } b: item { id } items { nodes { children { nodes { id } } } } }`, nil)
	if m.Aliases != 2 {
		t.Errorf("aliases = %d; want 2", m.Aliases)
	}
	if m.Depth != 5 {
		t.Errorf("depth = %d; want 5", m.Depth)
	}
}
