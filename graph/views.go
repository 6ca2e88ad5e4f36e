package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// connection turns a page of entities into a typed GraphQL connection.
// Entities of another type than T (possible only if labels are corrupt) are
// left out rather than failing the page.
func connection[T coop.Entity](page coop.EntityPage) *model.Connection[T] {
	c := &model.Connection[T]{TotalCount: page.TotalCount, Edges: []*model.Edge[T]{}, Nodes: []T{}}
	last := ""
	for _, e := range page.Entities {
		t, ok := e.(T)
		if !ok {
			continue
		}
		last = e.EntityID()
		c.Edges = append(c.Edges, &model.Edge[T]{Cursor: encodeCursor(last), Node: t})
		c.Nodes = append(c.Nodes, t)
	}
	c.PageInfo = pageInfo(page.HasNextPage, last)
	return c
}

// listEntities answers a root list of entities of type T, reading ahead
// what the selection asks of each.
func listEntities[T coop.Entity](ctx context.Context, store coop.Store, kinds []string, country, name *string, first *int, after *string) (*model.Connection[T], error) {
	var zero T
	t := zero.EntityType() // of a nil *coop.Actor, say: the method reads no field
	p, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	n := deref(name)
	if err := textArg("name", n); err != nil {
		return nil, err
	}
	op := graphql.GetOperationContext(ctx)
	ahead := lookahead(op, entitySelections(op, fieldSelections(ctx)), string(t))
	page, err := store.ListEntities(ctx, coop.EntityFilter{Type: t, Kinds: kinds, CountryID: deref(country), Name: n, Page: p,
		Count: wants(ctx, "totalCount"), Ahead: ahead})
	if err != nil {
		return nil, err
	}
	if len(page.Related) == len(page.Entities) {
		for i, e := range page.Entities {
			prime(ctx, e, ahead, page.Related[i])
		}
	}
	return connection[T](page), nil
}

func kindStrings[K ~string](ks []K) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// typed loads an entity and returns it only if it is of type T.
func typed[T coop.Entity](ctx context.Context, id string) (T, error) {
	var zero T
	e, err := entity(ctx, id)
	if err != nil || e == nil {
		return zero, err
	}
	t, ok := e.(T)
	if !ok {
		return zero, nil
	}
	return t, nil
}

// wants reports whether the client selected the named field of the current
// field's result, so that costly parts (counts) are computed only when asked.
func wants(ctx context.Context, name string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return true
	}
	return selects(graphql.GetOperationContext(ctx), fc.Field.Selections, name)
}

// selects reports whether a selection set asks for the named field.
func selects(op *graphql.OperationContext, sel ast.SelectionSet, name string) bool {
	for _, f := range graphql.CollectFields(op, sel, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// relationFilter checks the arguments of a relationships field. Resolvers
// and the look-ahead (lookahead.go) both build filters here, so that a page
// read ahead has the key its resolver will ask for.
func relationFilter(types []coop.RelationType, direction *coop.Direction, activeAt *coop.Date, first *int, after *string, count bool) (coop.RelationFilter, error) {
	p, err := pageArgs(first, after)
	if err != nil {
		return coop.RelationFilter{}, err
	}
	f := coop.RelationFilter{Types: types, Direction: coop.DirectionBoth, Page: p, Count: count}
	if direction != nil {
		f.Direction = *direction
	}
	if activeAt != nil {
		f.ActiveAt = *activeAt
	}
	return f, nil
}

// relationshipConnection resolves the relationships field of any entity.
func relationshipConnection(ctx context.Context, id string, types []coop.RelationType, direction *coop.Direction, activeAt *coop.Date, first *int, after *string) (*model.RelationshipConnection, error) {
	f, err := relationFilter(types, direction, activeAt, first, after, wants(ctx, "totalCount"))
	if err != nil {
		return nil, err
	}
	page, err := relationships(ctx, id, f)
	if err != nil {
		return nil, err
	}
	c := &model.RelationshipConnection{TotalCount: page.TotalCount, Edges: []*model.RelationshipEdge{}, Nodes: []*coop.Relationship{}}
	last := ""
	for _, rel := range page.Relationships {
		last = rel.ID
		edge := &model.RelationshipEdge{Cursor: encodeCursor(rel.ID), Node: rel, Direction: coop.DirectionOut, Other: rel.To}
		if rel.FromID != id {
			edge.Direction, edge.Other = coop.DirectionIn, rel.From
		}
		c.Edges = append(c.Edges, edge)
		c.Nodes = append(c.Nodes, rel)
	}
	c.PageInfo = pageInfo(page.HasNextPage, last)
	return c, nil
}

// related lists the relationships of one type and direction of an entity,
// up to first of them.
func related(ctx context.Context, id string, t coop.RelationType, dir coop.Direction, activeAt *coop.Date, first *int) ([]*coop.Relationship, error) {
	p, err := pageArgs(first, nil)
	if err != nil {
		return nil, err
	}
	f := coop.RelationFilter{Types: []coop.RelationType{t}, Direction: dir, Page: p}
	if activeAt != nil {
		f.ActiveAt = *activeAt
	}
	page, err := relationships(ctx, id, f)
	if err != nil {
		return nil, err
	}
	return page.Relationships, nil
}

// involvements views incoming relationships of one type as the actors'
// parts, with their roles.
func involvements(ctx context.Context, id string, t coop.RelationType, first *int) ([]*model.Involvement, error) {
	rels, err := related(ctx, id, t, coop.DirectionIn, nil, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Involvement, 0, len(rels))
	for _, rel := range rels {
		actor, ok := rel.From.(*coop.Actor)
		if !ok {
			continue
		}
		out = append(out, &model.Involvement{Actor: actor, Role: nonEmpty(rel.Role), Status: rel.Status,
			Citations: rel.Citations, Relationship: rel})
	}
	return out, nil
}

// outgoingEnds lists the entities an entity points to by one relationship type.
func outgoingEnds(ctx context.Context, id string, t coop.RelationType) ([]coop.Entity, error) {
	rels, err := related(ctx, id, t, coop.DirectionOut, nil, nil)
	if err != nil {
		return nil, err
	}
	out := make([]coop.Entity, 0, len(rels))
	for _, rel := range rels {
		out = append(out, rel.To)
	}
	return out, nil
}

func offices(ctx context.Context, id string, activeAt *coop.Date, first *int) ([]*model.Office, error) {
	rels, err := related(ctx, id, coop.RelHoldsOffice, coop.DirectionOut, activeAt, first)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Office, 0, len(rels))
	for _, rel := range rels {
		org, ok := rel.To.(*coop.Actor)
		if !ok {
			continue
		}
		out = append(out, &model.Office{Title: nonEmpty(rel.Role), Organization: org, Since: rel.Since, Until: rel.Until,
			AsOf: rel.AsOf, Status: rel.Status, Citations: rel.Citations, Relationship: rel})
	}
	return out, nil
}

// relationshipEnd returns a relationship's end entity, fetched with it when
// the store did so, loaded otherwise.
func relationshipEnd(ctx context.Context, fetched coop.Entity, id string) (coop.Entity, error) {
	if fetched != nil {
		return fetched, nil
	}
	return entity(ctx, id)
}
