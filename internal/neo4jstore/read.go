package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// cypherEntitiesByID follows merge redirects: the id of a merged-away
// entity finds the entity it was merged into.
const cypherEntitiesByID = `UNWIND $ids AS id
OPTIONAL MATCH (r:Redirect {id: id})
WITH id, coalesce(r.to, id) AS target
MATCH (n:Entity {id: target})
RETURN n, id`

// Entities implements coop.Store.
func (s *Store) Entities(ctx context.Context, ids []string) (map[string]coop.Entity, error) {
	out := make(map[string]coop.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, cypherEntitiesByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Entities: %w", err)
	}
	for _, rec := range recs {
		e, err := entityFromNode(rec.Values[0].(neo4j.Node))
		if err != nil {
			return nil, fmt.Errorf("neo4jstore.Entities: %w", err)
		}
		out[rec.Values[1].(string)] = e
	}
	return out, nil
}

// cypherListEntities returns one page ordered by id: matching on Entity
// too lets the entity_id index serve both the range and the order. %[1]s is
// the type label, %[2]s the filter (built from fixed fragments), %[3]s the
// count: a subquery when asked for, -1 otherwise.
const cypherListEntities = `%[3]s
CALL () {
  MATCH (n:Entity:%[1]s) WHERE n.id > $after AND %[2]s
  WITH n ORDER BY n.id LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page`

const cypherCountEntities = `CALL () {
  MATCH (n:%[1]s) WHERE %[2]s
  RETURN count(n) AS total
}`

const noCount = `WITH -1 AS total`

// ListEntitiesStatement is the query ListEntities sends.
func ListEntitiesStatement(f coop.EntityFilter) (Statement, error) {
	label, ok := entityLabel(f.Type)
	if !ok {
		return Statement{}, fmt.Errorf("unknown entity type %q", f.Type)
	}
	params := map[string]any{"after": f.Page.After, "limit": int64(f.Page.First + 1)}
	// Only the filters given go into the query, so the planner sees plain
	// predicates it can serve from indexes (or, for a bare count, from
	// Neo4j's count store).
	where := []string{"true"}
	if len(f.Kinds) > 0 {
		params["kinds"] = f.Kinds
		where = append(where, "n.kind IN $kinds")
	}
	if f.CountryID != "" {
		// The country field, indexed; its IN_COUNTRY tie says the same.
		params["country"] = f.CountryID
		where = append(where, "n.country = $country")
	}
	if name := coop.Fold(f.Name); name != "" {
		params["name"] = name
		where = append(where, "any(k IN n.nameKeys WHERE k CONTAINS $name)")
	}
	cond := strings.Join(where, " AND ")
	count := noCount
	if f.Count {
		count = fmt.Sprintf(cypherCountEntities, label, cond)
	}
	return Statement{Cypher: fmt.Sprintf(cypherListEntities, label, cond, count), Params: params}, nil
}

// ListEntities implements coop.Store.
func (s *Store) ListEntities(ctx context.Context, f coop.EntityFilter) (coop.EntityPage, error) {
	st, err := ListEntitiesStatement(f)
	if err != nil {
		return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: %w", err)
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: %w", err)
	}
	total, _ := recs[0].Values[0].(int64)
	nodes, _ := recs[0].Values[1].([]any)
	page := coop.EntityPage{TotalCount: int(total)}
	for i, n := range nodes {
		if i == f.Page.First {
			page.HasNextPage = true
			break
		}
		e, err := entityFromNode(n.(neo4j.Node))
		if err != nil {
			return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: %w", err)
		}
		page.Entities = append(page.Entities, e)
	}
	return page, nil
}

// entityLabel is the node label of an entity type; only known types have one.
func entityLabel(t coop.EntityType) (string, bool) { return string(t), t.Valid() }

// cypherRelationships pages the relationships of many entities in one
// query. %[1]s is a relationship pattern such as [r:HOLDS_OFFICE|LEADS],
// built from allow-listed types only.
const cypherRelationships = `UNWIND $ids AS id
MATCH (n:Entity {id: id})
%[3]s
CALL (n) {
  MATCH (n)-%[1]s-(m:Entity) WHERE %[2]s AND r.id > $after
  WITH r ORDER BY r.id LIMIT $limit
  RETURN collect([r, startNode(r), endNode(r)]) AS page
}
RETURN id, total, page`

// Counting: without date or direction filters, COUNT reads the node's
// degree (no walk, even for hubs); with them, it walks the ties.
const (
	cypherCountByDegree    = `WITH id, n, COUNT { (n)-%[1]s-() } AS total`
	cypherCountByWalking   = "CALL (n) {\n  MATCH (n)-%[1]s-(m:Entity) WHERE %[2]s\n  RETURN count(r) AS total\n}"
	cypherRelationsNoCount = `WITH id, n, -1 AS total`
)

// A symmetric type matches in every direction; otherwise direction decides
// by which end n is at. activeAt keeps ties whose dates may include it.
const relationshipWhere = `($dir = 'BOTH' OR type(r) IN $symmetric OR (($dir = 'OUT') = (startNode(r) = n)))
  AND ($activeFirst IS NULL OR
       ((r.sinceFirst IS NULL OR r.sinceFirst <= $activeLast) AND (r.untilLast IS NULL OR r.untilLast >= $activeFirst)))`

// relationshipPattern builds [r] or [r:A|B] from allow-listed types.
func relationshipPattern(types []coop.RelationType) (string, error) {
	if len(types) == 0 {
		return "[r" + allTies + "]", nil // the allow-list: never a passage's MENTIONS
	}
	names := make([]string, len(types))
	for i, t := range types {
		if _, ok := coop.RuleFor(t); !ok {
			return "", fmt.Errorf("unknown relationship type %q", t)
		}
		names[i] = string(t)
	}
	return "[r:" + strings.Join(names, "|") + "]", nil
}

// RelationshipsStatement is the query Relationships sends.
func RelationshipsStatement(ids []string, f coop.RelationFilter) (Statement, error) {
	pattern, err := relationshipPattern(f.Types)
	if err != nil {
		return Statement{}, err
	}
	dir := f.Direction
	if dir == "" {
		dir = coop.DirectionBoth
	}
	symmetric := []string{}
	for _, t := range coop.SymmetricTypes() {
		symmetric = append(symmetric, string(t))
	}
	params := map[string]any{"ids": ids, "dir": string(dir), "symmetric": symmetric,
		"after": f.Page.After, "limit": int64(f.Page.First + 1)}
	activeParams(params, f.ActiveAt)
	count := cypherRelationsNoCount
	switch {
	case f.Count && dir == coop.DirectionBoth && f.ActiveAt.IsZero():
		count = fmt.Sprintf(cypherCountByDegree, pattern)
	case f.Count:
		count = fmt.Sprintf(cypherCountByWalking, pattern, relationshipWhere)
	}
	return Statement{Cypher: fmt.Sprintf(cypherRelationships, pattern, relationshipWhere, count), Params: params}, nil
}

// Relationships implements coop.Store.
func (s *Store) Relationships(ctx context.Context, ids []string, f coop.RelationFilter) (map[string]coop.RelationshipPage, error) {
	out := make(map[string]coop.RelationshipPage, len(ids))
	for _, id := range ids {
		out[id] = coop.RelationshipPage{}
	}
	if len(ids) == 0 {
		return out, nil
	}
	st, err := RelationshipsStatement(ids, f)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
	}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		total, _ := rec.Values[1].(int64)
		rows, _ := rec.Values[2].([]any)
		page := coop.RelationshipPage{TotalCount: int(total)}
		for i, row := range rows {
			if i == f.Page.First {
				page.HasNextPage = true
				break
			}
			triple := row.([]any)
			from, err := entityFromNode(triple[1].(neo4j.Node))
			if err != nil {
				return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
			}
			to, err := entityFromNode(triple[2].(neo4j.Node))
			if err != nil {
				return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
			}
			page.Relationships = append(page.Relationships, relationshipFromNeo4j(triple[0].(neo4j.Relationship), from, to))
		}
		out[id] = page
	}
	return out, nil
}
