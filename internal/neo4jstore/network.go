package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// cypherResolveIDs finds the entities $ids name, following merge redirects
// (a merged-away id names the entity it was merged into), and the ids that
// name none.
const cypherResolveIDs = `CALL () {
  UNWIND $ids AS given
  OPTIONAL MATCH (r:Redirect {id: given})
  OPTIONAL MATCH (s:Entity {id: coalesce(r.to, given)})
  RETURN collect(DISTINCT s) AS found, collect(CASE WHEN s IS NULL THEN given END) AS unknown
}
`

// The network query expands hop by hop from the start nodes. Each hop
// follows at most $perNode ties from each frontier node (so a hub of
// thousands adds only that many), and the whole network stops at $limit
// nodes. The hop is repeated depth times in the query text; depth is one of
// 1..coop.MaxNetworkDepth, checked before the text is built.
const cypherNetworkStart = cypherResolveIDs + `WITH unknown, found AS frontier, found AS nodes, [] AS rels, false AS truncated
`

const cypherNetworkHop = `CALL (frontier) {
  UNWIND frontier AS n
  CALL (n) {
    MATCH (n)-%[1]s-(m:Entity) WHERE %[2]s
    WITH r, m LIMIT $perNodeProbe
    WITH collect([r, m]) AS ties
    RETURN ties[..$perNode] AS kept, size(ties) > $perNode AS cut
  }
  UNWIND (CASE WHEN size(kept) = 0 THEN [null] ELSE kept END) AS tie
  RETURN collect(tie) AS hopTies, collect(DISTINCT tie[1]) AS hopNodes,
         coalesce(max(CASE WHEN cut THEN 1 ELSE 0 END), 0) = 1 AS hopCut
}
WITH unknown, nodes, rels, hopTies, truncated OR hopCut OR size(hopNodes) > 2 * $limit AS truncated,
     [m IN hopNodes[..2 * $limit] WHERE NOT m IN nodes] AS fresh,
     CASE WHEN $limit > size(nodes) THEN $limit - size(nodes) ELSE 0 END AS budget
WITH unknown, rels, hopTies, truncated OR size(fresh) > budget AS truncated,
     nodes + fresh[..budget] AS nodes, fresh[..budget] AS frontier
WITH unknown, nodes, frontier, truncated, rels + [t IN hopTies WHERE t[1] IN nodes | t[0]] AS rels
`

const cypherNetworkEnd = `RETURN nodes, [r IN rels | [r, startNode(r).id, endNode(r).id]] AS edges, truncated, unknown`

// activeWhere keeps ties whose dates may include $activeFirst..$activeLast.
const activeWhere = `($activeFirst IS NULL OR
       ((r.sinceFirst IS NULL OR r.sinceFirst <= $activeLast) AND (r.untilLast IS NULL OR r.untilLast >= $activeFirst)))`

func networkCypher(depth int, pattern string) (string, error) {
	if !coop.NetworkDepth.Holds(depth) {
		return "", fmt.Errorf("network depth %d out of range", depth)
	}
	var b strings.Builder
	b.WriteString(cypherNetworkStart)
	hop := fmt.Sprintf(cypherNetworkHop, pattern, activeWhere)
	for range depth {
		b.WriteString(hop)
	}
	b.WriteString(cypherNetworkEnd)
	return b.String(), nil
}

func activeParams(params map[string]any, at coop.Date) {
	params["activeFirst"], params["activeLast"] = nil, nil
	if !at.IsZero() {
		params["activeFirst"] = at.First().Format("2006-01-02")
		params["activeLast"] = at.Last().Format("2006-01-02")
	}
}

// NetworkStatement is the query Network sends.
func NetworkStatement(q coop.NetworkQuery) (Statement, error) {
	pattern, err := relationshipPattern(q.Types)
	if err != nil {
		return Statement{}, err
	}
	cypher, err := networkCypher(q.Depth, pattern)
	if err != nil {
		return Statement{}, err
	}
	params := map[string]any{"ids": q.IDs, "limit": int64(q.Limit), "perNode": int64(q.PerNode), "perNodeProbe": int64(q.PerNode + 1)}
	activeParams(params, q.ActiveAt)
	return Statement{Cypher: cypher, Params: params}, nil
}

// Network implements coop.Analyst.
func (s *Store) Network(ctx context.Context, q coop.NetworkQuery) (coop.Network, error) {
	st, err := NetworkStatement(q)
	if err != nil {
		return coop.Network{}, fmt.Errorf("neo4jstore.Network: %w", err)
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return coop.Network{}, fmt.Errorf("neo4jstore.Network: %w", err)
	}
	var net coop.Network
	if len(recs) == 0 {
		return net, nil
	}
	rec := recs[0]
	if unknown := strs(rec.Values[3]); len(unknown) > 0 {
		return coop.Network{}, coop.UnknownIDs("ids", unknown)
	}
	byID := map[string]coop.Entity{}
	for _, n := range rec.Values[0].([]any) {
		e, err := entityFromNode(n.(neo4j.Node))
		if err != nil {
			return coop.Network{}, fmt.Errorf("neo4jstore.Network: %w", err)
		}
		if _, dup := byID[e.EntityID()]; !dup {
			byID[e.EntityID()] = e
			net.Nodes = append(net.Nodes, e)
		}
	}
	seen := map[string]bool{}
	for _, row := range rec.Values[1].([]any) {
		t := row.([]any)
		r := t[0].(neo4j.Relationship)
		from, to := byID[t[1].(string)], byID[t[2].(string)]
		id, _ := r.Props["id"].(string)
		if from == nil || to == nil || seen[id] {
			continue
		}
		seen[id] = true
		net.Edges = append(net.Edges, relationshipFromNeo4j(r, from, to))
	}
	net.Truncated, _ = rec.Values[2].(bool)
	return net, nil
}
