// Package querycost rejects GraphQL operations that would cost too much,
// before any resolver (and so any Cypher) runs: too deep, too many aliases,
// or too many items in total once list sizes are multiplied out.
//
// Cost: each field costs 1 plus its children's cost times its list factor.
// A field with a page-size argument (first, limit) has that argument, with
// its schema default and clamped to MaxListSize, as its factor; the edges
// and nodes of a connection have factor 1 (their parent counted the page);
// any other list has factor UnsizedList. Arithmetic saturates, so huge
// arguments cannot wrap around to a small cost. Introspection counts as
// everything else does (its depth against a limit of its own). Each
// fragment is measured once, so the work is linear in the document,
// however its fragments spread one another.
package querycost

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// Code is the extensions.code of every rejection.
const Code = wirecode.QueryTooComplex

func init() {
	// A rejected operation is a request error: no data, HTTP 400 under
	// application/graphql-response+json.
	errcode.RegisterErrorType(Code, errcode.KindProtocol)
}

// Limits are the bounds an operation must keep.
type Limits struct {
	MaxDepth int // nesting of selection sets outside introspection
	// MaxIntrospectionDepth bounds nesting under __schema and __type:
	// GraphiQL's own introspection query nests 14 deep (ofType in ofType),
	// and __Type's fields lead back to __Type without end.
	MaxIntrospectionDepth int
	MaxAliases            int // aliased fields in the whole operation, introspection included
	MaxCost               int
	MaxListSize           int // clamp for page-size arguments: the largest any field takes
	UnsizedList           int // factor of lists without a page-size argument
	MaxAnalytic           int // calls of the analytic fields (Analytic) per operation
	MaxListArgument       int // values in any one list argument
	// MaxSelections bounds the selections written in a document, counted
	// before it is validated: validation compares fields pairwise, and a
	// document of 5,000 tokens of one field took over a second of it.
	MaxSelections int
	// TokenLimit is the parser's token limit, for the count's own parse.
	TokenLimit int
}

// DefaultLimits suit the coopgraph schema: 100 actors with 100 relationships
// each, with their ends and citations, fit; three nested pages of 100 do not;
// one network of 2,000 nodes fits, thirty do not.
var DefaultLimits = Limits{MaxDepth: 10, MaxIntrospectionDepth: 15, MaxAliases: 30, MaxCost: 50000, MaxListSize: 2000,
	UnsizedList: 3, MaxAnalytic: 5, MaxListArgument: 100, MaxSelections: 1000, TokenLimit: 5000}

// heavyFields are leaves that can each hold a long text: they cost their
// weight, not 1 (a passage's text runs to 20,000 characters).
var heavyFields = map[string]int{"Passage.text": 10}

// Analytic are the fields that run a search or a traversal each: however
// cheap their answer, each call costs the database real work.
var Analytic = map[string]bool{"network": true, "paths": true, "timeline": true, "search": true,
	"searchPassages": true, "passages": true}

// sizeArgs are the arguments that bound a list's length.
var sizeArgs = []string{"first", "limit"}

// Measure is the cost, depth and alias count of an operation, and what
// else the limits bound.
type Measure struct {
	Cost, Depth, IntrospectionDepth, Aliases, Analytic int
	// LongList names the first list argument (field.argument) with more
	// than MaxListArgument values, and Values says how many it has.
	LongList string
	Values   int
	// Steps counts the selections the measure visited: each fragment is
	// measured once, however often it is spread, so Steps grows with the
	// document, never with what the fragments multiply out to.
	Steps int
}

// part is what one selection set adds up to: its cost, the nesting below
// it (1 for a set of leaves), and its aliases and analytic calls.
type part struct {
	cost, depth, idepth, aliases, analytic int
}

type walker struct {
	l     Limits
	vars  map[string]any
	m     *Measure
	memo  map[string]part // by fragment name and whether under introspection
	inUse map[string]bool
}

// Measure computes the measure of op with the given variables.
func (l Limits) Measure(op *ast.OperationDefinition, vars map[string]any) Measure {
	var m Measure
	w := walker{l: l, vars: vars, m: &m, memo: map[string]part{}, inUse: map[string]bool{}}
	p := w.set(op.SelectionSet, false)
	m.Cost, m.Depth, m.IntrospectionDepth, m.Aliases, m.Analytic = p.cost, p.depth, p.idepth, p.aliases, p.analytic
	return m
}

// set measures a selection set; under says whether it lies under
// __schema or __type, whose depth counts apart.
func (w *walker) set(set ast.SelectionSet, under bool) part {
	var out part
	add := func(p part) {
		out.cost = satAdd(out.cost, p.cost)
		out.depth = max(out.depth, p.depth)
		out.idepth = max(out.idepth, p.idepth)
		out.aliases = satAdd(out.aliases, p.aliases)
		out.analytic = satAdd(out.analytic, p.analytic)
	}
	for _, sel := range set {
		w.m.Steps++
		switch s := sel.(type) {
		case *ast.Field:
			add(w.field(s, under))
		case *ast.InlineFragment:
			add(w.set(s.SelectionSet, under))
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			key := s.Name
			if under {
				key += "\x00introspection"
			}
			p, done := w.memo[key]
			if !done {
				if w.inUse[key] { // validation rejects cycles; be safe anyway
					continue
				}
				w.inUse[key] = true
				p = w.set(s.Definition.SelectionSet, under)
				delete(w.inUse, key)
				w.memo[key] = p
			}
			add(p)
		}
	}
	return out
}

func (w *walker) field(f *ast.Field, under bool) part {
	w.checkLists(f)
	intro := under || f.Name == "__schema" || f.Name == "__type"
	child := w.set(f.SelectionSet, intro)
	own := 1
	if f.ObjectDefinition != nil {
		if weight, heavy := heavyFields[f.ObjectDefinition.Name+"."+f.Name]; heavy {
			own = weight
		}
	}
	p := part{cost: satAdd(own, satMul(w.l.factor(f, w.vars), child.cost)), aliases: child.aliases, analytic: child.analytic,
		depth: child.depth, idepth: child.idepth}
	if f.Alias != "" && f.Alias != f.Name {
		p.aliases = satAdd(p.aliases, 1)
	}
	if !intro && Analytic[f.Name] {
		p.analytic = satAdd(p.analytic, 1)
	}
	if intro {
		p.idepth = max(child.idepth, child.depth) + 1
		p.depth = 0
	} else {
		p.depth = child.depth + 1
	}
	return p
}

// checkLists records the first list argument longer than MaxListArgument.
func (w *walker) checkLists(f *ast.Field) {
	if w.m.LongList != "" || f.Definition == nil || len(f.Arguments) == 0 {
		return
	}
	for name, v := range f.ArgumentMap(w.vars) {
		if list, ok := v.([]any); ok && len(list) > w.l.MaxListArgument {
			w.m.LongList, w.m.Values = f.Name+"."+name, len(list)
			return
		}
	}
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
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = Extension{}

// MutateOperationParameters runs before the document is validated (and
// before it is parsed for execution): it parses it on its own, cheaply,
// and refuses one with more than MaxSelections selections.
func (e Extension) MutateOperationParameters(ctx context.Context, rp *graphql.RawParams) *gqlerror.Error {
	if e.Limits.MaxSelections <= 0 || rp.Query == "" {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: rp.Query}, e.Limits.TokenLimit)
	if err != nil {
		return nil // gqlgen reports it, as it does
	}
	n := 0
	var count func(ast.SelectionSet)
	count = func(set ast.SelectionSet) {
		for _, sel := range set {
			n++
			switch s := sel.(type) {
			case *ast.Field:
				count(s.SelectionSet)
			case *ast.InlineFragment:
				count(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		count(f.SelectionSet)
	}
	if n > e.Limits.MaxSelections {
		return reject("the query has %d selections; at most %d are allowed", n, e.Limits.MaxSelections)
	}
	return nil
}

func (Extension) ExtensionName() string                   { return "QueryCost" }
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext runs after validation and before any resolver.
func (e Extension) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	m := e.Limits.Measure(rc.Operation, rc.Variables)
	switch {
	case m.LongList != "":
		arg := m.LongList[strings.IndexByte(m.LongList, '.')+1:]
		err := reject("%s has %d values; at most %d are allowed in a list argument", m.LongList, m.Values, e.Limits.MaxListArgument)
		err.Extensions["argument"] = arg
		return err
	case m.Depth > e.Limits.MaxDepth:
		return reject("the query is nested %d levels deep; at most %d are allowed", m.Depth, e.Limits.MaxDepth)
	case m.IntrospectionDepth > e.Limits.MaxIntrospectionDepth:
		return reject("the introspection query is nested %d levels deep; at most %d are allowed", m.IntrospectionDepth, e.Limits.MaxIntrospectionDepth)
	case m.Aliases > e.Limits.MaxAliases:
		return reject("the query has %d aliases; at most %d are allowed", m.Aliases, e.Limits.MaxAliases)
	case m.Analytic > e.Limits.MaxAnalytic:
		return reject("the query calls search, network, paths, timeline or passages %d times; at most %d are allowed", m.Analytic, e.Limits.MaxAnalytic)
	case m.Cost > e.Limits.MaxCost:
		return reject("the query could return about %d items (page sizes multiplied out); at most %d are allowed: ask for smaller pages or fewer nested lists", m.Cost, e.Limits.MaxCost)
	}
	return nil
}

func reject(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": Code}}
}
