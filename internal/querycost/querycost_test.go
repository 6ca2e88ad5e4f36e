package querycost

import (
	"math/big"
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
	// levels nested pages of 100: items(first: 100) { nodes { children(first: 100) { nodes { ... { nodes { id } } } } } }
	nest := func(levels int) string {
		q := "{ nodes { id } }"
		for range levels - 1 {
			q = "{ nodes { children(first: 100) " + q + " } }"
		}
		return "{ items(first: 100) " + q + " }"
	}
	// The exact cost, in arbitrary precision: one page costs 1 + 100 * (its
	// nodes: 1 + what each node holds).
	exact := big.NewInt(1 + 100*2)
	for levels := 1; levels <= 14; levels++ {
		if levels > 1 {
			exact.Mul(exact.Add(exact, big.NewInt(1)), big.NewInt(100))
			exact.Add(exact, big.NewInt(1))
		}
		want := int64(ceiling)
		if exact.Cmp(big.NewInt(ceiling)) < 0 {
			want = exact.Int64()
		}
		// From 11 levels on, the exact cost (10^22 and more) is past int64:
		// only saturating arithmetic keeps it at the ceiling instead of
		// wrapping round to a small or negative cost that passes the limit.
		if got := measure(t, nest(levels), nil).Cost; int64(got) != want {
			t.Errorf("cost of %d nested pages of 100 = %d; want %d (exact %v)", levels, got, want, exact)
		}
	}
	if ceiling <= DefaultLimits.MaxCost {
		t.Errorf("the ceiling %d does not exceed MaxCost %d: a saturated query would pass", ceiling, DefaultLimits.MaxCost)
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
