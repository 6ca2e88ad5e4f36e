package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// loadBatch is how many records one UNWIND statement writes.
const loadBatch = 5000

// Concurrent loads take a write lock on this node first, so they run one
// after the other and MERGE never races on relationships.
const cypherLoadLock = `MERGE (l:CoopgraphLock {name: 'load'}) SET l.at = datetime()`

// cypherMergeEntity is per entity type: the type label is spliced from
// coop.EntityTypes. SET n = row replaces every property, so a reload of
// changed records leaves no stale ones. The version goes up only when the
// record changed, so a reload of the same data changes nothing; the count
// returned is of nodes created or changed.
//
// A record may change an entity's type: every type label is removed (the
// list comes from coop.EntityTypes) before the record's own is set.
var cypherMergeEntity = `UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
WITH n, row, n.version AS v, properties(n) AS old, labels(n) AS oldLabels
REMOVE n` + typeLabels() + `
SET n = row, n:%s
WITH n, v, old = n {.*, version: v} AND size(oldLabels) = size(labels(n)) AND all(l IN oldLabels WHERE l IN labels(n)) AS same
SET n.version = CASE WHEN v IS NULL THEN 1 WHEN same THEN v ELSE v + 1 END
RETURN count(CASE WHEN v IS NULL OR NOT same THEN 1 END), collect(n.id)`

// Relationship rows are lists, not maps: cheaper to send and to read. The
// positions are relRow's. SET r = {...} replaces every property; null
// values are simply not stored.
const relProps = `{id: row[2], status: row[3], since: row[4], sinceFirst: row[5], until: row[6], untilLast: row[7],
  asOf: row[8], role: row[9], description: row[10], citeSources: row[11], citeLocators: row[12],
  citeStatuses: row[13], basis: row[14], inference: row[15]}`

// typeLabels is ":Actor:Place:..." for a REMOVE clause.
func typeLabels() string {
	var b strings.Builder
	for _, t := range coop.EntityTypes {
		b.WriteString(":" + string(t))
	}
	return b.String()
}

// cypherCreateEntity is the fast path for freshly generated data.
const cypherCreateEntity = `UNWIND $rows AS row
CREATE (n:Entity:%s)
SET n = row, n.version = 1
RETURN count(n), []`

// cypherAddEntity only creates: an entity already stored, or merged away
// (a redirect holds its id), is left as it is. For the seed, which must
// never undo what editors did since it was first loaded.
const cypherAddEntity = `UNWIND $rows AS row
OPTIONAL MATCH (gone:Redirect {id: row.id})
WITH row WHERE gone IS NULL
MERGE (n:Entity {id: row.id})
WITH n, row, n.version IS NULL AS fresh
FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | SET n = row, n:%s, n.version = 1)
RETURN count(CASE WHEN fresh THEN 1 END), collect(CASE WHEN fresh THEN n.id END)`

// cypherMergeRelationship is per relationship type (from coop.Relations).
const cypherMergeRelationship = `UNWIND $rows AS row
MATCH (a:Entity {id: row[0]})
MATCH (b:Entity {id: row[1]})
MERGE (a)-[r:%s {id: row[2]}]->(b)
WITH r, row, r.version AS v, properties(r) AS old
SET r = ` + relProps + `
WITH r, v, old = r {.*, version: v} AS same
SET r.version = CASE WHEN v IS NULL THEN 1 WHEN same THEN v ELSE v + 1 END
RETURN count(CASE WHEN v IS NULL OR NOT same THEN 1 END)`

// cypherCreateRelationship is the fast path for freshly generated data,
// whose relationship ids are known to be new.
const cypherCreateRelationship = `UNWIND $rows AS row
MATCH (a:Entity {id: row[0]})
MATCH (b:Entity {id: row[1]})
CREATE (a)-[r:%s ` + relProps + `]->(b)
RETURN count(r)`

// cypherAddRelationship only creates, like cypherAddEntity.
const cypherAddRelationship = `UNWIND $rows AS row
MATCH (a:Entity {id: row[0]})
MATCH (b:Entity {id: row[1]})
MERGE (a)-[r:%s {id: row[2]}]->(b)
WITH r, row, r.version IS NULL AS fresh
FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END | SET r = ` + relProps + `, r.version = 1)
RETURN count(CASE WHEN fresh THEN 1 END)`

// relRow lays out a relationship as its Cypher row.
func relRow(r *coop.Relationship) []any {
	p := relationshipProps(r)
	return []any{r.FromID, r.ToID, r.ID, p["status"], p["since"], p["sinceFirst"], p["until"], p["untilLast"],
		p["asOf"], p["role"], p["description"], p["citeSources"], p["citeLocators"], p["citeStatuses"], p["basis"], p["inference"]}
}

// LoadBatch writes one batch of a load in its own transaction, idempotently:
// loading the same records again changes nothing. Records are merged by id,
// one load after the other (MERGE would race on relationships), except in
// Fresh mode, which creates without a lookup or a lock. It returns how many
// records were created or changed.
func (s *Store) LoadBatch(ctx context.Context, ds coop.Dataset, mode coop.LoadMode) (int64, error) {
	entCypher, relCypher := cypherMergeEntity, cypherMergeRelationship
	fresh := mode == coop.LoadFresh
	switch mode {
	case coop.LoadAddOnly:
		entCypher, relCypher = cypherAddEntity, cypherAddRelationship
	case coop.LoadFresh:
		entCypher, relCypher = cypherCreateEntity, cypherCreateRelationship
	}
	var changed int64
	err := s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
		if !fresh {
			if err := run(ctx, tx, cypherLoadLock, nil); err != nil {
				return err
			}
		}
		var err error
		changed, err = writeDataset(ctx, tx, ds, entCypher, relCypher, mode == coop.LoadAddOnly)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("neo4jstore.LoadBatch: %w", err)
	}
	return changed, nil
}

// writeDataset writes the records, then makes the country ties of the
// entities it wrote (all of them when replacing, those it created when
// adding) say what their records say. Fresh loads link countries at the
// end instead (LinkCountries): their batches may come before the countries.
func writeDataset(ctx context.Context, tx neo4j.ManagedTransaction, ds coop.Dataset, entCypher, relCypher string, addOnly bool) (int64, error) {
	byType := map[coop.EntityType][]map[string]any{}
	for _, e := range ds.Entities {
		byType[e.EntityType()] = append(byType[e.EntityType()], entityProps(e))
	}
	byRel := map[coop.RelationType][]any{}
	for _, r := range ds.Relationships {
		byRel[r.Type] = append(byRel[r.Type], relRow(r))
	}
	var changed int64
	written := map[string]bool{}
	for _, t := range coop.EntityTypes {
		n, err := runBatches(ctx, tx, fmt.Sprintf(entCypher, t), byType[t], written)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	var tied []coop.Entity
	for _, e := range ds.Entities {
		if written[e.EntityID()] {
			tied = append(tied, e)
		}
	}
	if err := syncCountryTies(ctx, tx, tied, false); err != nil {
		return 0, err
	}
	if err := linkEntityMentions(ctx, tx, tied); err != nil {
		return 0, err
	}
	n, err := writePassages(ctx, tx, ds.Passages, addOnly)
	if err != nil {
		return 0, err
	}
	changed += n
	for _, rule := range coop.Relations {
		n, err := runBatches(ctx, tx, fmt.Sprintf(relCypher, rule.Type), byRel[rule.Type], nil)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, nil
}

// runBatches runs cypher over rows, loadBatch at a time, summing the count
// each batch returns; into written, when given, go the ids it returns.
func runBatches[Row any](ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []Row, written map[string]bool) (int64, error) {
	var total int64
	for start := 0; start < len(rows); start += loadBatch {
		end := min(start+loadBatch, len(rows))
		res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows[start:end]})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		n, _ := rec.Values[0].(int64)
		total += n
		if written != nil && len(rec.Values) > 1 {
			for _, id := range strs(rec.Values[1]) {
				written[id] = true
			}
		}
	}
	return total, nil
}

func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// collect runs one statement in tx and returns its records.
func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// Contents says what a database holds, so that a command about to add
// invented data or delete everything can say what it would touch.
type Contents struct {
	Entities, Synthetic, Relationships, Changes, Keys int64
}

// Facts are the entities that are not synthetic.
func (c Contents) Facts() int64 { return c.Entities - c.Synthetic }

// Contents counts what the database holds.
func (s *Store) Contents(ctx context.Context) (Contents, error) {
	recs, err := s.read(ctx, `CALL () { MATCH (n:Entity) RETURN count(n) AS entities, count(n.synthetic) AS synthetic }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
CALL () { MATCH (c:Change) RETURN count(c) AS changes }
CALL () { MATCH (k:ApiKey) RETURN count(k) AS keys }
RETURN entities, synthetic, rels, changes, keys`, nil)
	if err != nil {
		return Contents{}, fmt.Errorf("neo4jstore.Contents: %w", err)
	}
	v := func(i int) int64 { n, _ := recs[0].Values[i].(int64); return n }
	return Contents{Entities: v(0), Synthetic: v(1), Relationships: v(2), Changes: v(3), Keys: v(4)}, nil
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

// DeleteAll deletes every node and relationship, in transactions of 20,000
// so that millions fit in memory and no transaction outlives the server's
// timeout: relationships first, so that deleting a hub does not hold all its
// ties in one transaction. For benchmarks and tests.
func (s *Store) DeleteAll(ctx context.Context) error {
	for _, cypher := range []string{
		"MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r RETURN count(*)",
		"MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*)",
	} {
		for {
			var deleted int64
			err := s.write(ctx, time.Minute, func(tx neo4j.ManagedTransaction) error {
				res, err := tx.Run(ctx, cypher, nil)
				if err != nil {
					return err
				}
				rec, err := res.Single(ctx)
				if err != nil {
					return err
				}
				deleted, _ = rec.Values[0].(int64)
				return nil
			})
			if err != nil {
				return fmt.Errorf("neo4jstore.DeleteAll: %w", err)
			}
			if deleted == 0 {
				break
			}
		}
	}
	return nil
}

// The seed is applied once per version: its hash is recorded, and a seed
// already applied is not loaded again, so that entities merged, ties
// deleted and fields edited since stay as editors left them.
const (
	cypherSeedApplied = `MATCH (s:CoopgraphSeed {hash: $hash}) RETURN s.at`
	cypherMarkSeed    = `MERGE (s:CoopgraphSeed {hash: $hash}) ON CREATE SET s.at = datetime()`
)

// SeedApplied reports whether the seed with this hash was loaded before.
func (s *Store) SeedApplied(ctx context.Context, hash string) (bool, error) {
	recs, err := s.read(ctx, cypherSeedApplied, map[string]any{"hash": hash})
	if err != nil {
		return false, fmt.Errorf("neo4jstore.SeedApplied: %w", err)
	}
	return len(recs) > 0, nil
}

// MarkSeedApplied records that the seed with this hash was loaded.
func (s *Store) MarkSeedApplied(ctx context.Context, hash string) error {
	err := s.write(ctx, s.timeout, func(tx neo4j.ManagedTransaction) error {
		return run(ctx, tx, cypherMarkSeed, map[string]any{"hash": hash})
	})
	if err != nil {
		return fmt.Errorf("neo4jstore.MarkSeedApplied: %w", err)
	}
	return nil
}
