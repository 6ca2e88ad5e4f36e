package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// cypherTimelineScope gathers the dated items about some entities: the entities
// themselves, their neighbours, the actors and places of the countries among
// them, and the events, meetings and agreements those actors and places take
// part in; then every dated fact of those (an event's or meeting's date, an
// agreement's lifecycle dates, a statistic's period, offices taken and left),
// ordered by earliest day, kind and id. A country's actors and places are
// its neighbours by their IN_COUNTRY ties; an actor's own country is not
// (its timeline would hold the whole country's). Without ids, the whole graph (a
// separate text: "$ids IS NULL OR ..." would keep the planner off the index).
//
// Dates are stored as written ("2024", "2024-05", "199X"); firstDay and
// lastDay turn them into comparable text bounds ("2024-01-01", "2024-05-31":
// a day that may not exist, but sorts right).
const cypherTimelineScope = `CALL (found) {
  UNWIND found AS e RETURN e
  UNION
  UNWIND found AS s MATCH (s)-[r]-(e:Entity) WHERE NOT (r:` + string(coop.RelInCountry) + ` AND startNode(r) = s) RETURN e
}
CALL (e) {
  RETURN e AS x
  UNION
  WITH e WHERE e:Actor OR e:Place
  MATCH (e)--(x) WHERE x:Event OR x:Meeting OR x:Agreement
  RETURN x
}
WITH DISTINCT x
`

// Without ids: every dated entity of the graph.
const cypherTimelineAll = `MATCH (x:Entity) WHERE x:Event OR x:Meeting OR x:Agreement OR x:Statistic OR x:Actor
`

// cypherTimelineItems turns the entities x into dated items.
const cypherTimelineItems = `CALL (x) {
  WITH x WHERE x:Event AND x.date IS NOT NULL
  RETURN x.date AS d, x.endDate AS d2, 'EVENT' AS kind, '' AS what, x AS ent, null AS r
  UNION
  WITH x WHERE x:Meeting AND x.date IS NOT NULL
  RETURN x.date AS d, null AS d2, 'MEETING' AS kind, '' AS what, x AS ent, null AS r
  UNION
  WITH x WHERE x:Agreement
  UNWIND [['proposed', x.proposed], ['signed', x.signed], ['in force', x.inForce], ['ended', x.ended]] AS lc
  WITH x, lc WHERE lc[1] IS NOT NULL
  RETURN lc[1] AS d, null AS d2, 'AGREEMENT' AS kind, lc[0] AS what, x AS ent, null AS r
  UNION
  WITH x WHERE x:Statistic
  RETURN x.periodStart AS d, x.periodEnd AS d2, 'STATISTIC' AS kind, '' AS what, x AS ent, null AS r
  UNION
  WITH x WHERE x:Actor
  MATCH (x)-[r:HOLDS_OFFICE]-()
  UNWIND [['OFFICE_TAKEN', r.since], ['OFFICE_LEFT', r.until]] AS o
  WITH r, o WHERE o[1] IS NOT NULL
  RETURN o[1] AS d, null AS d2, o[0] AS kind, '' AS what, startNode(r) AS ent, r
}
WITH DISTINCT d, d2, kind, what, ent, r
WITH d, d2, kind, what, ent, r,
     CASE size(d) WHEN 10 THEN d WHEN 7 THEN d + '-01' ELSE replace(d, 'X', '0') + '-01-01' END AS firstDay,
     CASE size(coalesce(d2, d)) WHEN 10 THEN coalesce(d2, d) WHEN 7 THEN coalesce(d2, d) + '-31' ELSE replace(coalesce(d2, d), 'X', '9') + '-12-31' END AS lastDay
WHERE ($from IS NULL OR lastDay >= $from) AND ($to IS NULL OR firstDay <= $to)
WITH d, d2, kind, what, ent, r, firstDay + '|' + kind + '|' + coalesce(r.id, ent.id) + '|' + what AS key
WHERE key > $after
RETURN key, d, d2, kind, what, ent, r, CASE WHEN r IS NULL THEN null ELSE [startNode(r), endNode(r)] END AS ends
ORDER BY key
LIMIT $limit`

// Timeline implements coop.Analyst.
func (s *Store) Timeline(ctx context.Context, q coop.TimelineQuery) (coop.TimelinePage, error) {
	params := map[string]any{"ids": q.IDs, "from": nil, "to": nil, "after": q.Page.After, "limit": int64(q.Page.First + 1)}
	if !q.From.IsZero() {
		params["from"] = q.From.First().Format("2006-01-02")
	}
	if !q.To.IsZero() {
		params["to"] = q.To.Last().Format("2006-01-02")
	}
	cypher := cypherTimelineAll + cypherTimelineItems
	if len(q.IDs) > 0 {
		// The ids are resolved first (found, unknown); the items come from
		// an OPTIONAL CALL, so that one row, carrying the unknown ids, comes
		// back even when there are no items.
		cypher = cypherResolveIDs + "OPTIONAL CALL (found) {\n" + cypherTimelineScope + cypherTimelineItems +
			"\n}\nRETURN key, d, d2, kind, what, ent, r, ends, unknown ORDER BY key"
	}
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return coop.TimelinePage{}, fmt.Errorf("neo4jstore.Timeline: %w", err)
	}
	var page coop.TimelinePage
	if len(recs) > 0 && len(q.IDs) > 0 {
		if v, _ := recs[0].Get("unknown"); len(strs(v)) > 0 {
			return coop.TimelinePage{}, coop.UnknownIDs("ids", strs(v))
		}
		if k, _ := recs[0].Get("key"); k == nil {
			return page, nil // no items
		}
	}
	for i, rec := range recs {
		if i == q.Page.First {
			page.HasNextPage = true
			break
		}
		item, err := timelineItem(rec)
		if err != nil {
			return coop.TimelinePage{}, fmt.Errorf("neo4jstore.Timeline: %w", err)
		}
		page.Items = append(page.Items, item)
	}
	return page, nil
}

func timelineItem(rec *neo4j.Record) (coop.TimelineItem, error) {
	get := func(k string) any { v, _ := rec.Get(k); return v }
	ent, err := entityFromNode(get("ent").(neo4j.Node))
	if err != nil {
		return coop.TimelineItem{}, err
	}
	str := func(k string) string { s, _ := get(k).(string); return s }
	item := coop.TimelineItem{Key: str("key"), Kind: coop.TimelineKind(str("kind")), What: str("what"), Entity: ent}
	item.Date, _ = coop.ParseDate(str("d"))
	item.EndDate, _ = coop.ParseDate(str("d2"))
	if r, ok := get("r").(neo4j.Relationship); ok {
		ends := get("ends").([]any)
		from, err := entityFromNode(ends[0].(neo4j.Node))
		if err != nil {
			return coop.TimelineItem{}, err
		}
		to, err := entityFromNode(ends[1].(neo4j.Node))
		if err != nil {
			return coop.TimelineItem{}, err
		}
		item.Relationship = relationshipFromNeo4j(r, from, to)
		if item.Kind == coop.TimelineOfficeLeft {
			item.What = "left"
		} else {
			item.What = "taken"
		}
	}
	if item.What == "" {
		item.What = strings.ToLower(string(item.Kind))
	}
	return item, nil
}

// RelationshipCounts implements coop.Analyst. Counting one type at a time
// lets Neo4j read node degrees instead of walking relationships, so hubs
// cost no more than leaves.
func (s *Store) RelationshipCounts(ctx context.Context, ids []string) (map[string][]coop.TypeCount, error) {
	out := make(map[string][]coop.TypeCount, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	counts := make([]string, len(coop.Relations))
	for i, r := range coop.Relations {
		counts[i] = fmt.Sprintf("COUNT { (n)-[:%s]-() }", r.Type)
	}
	cypher := "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN id, [" + strings.Join(counts, ", ") + "] AS counts"
	recs, err := s.read(ctx, cypher, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.RelationshipCounts: %w", err)
	}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		list := []coop.TypeCount{}
		for i, c := range rec.Values[1].([]any) {
			if n, _ := c.(int64); n > 0 {
				list = append(list, coop.TypeCount{Type: coop.Relations[i].Type, Count: int(n)})
			}
		}
		out[id] = list
	}
	return out, nil
}

// EntityCounts implements coop.Analyst.
func (s *Store) EntityCounts(ctx context.Context) ([]coop.KindCount, error) {
	parts := make([]string, len(coop.EntityTypes))
	for i, t := range coop.EntityTypes {
		parts[i] = fmt.Sprintf("MATCH (n:%s) RETURN '%s' AS type, n.kind AS kind, count(*) AS count", t, t)
	}
	cypher := "CALL () { " + strings.Join(parts, " UNION ALL ") + " } RETURN type, kind, count ORDER BY type, kind"
	recs, err := s.read(ctx, cypher, nil)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.EntityCounts: %w", err)
	}
	out := make([]coop.KindCount, 0, len(recs))
	for _, rec := range recs {
		kind, _ := rec.Values[1].(string)
		n, _ := rec.Values[2].(int64)
		out = append(out, coop.KindCount{Type: coop.EntityType(rec.Values[0].(string)), Kind: kind, Count: int(n)})
	}
	return out, nil
}
