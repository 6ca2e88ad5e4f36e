package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/sync/errgroup"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// A bulk load writes a graph into an empty database with Neo4j's offline
// importer (package bulkload) instead of Cypher: the functions here say
// what the online load would have written, property for property, so that
// the two ways give the same graph, and finish the database once the
// importer is done.

// relRowKeys names the values of relRow after the two ends, in order: the
// keys of relProps, the map the online load sets on a relationship.
var relRowKeys = []string{"id", "status", "since", "sinceFirst", "until", "untilLast", "asOf", "role", "description",
	"citeSources", "citeLocators", "citeStatuses", "basis", "inference"}

// BulkProperty is one property of a node or relationship a bulk load
// writes.
type BulkProperty struct {
	Key   string
	Value any
}

// bulkProperties lists the properties of p that are not nil (SET n = row
// stores none of those), by key.
func bulkProperties(p map[string]any, extra ...BulkProperty) []BulkProperty {
	out := make([]BulkProperty, 0, len(p)+len(extra))
	for k, v := range p {
		if v != nil {
			out = append(out, BulkProperty{k, v})
		}
	}
	out = append(out, extra...)
	slices.SortFunc(out, func(a, b BulkProperty) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// BulkEntity returns the labels and the properties of the node a load
// creates for a new entity.
func BulkEntity(e coop.Entity) (labels []string, props []BulkProperty) {
	return []string{labelEntity, string(e.EntityType())}, bulkProperties(entityProps(e), BulkProperty{"version", int64(1)})
}

// BulkRelationship returns the properties of the relationship a load
// creates for a new relationship, in relRowKeys order: in coop.LoadFresh
// mode (gen) without a version, as cypherCreateRelationship writes it;
// otherwise at version 1, as cypherMergeRelationship does.
func BulkRelationship(r *coop.Relationship, fresh bool) []BulkProperty {
	row := relRow(r)[2:]
	out := make([]BulkProperty, 0, len(relRowKeys)+1)
	for i, k := range relRowKeys {
		if row[i] != nil {
			out = append(out, BulkProperty{k, row[i]})
		}
	}
	if !fresh {
		out = append(out, BulkProperty{"version", int64(1)})
	}
	return out
}

// BulkCountryTie returns the IN_COUNTRY tie the online load makes for an
// entity (syncCountryTies), and its properties; nil when it has none.
func BulkCountryTie(e coop.Entity) (*coop.Relationship, []BulkProperty) {
	tie := coop.CountryTie(e)
	if tie == nil {
		return nil, nil
	}
	return tie, bulkProperties(relationshipProps(tie), BulkProperty{"version", int64(1)})
}

// bulkSetBatch is how many nodes or relationships one statement of
// SetBulkProperties changes.
const bulkSetBatch = 10000

// SetBulkProperties sets props on the entities (relType empty) or the
// relationships of type relType with these ids, which must all be there.
// The offline importer cannot write some values the online load stores
// (an empty list, a list of one empty string): the bulk load sets them
// this way afterwards. Needs the schema: ids are looked up by index.
func (s *Store) SetBulkProperties(ctx context.Context, relType coop.RelationType, ids []string, props map[string]any) error {
	cypher := `UNWIND $ids AS id MATCH (n:Entity {id: id}) SET n += $props RETURN count(n)`
	if relType != "" {
		if !relType.Valid() {
			return fmt.Errorf("neo4jstore.SetBulkProperties: %q is not a relationship type", relType)
		}
		cypher = `UNWIND $ids AS id MATCH ()-[n:` + string(relType) + ` {id: id}]->() SET n += $props RETURN count(n)`
	}
	// Two transactions at a time: the batches touch different records.
	var g errgroup.Group
	g.SetLimit(2)
	for start := 0; start < len(ids); start += bulkSetBatch {
		batch := ids[start:min(start+bulkSetBatch, len(ids))]
		g.Go(func() error {
			var found int64
			err := s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
				res, err := tx.Run(ctx, cypher, map[string]any{"ids": batch, "props": props})
				if err != nil {
					return err
				}
				rec, err := res.Single(ctx)
				if err != nil {
					return err
				}
				found, _ = rec.Values[0].(int64)
				return nil
			})
			if err != nil {
				return fmt.Errorf("neo4jstore.SetBulkProperties: %w", err)
			}
			if found != int64(len(batch)) {
				return fmt.Errorf("neo4jstore.SetBulkProperties: found %d of %d records to complete", found, len(batch))
			}
			return nil
		})
	}
	return g.Wait()
}

// BeginBulkSchema readies a database the offline importer just wrote for
// the rest of a bulk load: it records that the graph is at GraphVersion
// (the importer wrote it in the current layout, so no migration is due),
// leaves the load lock node the online load leaves when it made country
// ties, and creates the constraint on entities' ids, so that
// SetBulkProperties can find entities before AwaitBulkSchema creates the
// rest of the schema. Call ApplySchema when the load is complete.
func (s *Store) BeginBulkSchema(ctx context.Context, countryTies bool) error {
	err := s.write(ctx, time.Minute, func(tx neo4j.ManagedTransaction) error {
		if err := run(ctx, tx, cypherSetGraphVersion, map[string]any{"version": int64(GraphVersion)}); err != nil {
			return err
		}
		if countryTies {
			return run(ctx, tx, cypherLoadLock, nil)
		}
		return nil
	})
	if err == nil {
		err = errors.New("no constraint entity_id in the schema")
		for _, stmt := range schemaStatements() {
			if strings.HasPrefix(stmt, "CREATE CONSTRAINT entity_id ") {
				err = s.schema(ctx, []string{stmt})
			}
		}
	}
	if err != nil {
		return fmt.Errorf("neo4jstore.BeginBulkSchema: %w", err)
	}
	return nil
}

// schema runs schema statements, each in a transaction of its own.
func (s *Store) schema(ctx context.Context, stmts []string) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db})
	defer sess.Close(context.WithoutCancel(ctx))
	for _, stmt := range stmts {
		res, err := sess.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return classify(ctx, err)
		}
	}
	return nil
}

// AwaitBulkSchema creates the constraints and indexes and waits, up to
// wait, for every index to be populated, telling progress how far they
// are (a percentage) every second or so.
func (s *Store) AwaitBulkSchema(ctx context.Context, wait time.Duration, progress func(done float64)) error {
	if err := s.schema(ctx, schemaStatements()); err != nil {
		return fmt.Errorf("neo4jstore.AwaitBulkSchema: %w", err)
	}
	// db.awaitIndexes would outlive the server's transaction timeout on a
	// large graph: the state of the indexes is polled instead.
	deadline := time.Now().Add(wait)
	for {
		recs, err := s.read(ctx, `SHOW INDEXES YIELD name, state, populationPercent RETURN name, state, populationPercent`, nil)
		if err != nil {
			return fmt.Errorf("neo4jstore.AwaitBulkSchema: %w", err)
		}
		online, done := 0, 0.0
		for _, rec := range recs {
			name, _ := rec.Values[0].(string)
			state, _ := rec.Values[1].(string)
			pct, _ := rec.Values[2].(float64)
			switch state {
			case "ONLINE":
				online++
				pct = 100
			case "FAILED":
				return fmt.Errorf("neo4jstore.AwaitBulkSchema: index %s failed to populate", name)
			}
			done += pct / float64(len(recs))
		}
		if progress != nil {
			progress(done)
		}
		if online == len(recs) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("neo4jstore.AwaitBulkSchema: the indexes are not populated after %s (%.0f%% done)", wait, done)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
