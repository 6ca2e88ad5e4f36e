package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Look-ahead: a resolver that reads entities looks at what the client asked
// of them, and when that includes pages of their relationships or their
// country, reads those in the same statement as the entities and primes the
// loaders with them. The relationships resolvers then find their pages cached: a nested
// list costs one round trip and no loader window. Whatever look-ahead cannot
// read (more than coop.MaxRelationshipLookahead filters, arguments it
// cannot parse) is left to the loaders, level by level, as before.

// lookahead is what a selection on entities of GraphQL type typeName will
// ask of them, to be read with them.
func lookahead(op *graphql.OperationContext, sel ast.SelectionSet, typeName string) coop.Ahead {
	var a coop.Ahead
	seen := map[filterKey]bool{}
	readable := true // every relationships field's arguments parse
	for _, f := range graphql.CollectFields(op, sel, []string{typeName, "Entity", "Node"}) {
		switch f.Name {
		case "country":
			a.Country = true
		case "relationships":
			rf, ok := relationFilterFromArgs(f.ArgumentMap(op.Variables), selects(op, f.Selections, "totalCount"))
			readable = readable && ok
			if key := keyOf(rf); ok && !seen[key] {
				seen[key] = true
				a.Relationships = append(a.Relationships, rf)
			}
		}
	}
	// Pages are read ahead all or none: the loaders serve the rest together.
	if !readable || len(a.Relationships) > coop.MaxRelationshipLookahead {
		a.Relationships = nil
	}
	return a
}

// relationFilterFromArgs builds the filter a relationships resolver will
// build from the same arguments (see relationFilter); ok is false when an
// argument does not parse, which the resolver will then report.
func relationFilterFromArgs(args map[string]any, count bool) (coop.RelationFilter, bool) {
	a := rawArgs{args: args, ok: true}
	types, direction, activeAt := a.types("types"), a.direction("direction"), a.date("activeAt")
	first, after := a.int("first"), a.string("after")
	if !a.ok {
		return coop.RelationFilter{}, false
	}
	f, err := relationFilter(types, direction, activeAt, first, after, count)
	return f, err == nil
}

// entitySelections is what a connection's selection asks of its entities:
// under nodes, and under edges' node.
func entitySelections(op *graphql.OperationContext, connection ast.SelectionSet) ast.SelectionSet {
	var out ast.SelectionSet
	for _, f := range graphql.CollectFields(op, connection, nil) {
		switch f.Name {
		case "nodes":
			out = append(out, f.Selections...)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name == "node" {
					out = append(out, e.Selections...)
				}
			}
		}
	}
	return out
}

// fieldSelections is the selection of the field being resolved.
func fieldSelections(ctx context.Context) ast.SelectionSet {
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Field != nil {
		return fc.Field.Selections
	}
	return nil
}

// prime stores what was read ahead of an entity where its resolvers will
// look for it, and the entity itself.
func prime(ctx context.Context, e coop.Entity, ahead coop.Ahead, r coop.Related) {
	l := loadersFrom(ctx)
	l.entities.Prime(e.EntityID(), e)
	if len(r.Ties) == len(ahead.Relationships) {
		for j, f := range ahead.Relationships {
			l.relationships.Prime(relationKey{id: e.EntityID(), filter: keyOf(f)}, r.Ties[j])
		}
	}
	if id := coop.CountryOf(e); r.Country != nil && id != "" {
		l.entities.Prime(id, r.Country) // the id the country field names, which may be a merged-away one
	}
}

// rootEntity reads the entity of a root field (actor, entity, ...) with
// what its selection will ask of it (lookahead), without the loader's
// window. ok is false when the loaders should serve it instead: below the
// root, or at the root among other fields that could share a batch and
// asking for nothing ahead.
func rootEntity(ctx context.Context, id string) (coop.Entity, bool, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Query" || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil, false, nil
	}
	op := graphql.GetOperationContext(ctx)
	ahead := lookahead(op, fc.Field.Selections, fc.Field.Definition.Type.Name())
	if len(ahead.Relationships) == 0 && !ahead.Country && len(graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"})) > 1 {
		return nil, false, nil
	}
	l := loadersFrom(ctx)
	found, related, err := l.store.EntitiesWith(ctx, []string{id}, ahead)
	if err != nil {
		return nil, true, err
	}
	e, ok := found[id]
	if !ok {
		return nil, true, nil
	}
	prime(ctx, e, ahead, related[id])
	l.entities.Prime(id, e) // the id asked, which may be a merged-away one
	return e, true, nil
}
