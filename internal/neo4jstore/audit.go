package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// The audit trail is a chain of :Change nodes, outside the graph of
// entities (no relationships, no Entity label), numbered by a sequence whose
// node every write locks: seq order is commit order, so a client paging by
// seq never misses a change committed late.
const labelChange = "Change"

const cypherRecordChange = `MERGE (s:CoopgraphSequence {name: 'change'})
SET s.value = coalesce(s.value, 0) + 1
CREATE (c:Change {seq: s.value, at: datetime(), who: $who, action: $action, target: $target, targetId: $targetId,
  entityA: $entityA, entityB: $entityB, before: $before, after: $after,
  citeSources: $citeSources, citeLocators: $citeLocators, citeStatuses: $citeStatuses, reason: $reason, requestId: $requestId})
RETURN c.seq, c.at`

// recordChange adds c to the audit trail inside tx, filling in Seq and At.
func recordChange(ctx context.Context, tx neo4j.ManagedTransaction, c *coop.Change) error {
	p := map[string]any{"who": c.Who, "action": string(c.Action), "target": string(c.Target), "targetId": c.TargetID,
		"entityA": nil, "entityB": nil, "before": nullable(c.Before), "after": nullable(c.After),
		"reason": nullable(c.Reason), "requestId": nullable(c.RequestID)}
	if len(c.EntityIDs) > 0 {
		p["entityA"] = c.EntityIDs[0]
	}
	if len(c.EntityIDs) > 1 {
		p["entityB"] = c.EntityIDs[1]
	}
	citationProps(p, c.Citations)
	res, err := tx.Run(ctx, cypherRecordChange, p)
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	c.Seq, _ = rec.Values[0].(int64)
	c.At = asTime(rec.Values[1])
	return nil
}

// Record adds one entry to the audit trail in a transaction of its own.
func (s *Store) Record(ctx context.Context, c coop.Change) error {
	err := s.write(ctx, s.timeout, func(tx neo4j.ManagedTransaction) error { return recordChange(ctx, tx, &c) })
	if err != nil {
		return fmt.Errorf("neo4jstore.Record: %w", err)
	}
	return nil
}

// Changes implements coop.Curator: audit entries in seq order.
func (s *Store) Changes(ctx context.Context, f coop.ChangeFilter) (coop.ChangePage, error) {
	params := map[string]any{"after": f.After, "limit": int64(f.First + 1), "since": nil, "entity": f.EntityID}
	if !f.Since.IsZero() {
		// As text, made a datetime by Neo4j: a time.Time parameter arrives
		// with the zone "UTC", and Cypher orders equal instants by zone, so
		// an entry stamped exactly at since (zone "Z") would sort before it.
		params["since"] = f.Since.UTC().Format(time.RFC3339Nano)
	}
	cypher := `MATCH (c:Change) WHERE c.seq > $after AND ($since IS NULL OR c.at >= datetime($since))
RETURN c ORDER BY c.seq LIMIT $limit`
	if f.EntityID != "" {
		// Two index seeks, not a scan: changes of the entity itself, and
		// those where it is the other end (of a relationship, of a merge).
		cypher = `CALL () {
  MATCH (c:Change) WHERE c.entityA = $entity RETURN c
  UNION
  MATCH (c:Change) WHERE c.entityB = $entity RETURN c
}
WITH c WHERE c.seq > $after AND ($since IS NULL OR c.at >= datetime($since))
RETURN c ORDER BY c.seq LIMIT $limit`
	}
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return coop.ChangePage{}, fmt.Errorf("neo4jstore.Changes: %w", err)
	}
	page := coop.ChangePage{}
	for i, rec := range recs {
		if i == f.First {
			page.HasNextPage = true
			break
		}
		page.Changes = append(page.Changes, changeFromNode(rec.Values[0].(neo4j.Node)))
	}
	return page, nil
}

func changeFromNode(n neo4j.Node) coop.Change {
	p := props(n.Props)
	seq, _ := p["seq"].(int64)
	c := coop.Change{Seq: seq, At: asTime(p["at"]), Who: p.str("who"), Action: coop.Action(p.str("action")),
		Target: coop.Target(p.str("target")), TargetID: p.str("targetId"), Before: p.str("before"), After: p.str("after"),
		Citations: p.citations(), Reason: p.str("reason"), RequestID: p.str("requestId")}
	for _, k := range []string{"entityA", "entityB"} {
		if id := p.str(k); id != "" {
			c.EntityIDs = append(c.EntityIDs, id)
		}
	}
	return c
}

func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case dbtype.LocalDateTime:
		return t.Time().UTC()
	}
	return time.Time{}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
