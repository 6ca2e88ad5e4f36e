package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// rawArgs reads the arguments of a field not resolved yet, as gqlgen's
// generated code would (look-ahead and the fast network path read them from
// the selection). A value that does not parse sets ok to false: the caller
// then leaves the field to its resolver, which reports it.
type rawArgs struct {
	args map[string]any
	ok   bool
}

// list reads a list argument as the generated code does: a single value
// stands for a list of one.
func (a *rawArgs) list(name string) []any { return graphql.CoerceList(a.args[name]) }

func (a *rawArgs) ids(name string) []string {
	var out []string
	for _, v := range a.list(name) {
		id, err := graphql.UnmarshalID(v)
		a.ok = a.ok && err == nil
		out = append(out, id)
	}
	return out
}

func (a *rawArgs) types(name string) []coop.RelationType {
	var out []coop.RelationType
	for _, v := range a.list(name) {
		t, err := model.UnmarshalRelationType(v)
		a.ok = a.ok && err == nil
		out = append(out, t)
	}
	return out
}

func (a *rawArgs) direction(name string) *coop.Direction {
	v := a.args[name]
	if v == nil {
		return nil
	}
	d, err := model.UnmarshalDirection(v)
	a.ok = a.ok && err == nil
	return &d
}

func (a *rawArgs) date(name string) *coop.Date {
	v := a.args[name]
	if v == nil {
		return nil
	}
	d, err := model.UnmarshalDate(v)
	a.ok = a.ok && err == nil
	return &d
}

func (a *rawArgs) int(name string) *int {
	v := a.args[name]
	if v == nil {
		return nil
	}
	n, err := graphql.UnmarshalInt(v)
	a.ok = a.ok && err == nil
	return &n
}

func (a *rawArgs) string(name string) *string {
	v := a.args[name]
	if v == nil {
		return nil
	}
	s, err := graphql.UnmarshalString(v)
	a.ok = a.ok && err == nil
	return &s
}
