package querycost

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const sdl = `
type Query { items(first: Int = 20): Conn!, item: Item, tags: [String!]!, network(ids: [ID!]!, limit: Int = 200): Conn! }
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
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{"one item", `{ item { id } }`, nil, 2},
		{"a page of the default size", `{ items { nodes { id } } }`, nil, 1 + 20*(1+1)},
		{"pages in pages", `{ items(first: 3) { nodes { id children(first: 2) { edges { node { id } } } } } }`, nil, 28},
		{"a size in a variable", `query($n: Int) { items(first: $n) { nodes { id } } }`, map[string]any{"n": 7}, 1 + 7*2},
		// Arguments beyond the maximum are clamped, negative ones count as 0.
		{"beyond the maximum", `{ items(first: 2000000000) { nodes { id } } }`, nil, 1 + 2000*2},
		{"negative", `{ items(first: -5) { nodes { id } } }`, nil, 1},
		// Lists without a size argument count UnsizedList items.
		{"an unsized list", `{ tags }`, nil, 1},
		{"an unsized list in an item", `{ item { tags } }`, nil, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := measure(t, tc.query, tc.vars).Cost; got != tc.want {
				t.Errorf("cost of %s = %d; want %d", tc.query, got, tc.want)
			}
		})
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
		t.Run(fmt.Sprintf("%d nested pages", levels), func(t *testing.T) {
			// From 11 levels on, the exact cost (10^22 and more) is past int64:
			// only saturating arithmetic keeps it at the ceiling instead of
			// wrapping round to a small or negative cost that passes the limit.
			if got := measure(t, nest(levels), nil).Cost; int64(got) != want {
				t.Errorf("cost of %d nested pages of 100 = %d; want %d (exact %v)", levels, got, want, exact)
			}
		})
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

// fanOut is a document of levels fragments, each spreading the one before
// it twice: small, but 2^levels fields once multiplied out.
func fanOut(levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ ...F%d }\nfragment F0 on Query { item { id } }\n", levels-1)
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// Measuring is linear in the document: fragments that spread fragments
// are measured once each, and the cost they multiply out to is refused.
func TestFragmentsThatSpreadFragmentsAreMeasuredOnce(t *testing.T) {
	small, big := measure(t, fanOut(10), nil), measure(t, fanOut(40), nil)
	if big.Steps > 4*small.Steps+10 {
		t.Errorf("measuring 40 levels took %d steps, 10 levels %d: not linear in the document", big.Steps, small.Steps)
	}
	if big.Cost <= DefaultLimits.MaxCost || small.Cost != 2*(1<<9) {
		t.Errorf("costs: 10 levels %d (want %d), 40 levels %d (want past the limit)", small.Cost, 2*(1<<9), big.Cost)
	}
}

// Introspection counts: its aliases against the same limit, its lists by
// the same factors, its depth against a limit of its own.
func TestIntrospectionCountsAsEverythingElse(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ __schema {")
	for i := range 40 {
		fmt.Fprintf(&b, " t%d: types { name fields { name } }", i)
	}
	b.WriteString(" } }")
	m := measure(t, b.String(), nil)
	if m.Aliases != 40 || m.Cost < 40*3*3 {
		t.Errorf("40 aliases under __schema: %+v", m)
	}
	deep := "{ __type(name: \"Item\") { " + strings.Repeat("fields { type { ", 2) + "name" + strings.Repeat(" } }", 2) + " } }"
	if m := measure(t, deep, nil); m.IntrospectionDepth != 6 || m.Depth != 0 {
		t.Errorf("nested introspection: %+v", m)
	}
}

// Analytic calls and long list arguments are counted.
func TestAnalyticCallsAndListArguments(t *testing.T) {
	m := measure(t, `{ a: network(ids: ["x"]) { nodes { id } } b: network(ids: ["y"]) { nodes { id } } }`, nil)
	if m.Analytic != 2 || m.Cost != 2*(1+200*2) {
		t.Errorf("two networks: %+v", m)
	}
	ids := make([]any, 101)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	m = measure(t, `query($ids: [ID!]!) { network(ids: $ids) { nodes { id } } }`, map[string]any{"ids": ids})
	if m.LongList != "network.ids" || m.Values != 101 {
		t.Errorf("101 ids: %+v", m)
	}
}
