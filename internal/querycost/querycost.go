// Package querycost rejects GraphQL operations that would cost too much,
// before any resolver (and so any Cypher) runs: too deep, too many aliases,
// or too many items in total once list sizes are multiplied out.
//
// Cost: each field costs 1 plus its children's cost times its list factor.
// A field with a page-size argument (first, limit) has that argument, with
// its schema default and clamped to MaxListSize, as its factor; the edges
// and nodes of a connection have factor 1 (their parent counted the page);
// any other list has factor UnsizedList. Arithmetic saturates, so huge
// arguments cannot wrap around to a small cost.
package querycost

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Code is the extensions.code of every rejection.
const Code = "QUERY_TOO_COMPLEX"

func init() {
	// A rejected operation is a request error: no data, HTTP 400 under
	// application/graphql-response+json.
	errcode.RegisterErrorType(Code, errcode.KindProtocol)
}

// Limits are the bounds an operation must keep.
type Limits struct {
	MaxDepth    int // nesting of selection sets, introspection excluded
	MaxAliases  int // aliased fields in the whole operation
	MaxCost     int
	MaxListSize int // clamp for page-size arguments
	UnsizedList int // factor of lists without a page-size argument
}

// DefaultLimits suit the coopgraph schema: 100 actors with 100 relationships
// each, with their ends and citations, fit; three nested pages of 100 do not.
var DefaultLimits = Limits{MaxDepth: 10, MaxAliases: 30, MaxCost: 50000, MaxListSize: 100, UnsizedList: 3}

// sizeArgs are the arguments that bound a list's length.
var sizeArgs = []string{"first", "limit"}

// Measure is the cost, depth and alias count of an operation.
type Measure struct {
	Cost, Depth, Aliases int
}

// Measure computes the measure of op with the given variables.
func (l Limits) Measure(op *ast.OperationDefinition, vars map[string]any) Measure {
	var m Measure
	m.Cost = l.selectionCost(op.SelectionSet, vars, 1, &m, map[string]bool{})
	return m
}

func (l Limits) selectionCost(set ast.SelectionSet, vars map[string]any, depth int, m *Measure, inFragment map[string]bool) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				m.Aliases++
			}
			if s.Name == "__schema" || s.Name == "__type" {
				total = satAdd(total, 1) // introspection: fixed cost, any depth
				continue
			}
			if depth > m.Depth {
				m.Depth = depth
			}
			child := l.selectionCost(s.SelectionSet, vars, depth+1, m, inFragment)
			total = satAdd(total, satAdd(1, satMul(l.factor(s, vars), child)))
		case *ast.InlineFragment:
			total = satAdd(total, l.selectionCost(s.SelectionSet, vars, depth, m, inFragment))
		case *ast.FragmentSpread:
			if s.Definition == nil || inFragment[s.Name] { // validation rejects cycles; be safe anyway
				continue
			}
			inFragment[s.Name] = true
			total = satAdd(total, l.selectionCost(s.Definition.SelectionSet, vars, depth, m, inFragment))
			delete(inFragment, s.Name)
		}
	}
	return total
}

func (l Limits) factor(f *ast.Field, vars map[string]any) int {
	if f.Definition != nil {
		args := f.ArgumentMap(vars)
		for _, name := range sizeArgs {
			if f.Definition.Arguments.ForName(name) == nil {
				continue
			}
			n, ok := toInt(args[name])
			if !ok {
				return l.MaxListSize // absent and no default: assume the worst
			}
			return max(0, min(n, l.MaxListSize))
		}
		if f.Definition.Type.Elem == nil {
			return 1
		}
	}
	if f.Name == "edges" || f.Name == "nodes" {
		return 1
	}
	return l.UnsizedList
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return clampInt64(n), true
	case float64:
		if n > math.MaxInt32 {
			return math.MaxInt32, true
		}
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		return clampInt64(i), err == nil
	}
	return 0, false
}

func clampInt64(n int64) int {
	return int(max(math.MinInt32, min(n, math.MaxInt32)))
}

const ceiling = math.MaxInt32

func satAdd(a, b int) int {
	if a >= ceiling-b {
		return ceiling
	}
	return a + b
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= ceiling/b {
		return ceiling
	}
	return a * b
}

// Extension enforces Limits in a gqlgen server.
type Extension struct{ Limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Extension{}

func (Extension) ExtensionName() string                   { return "QueryCost" }
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext runs after validation and before any resolver.
func (e Extension) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	m := e.Limits.Measure(rc.Operation, rc.Variables)
	switch {
	case m.Depth > e.Limits.MaxDepth:
		return reject("the query is nested %d levels deep; at most %d are allowed", m.Depth, e.Limits.MaxDepth)
	case m.Aliases > e.Limits.MaxAliases:
		return reject("the query has %d aliases; at most %d are allowed", m.Aliases, e.Limits.MaxAliases)
	case m.Cost > e.Limits.MaxCost:
		return reject("the query could return about %d items (page sizes multiplied out); at most %d are allowed: ask for smaller pages or fewer nested lists", m.Cost, e.Limits.MaxCost)
	}
	return nil
}

func reject(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": Code}}
}
