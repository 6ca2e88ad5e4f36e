package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// cypherPaths finds the k shortest simple paths (Neo4j's SHORTEST, a
// bidirectional search), shortest first, between the entities $from and
// $to name (following merge redirects); unknown lists those of the two
// ids that name no entity. %[1]d is k and %[3]d the hop bound: both
// integers checked against coop.PathCount and coop.PathHops before the
// text is built. %[2]s is a relationship pattern from allow-listed types.
//
// Nodes with more than $maxDegree ties are not passed through (they may
// still be the ends): a path through a hub of 100,000 ties says little, and
// searching through hubs makes the search explode.
//
// SHORTEST finds walks: the predicate inside the pattern keeps only those
// that pass no node twice (x holds every node but the last, b), and being
// inside, it is applied during the search, so k simple paths come back
// when k exist.
var cypherPaths = `OPTIONAL MATCH (ra:Redirect {id: $from})
OPTIONAL MATCH (a:Entity {id: coalesce(ra.to, $from)})
OPTIONAL MATCH (rb:Redirect {id: $to})
OPTIONAL MATCH (b:Entity {id: coalesce(rb.to, $to)})
WITH a, b, [x IN [[$from, a], [$to, b]] WHERE x[1] IS NULL | x[0]] AS unknown
OPTIONAL CALL (a, b) {
  MATCH p = SHORTEST %[1]d ((a)((x)-%[2]s-(y) WHERE y = b OR ` + tieDegree("y") + ` <= $maxDegree){1,%[3]d}(b)
    WHERE NOT b IN x AND all(i IN range(0, size(x) - 2) WHERE NOT x[i] IN x[i + 1..]))
  RETURN p
}
RETURN unknown, nodes(p) AS nodes, [r IN relationships(p) | [r, startNode(r).id, endNode(r).id]] AS rels
ORDER BY length(p)`

// PathsStatement is the query Paths sends.
func PathsStatement(q coop.PathQuery) (Statement, error) {
	if !coop.PathHops.Holds(q.MaxHops) || !coop.PathCount.Holds(q.First) {
		return Statement{}, fmt.Errorf("path bounds out of range")
	}
	pattern, err := relationshipPattern(q.Types)
	if err != nil {
		return Statement{}, err
	}
	// The activity filter sits inside the pattern so the search prunes by it.
	pattern = pattern[:len(pattern)-1] + " WHERE " + activeWhere + "]"
	params := map[string]any{"from": q.From, "to": q.To, "maxDegree": int64(q.MaxDegree)}
	activeParams(params, q.ActiveAt)
	return Statement{Cypher: fmt.Sprintf(cypherPaths, q.First, pattern, q.MaxHops), Params: params}, nil
}

// Paths implements coop.Analyst.
func (s *Store) Paths(ctx context.Context, q coop.PathQuery) ([]coop.Path, error) {
	st, err := PathsStatement(q)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Paths: %w", err)
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Paths: %w", err)
	}
	paths := make([]coop.Path, 0, len(recs))
	for _, rec := range recs {
		if unknown := strs(rec.Values[0]); len(unknown) > 0 {
			field := "from"
			if unknown[0] != q.From {
				field = "to"
			}
			return nil, coop.UnknownIDs(field, unknown)
		}
		if rec.Values[1] == nil {
			continue // no path: the one row OPTIONAL CALL gives
		}
		var p coop.Path
		byID := map[string]coop.Entity{}
		for _, n := range rec.Values[1].([]any) {
			e, err := entityFromNode(n.(neo4j.Node))
			if err != nil {
				return nil, fmt.Errorf("neo4jstore.Paths: %w", err)
			}
			byID[e.EntityID()] = e
			p.Nodes = append(p.Nodes, e)
		}
		for _, row := range rec.Values[2].([]any) {
			t := row.([]any)
			p.Edges = append(p.Edges, relationshipFromNeo4j(t[0].(neo4j.Relationship), byID[t[1].(string)], byID[t[2].(string)]))
		}
		paths = append(paths, p)
	}
	return paths, nil
}
