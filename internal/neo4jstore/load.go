package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// loadBatch is how many records one UNWIND statement writes.
const loadBatch = 500

// Concurrent loads take a write lock on this node first, so they run one
// after the other and MERGE never races on relationships.
const cypherLoadLock = `MERGE (l:CoopgraphLock {name: 'load'}) SET l.at = datetime()`

// cypherMergeEntity is per entity type: the type label is spliced from
// coop.EntityTypes. SET n = row replaces every property, so a reload of
// changed records leaves no stale ones.
const cypherMergeEntity = `UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row, n:%s`

// cypherMergeRelationship is per relationship type (from coop.Relations).
const cypherMergeRelationship = `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:%s {id: row.id}]->(b)
SET r = row.props`

// Load writes a validated dataset idempotently, in one transaction: all of
// it lands or none. Loading the same dataset again changes nothing.
func (s *Store) Load(ctx context.Context, ds dataset.Dataset) error {
	byType := map[coop.EntityType][]map[string]any{}
	for _, e := range ds.Entities {
		byType[e.EntityType()] = append(byType[e.EntityType()], entityProps(e))
	}
	byRel := map[coop.RelationType][]map[string]any{}
	for _, r := range ds.Relationships {
		byRel[r.Type] = append(byRel[r.Type], map[string]any{"from": r.FromID, "to": r.ToID, "id": r.ID, "props": relationshipProps(r)})
	}
	err := s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
		if err := run(ctx, tx, cypherLoadLock, nil); err != nil {
			return err
		}
		for _, t := range coop.EntityTypes {
			if err := runBatches(ctx, tx, fmt.Sprintf(cypherMergeEntity, t), byType[t]); err != nil {
				return err
			}
		}
		for _, rule := range coop.Relations {
			if err := runBatches(ctx, tx, fmt.Sprintf(cypherMergeRelationship, rule.Type), byRel[rule.Type]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("neo4jstore.Load: %w", err)
	}
	return nil
}

func runBatches(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any) error {
	for start := 0; start < len(rows); start += loadBatch {
		end := min(start+loadBatch, len(rows))
		if err := run(ctx, tx, cypher, map[string]any{"rows": rows[start:end]}); err != nil {
			return err
		}
	}
	return nil
}

func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// Counts returns how many entities and relationships the graph holds.
func (s *Store) Counts(ctx context.Context) (nodes, relationships int64, err error) {
	recs, err := s.read(ctx, `MATCH (n:Entity) WITH count(n) AS nodes
OPTIONAL MATCH (:Entity)-[r]->(:Entity) RETURN nodes, count(r) AS rels`, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("neo4jstore.Counts: %w", err)
	}
	nodes, _ = recs[0].Values[0].(int64)
	relationships, _ = recs[0].Values[1].(int64)
	return nodes, relationships, nil
}
