package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// cypherEntitiesByID follows merge redirects: the id of a merged-away
// entity finds the entity it was merged into. %[1]s holds the subqueries of
// what is read ahead (aheadParts), %[2]s lists the relationship pages, %[3]s
// is the country.
const cypherEntitiesByID = `UNWIND $ids AS id
OPTIONAL MATCH (redirect:Redirect {id: id})
WITH id, coalesce(redirect.to, id) AS target
MATCH (n:Entity {id: target})
%[1]s
RETURN n, id, %[2]s AS ties, %[3]s AS country`

// cypherCountryAhead reads the entity n's country field names, following
// redirects as Entities does.
const cypherCountryAhead = `CALL (n) {
  OPTIONAL MATCH (moved:Redirect {id: n.country})
  OPTIONAL MATCH (c:Entity {id: coalesce(moved.to, n.country)})
  RETURN c AS country
}`

// aheadParts writes the subqueries that read ahead of an entity bound to
// n, and the expressions of their results: the relationship pages' list and
// the country (null when not asked).
func aheadParts(ahead coop.Ahead, params map[string]any) (cypher, pages, country string, err error) {
	cypher, pages, err = tiePages(ahead.Relationships, params)
	if err != nil {
		return "", "", "", err
	}
	country = "null"
	if ahead.Country {
		cypher += "\n" + cypherCountryAhead
		country = "country"
	}
	return cypher, pages, country, nil
}

// relatedFrom reads what aheadParts' expressions returned for the entity
// node n, read as self.
func relatedFrom(ties, country any, ahead coop.Ahead, n neo4j.Node, self coop.Entity) (coop.Related, error) {
	var r coop.Related
	var err error
	if len(ahead.Relationships) > 0 {
		if r.Ties, err = relationshipPagesFrom(ties, ahead.Relationships, n, self); err != nil {
			return r, err
		}
	}
	if c, ok := country.(neo4j.Node); ok {
		if r.Country, err = entityFromNode(c); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Entities implements coop.Store.
func (s *Store) Entities(ctx context.Context, ids []string) (map[string]coop.Entity, error) {
	found, _, err := s.EntitiesWith(ctx, ids, coop.Ahead{})
	return found, err
}

// EntitiesStatement is the query EntitiesWith sends.
func EntitiesStatement(ids []string, ahead coop.Ahead) (Statement, error) {
	params := map[string]any{"ids": ids}
	parts, pages, country, err := aheadParts(ahead, params)
	if err != nil {
		return Statement{}, err
	}
	return Statement{Cypher: fmt.Sprintf(cypherEntitiesByID, parts, pages, country), Params: params}, nil
}

// EntitiesWith implements coop.Store.
func (s *Store) EntitiesWith(ctx context.Context, ids []string, ahead coop.Ahead) (map[string]coop.Entity, map[string]coop.Related, error) {
	found := make(map[string]coop.Entity, len(ids))
	related := map[string]coop.Related{}
	if len(ids) == 0 {
		return found, related, nil
	}
	st, err := EntitiesStatement(ids, ahead)
	if err != nil {
		return nil, nil, fmt.Errorf("neo4jstore.Entities: %w", err)
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return nil, nil, fmt.Errorf("neo4jstore.Entities: %w", err)
	}
	for _, rec := range recs {
		e, err := entityFromNode(rec.Values[0].(neo4j.Node))
		if err != nil {
			return nil, nil, fmt.Errorf("neo4jstore.Entities: %w", err)
		}
		id := rec.Values[1].(string)
		found[id] = e
		if ahead.Any() {
			if related[id], err = relatedFrom(rec.Values[2], rec.Values[3], ahead, rec.Values[0].(neo4j.Node), e); err != nil {
				return nil, nil, fmt.Errorf("neo4jstore.Entities: %w", err)
			}
		}
	}
	return found, related, nil
}

// relationshipPagesFrom reads the pages tiePages binds for the entity node
// n, one per filter.
func relationshipPagesFrom(v any, with []coop.RelationFilter, n neo4j.Node, self coop.Entity) ([]coop.RelationshipPage, error) {
	list, _ := v.([]any)
	if len(list) != len(with) {
		return nil, fmt.Errorf("%d pages of relationships for %d filters", len(list), len(with))
	}
	out := make([]coop.RelationshipPage, len(with))
	for j, f := range with {
		p, err := relationshipPageFrom(list[j], f.Page.First, n, self)
		if err != nil {
			return nil, err
		}
		out[j] = p
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
%[4]s
RETURN total, page, related`

const cypherCountEntities = `CALL () {
  MATCH (n:%[1]s) WHERE %[2]s
  RETURN count(n) AS total
}`

const noCount = `WITH -1 AS total`

// cypherRelatedEntities reads what is read ahead of a page of entities
// (aheadParts): %[1]s the subqueries, %[2]s the relationship pages, %[3]s
// the country.
const cypherRelatedEntities = `CALL (page) {
  UNWIND page[..$first] AS n
%[1]s
  RETURN collect([n.id, %[2]s, %[3]s]) AS related
}`

const noRelated = `WITH total, page, [] AS related`

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
	related := noRelated
	if f.Ahead.Any() {
		// The extra entity that tells there is a next page gets nothing.
		params["first"] = int64(f.Page.First)
		parts, pages, country, err := aheadParts(f.Ahead, params)
		if err != nil {
			return Statement{}, err
		}
		related = fmt.Sprintf(cypherRelatedEntities, parts, pages, country)
	}
	return Statement{Cypher: fmt.Sprintf(cypherListEntities, label, cond, count, related), Params: params}, nil
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
	if f.Ahead.Any() {
		related, _ := recs[0].Values[2].([]any)
		if len(related) != len(page.Entities) {
			return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: %d pages of relationships for %d entities", len(related), len(page.Entities))
		}
		byID := make(map[string][]any, len(related))
		for _, v := range related {
			row, _ := v.([]any)
			if len(row) == 3 {
				id, _ := row[0].(string)
				byID[id] = row
			}
		}
		page.Related = make([]coop.Related, len(page.Entities))
		for i, e := range page.Entities {
			row := byID[e.EntityID()]
			if row == nil {
				return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: nothing read ahead of %s", e.EntityID())
			}
			if page.Related[i], err = relatedFrom(row[1], row[2], f.Ahead, nodes[i].(neo4j.Node), e); err != nil {
				return coop.EntityPage{}, fmt.Errorf("neo4jstore.ListEntities: %w", err)
			}
		}
	}
	return page, nil
}

// entityLabel is the node label of an entity type; only known types have one.
func entityLabel(t coop.EntityType) (string, bool) { return string(t), t.Valid() }

// cypherRelationships pages the relationships of many entities in one
// query. %s is the subquery tiePage writes for one entity bound to n.
const cypherRelationships = `UNWIND $ids AS id
MATCH (n:Entity {id: id})
%s
RETURN id, n, ties`

// Counting: without date or direction filters, COUNT reads the node's
// degree (no walk, even for hubs); with them, it walks the ties.
const (
	cypherCountByDegree    = `RETURN COUNT { (n)-%[1]s-() } AS total`
	cypherCountByWalking   = "MATCH (n)-%[1]s-(m:Entity) WHERE %[2]s\n    RETURN count(r) AS total"
	cypherRelationsNoCount = `RETURN -1 AS total`
)

// cypherTiePage binds %[3]s to one entity's page of relationships, as
// [total, [[r, other end], ...]]: the entity's own end is the entity, which
// the reader has, so each tie carries only its other end. %[1]s is the
// count, %[2]s the subquery that returns the page's ties in order.
const cypherTiePage = `CALL (n) {
  CALL (n) {
    %[1]s
  }
  CALL (n) {
    CALL (n) {
    %[2]s
    }
    RETURN collect([r, CASE WHEN startNode(r) = n THEN endNode(r) ELSE startNode(r) END]) AS page
  }
  RETURN [total, page] AS %[3]s
}`

// cypherTieRows reads a page by walking n's ties of the pattern %[1]s
// that pass %[2]s, and sorting them by id. %[3]s prefixes the parameters.
const cypherTieRows = `MATCH (n)-%[1]s-(m:Entity) WHERE %[2]s AND r.id > $%[3]safter
    RETURN r ORDER BY r.id LIMIT $%[3]slimit`

// cypherHubTieRows reads a page of one type's ties, %[1]s, from a hub (and
// by %[4]s, the walk, from any other entity): an
// entity with so many of them that scanning the type's id index in order,
// keeping n's ties, meets a page sooner than reading every tie's id to sort
// them (a country's thousands of OPERATES_IN ties: 25 ms down to 4 at 100k
// nodes). The scan is expected to read limit x typed / degree entries,
// the walk degree ties: the index serves when degree^2 > limit x typed.
// Both counts come from Neo4j's count store and the node's degree, read
// without walking anything.
const cypherHubTieRows = `CALL () { MATCH ()-[x:%[1]s]->() RETURN count(x) AS typed }
    WITH n, typed, COUNT { (n)-[:%[1]s]-() } AS degree
    WITH n, degree * degree > $%[3]slimit * typed AS byIndex
    CALL (n, byIndex) {
      WITH n WHERE byIndex
      MATCH (a)-[r:%[1]s]->(b) USING INDEX r:%[1]s(id)
      WHERE r.id > $%[3]safter AND (a = n OR b = n) AND a:Entity AND b:Entity AND %[2]s
      RETURN r ORDER BY r.id LIMIT $%[3]slimit
      UNION ALL
      WITH n WHERE NOT byIndex
      %[4]s
    }
    RETURN r`

// relationshipWhere keeps the ties of n that f's direction and date allow:
// a symmetric type matches in every direction; otherwise direction decides
// by which end n is at. activeAt keeps ties whose dates may include it. p
// prefixes the parameters' names, so that one statement can hold several.
func relationshipWhere(p string) string {
	return strings.ReplaceAll(`($Pdir = 'BOTH' OR type(r) IN $Psymmetric OR (($Pdir = 'OUT') = (startNode(r) = n)))
  AND ($PactiveFirst IS NULL OR
       ((r.sinceFirst IS NULL OR r.sinceFirst <= $PactiveLast) AND (r.untilLast IS NULL OR r.untilLast >= $PactiveFirst)))`, "$P", "$"+p)
}

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

// tiePage writes the subquery that binds variable as to one page of the
// relationships of n matching f, and adds its parameters, named with prefix
// p, to params.
func tiePage(f coop.RelationFilter, as, p string, params map[string]any) (string, error) {
	pattern, err := relationshipPattern(f.Types)
	if err != nil {
		return "", err
	}
	dir := f.Direction
	if dir == "" {
		dir = coop.DirectionBoth
	}
	symmetric := []string{}
	for _, t := range coop.SymmetricTypes() {
		symmetric = append(symmetric, string(t))
	}
	params[p+"dir"], params[p+"symmetric"] = string(dir), symmetric
	params[p+"after"], params[p+"limit"] = f.Page.After, int64(f.Page.First+1)
	at := map[string]any{}
	activeParams(at, f.ActiveAt)
	params[p+"activeFirst"], params[p+"activeLast"] = at["activeFirst"], at["activeLast"]
	where := relationshipWhere(p)
	count := cypherRelationsNoCount
	switch {
	case f.Count && dir == coop.DirectionBoth && f.ActiveAt.IsZero():
		count = fmt.Sprintf(cypherCountByDegree, pattern)
	case f.Count:
		count = fmt.Sprintf(cypherCountByWalking, pattern, where)
	}
	rows := fmt.Sprintf(cypherTieRows, pattern, where, p)
	if len(f.Types) == 1 {
		// One type has one id index (the rel_<type>_id constraint's); the
		// walk stays for entities that are not hubs of it.
		rows = fmt.Sprintf(cypherHubTieRows, string(f.Types[0]), where, p, rows)
	}
	return fmt.Sprintf(cypherTiePage, count, rows, as), nil
}

// tiePages writes one tiePage per filter, binding ties0, ties1, ..., and
// the expression that lists them.
func tiePages(with []coop.RelationFilter, params map[string]any) (cypher, list string, err error) {
	if len(with) > coop.MaxRelationshipLookahead {
		return "", "", fmt.Errorf("%d relationship filters; at most %d", len(with), coop.MaxRelationshipLookahead)
	}
	var parts, names []string
	for i, f := range with {
		name := fmt.Sprintf("ties%d", i)
		part, err := tiePage(f, name, fmt.Sprintf("t%d_", i), params)
		if err != nil {
			return "", "", err
		}
		parts, names = append(parts, part), append(names, name)
	}
	return strings.Join(parts, "\n"), "[" + strings.Join(names, ", ") + "]", nil
}

// RelationshipsStatement is the query Relationships sends.
func RelationshipsStatement(ids []string, f coop.RelationFilter) (Statement, error) {
	params := map[string]any{"ids": ids}
	page, err := tiePage(f, "ties", "", params)
	if err != nil {
		return Statement{}, err
	}
	return Statement{Cypher: fmt.Sprintf(cypherRelationships, page), Params: params}, nil
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
		n := rec.Values[1].(neo4j.Node)
		self, err := entityFromNode(n)
		if err != nil {
			return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
		}
		page, err := relationshipPageFrom(rec.Values[2], f.Page.First, n, self)
		if err != nil {
			return nil, fmt.Errorf("neo4jstore.Relationships: %w", err)
		}
		out[rec.Values[0].(string)] = page
	}
	return out, nil
}

// relationshipPageFrom reads what tiePage binds for the entity node n, read
// as self:
// [total, [[r, other end], ...]], holding one more tie than first when
// there is a next page.
func relationshipPageFrom(v any, first int, n neo4j.Node, self coop.Entity) (coop.RelationshipPage, error) {
	pair, _ := v.([]any)
	if len(pair) != 2 {
		return coop.RelationshipPage{}, fmt.Errorf("malformed page of relationships")
	}
	total, _ := pair[0].(int64)
	rows, _ := pair[1].([]any)
	page := coop.RelationshipPage{TotalCount: int(total)}
	for i, row := range rows {
		if i == first {
			page.HasNextPage = true
			break
		}
		tie := row.([]any)
		rel := tie[0].(neo4j.Relationship)
		other, err := entityFromNode(tie[1].(neo4j.Node))
		if err != nil {
			return coop.RelationshipPage{}, err
		}
		from, to := self, other
		if rel.StartElementId != n.ElementId {
			from, to = other, self
		}
		page.Relationships = append(page.Relationships, relationshipFromNeo4j(rel, from, to))
	}
	return page, nil
}
