package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

var _ coop.Curator = (*Store)(nil)

// Writes lock what they change before reading it (SET then REMOVE of a
// dummy property takes Neo4j's write lock and leaves nothing behind), so
// that the version they compare is the latest committed one, and two
// concurrent updates of one entity run one after the other.
const (
	cypherLockEntity = `MATCH (n:Entity {id: $id}) SET n._lock = true REMOVE n._lock RETURN count(n)`
	cypherGetEntity  = `MATCH (n:Entity {id: $id}) RETURN n`
	cypherGetMany    = `UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n`
	// Referenced entities are locked too (in id order, so that writes lock
	// alike), so that none is merged away or deleted before the write commits.
	cypherLockMany = `UNWIND $ids AS id MATCH (n:Entity {id: id}) SET n._lock = true REMOVE n._lock RETURN count(n)`
	cypherRedirect = `MATCH (r:Redirect {id: $id}) RETURN r.to`
	// %s is a label from coop.EntityTypes.
	cypherCreateNode = `CREATE (n:Entity:%s) SET n = $props, n.version = 1`
	cypherUpdateNode = `MATCH (n:Entity {id: $id}) SET n = $props, n.version = $version`
	// %s is a type from coop.Relations.
	cypherLockRel = `MATCH ()-[r:%s {id: $id}]->() SET r._lock = true REMOVE r._lock RETURN count(r)`
	// MERGE on a unique key holds the key's lock to the end of the
	// transaction, deleted node or not: the node itself never stays.
	cypherLockRelID = `MERGE (l:RelationshipIdLock {id: $id}) DELETE l`
	cypherGetRel    = `MATCH (a:Entity)-[r:%s {id: $id}]->(b:Entity) RETURN r, a, b`
	cypherCreateRel = `MATCH (a:Entity {id: $from}) MATCH (b:Entity {id: $to})
CREATE (a)-[r:%s]->(b) SET r = $props, r.version = 1
RETURN count(r)`
	cypherUpdateRel = `MATCH ()-[r:%s {id: $id}]->() SET r = $props, r.version = $version`
	// A symmetric tie is stored once: one between the two in either direction is a twin.
	cypherSymmetricTwin = `MATCH (:Entity {id: $a})-[r:%s]-(:Entity {id: $b}) RETURN r.id LIMIT 1`
	cypherDeleteRel     = `MATCH ()-[r:%s {id: $id}]->() DELETE r`
)

// cypherRelType finds which type holds a relationship id: one index seek
// per allow-listed type.
var cypherRelType = func() string {
	parts := make([]string, len(coop.Relations))
	for i, r := range coop.Relations {
		parts[i] = fmt.Sprintf("  MATCH ()-[r:%s {id: $id}]->() RETURN type(r) AS type", r.Type)
	}
	return "CALL () {\n" + strings.Join(parts, "\n  UNION ALL\n") + "\n}\nRETURN type LIMIT 1"
}()

// curate runs one write. A create that races another create of the same id
// loses on the uniqueness constraint; running it once more finds the
// winner's record and answers as a retry would.
func (s *Store) curate(ctx context.Context, work func(tx neo4j.ManagedTransaction) error) error {
	err := s.write(ctx, s.timeout, work)
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		err = s.write(ctx, s.timeout, work)
	}
	return err
}

func one(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// lockEntity locks and reads an entity; nil when there is none.
func lockEntity(ctx context.Context, tx neo4j.ManagedTransaction, id string) (coop.Entity, error) {
	if err := run(ctx, tx, cypherLockEntity, map[string]any{"id": id}); err != nil {
		return nil, err
	}
	rec, err := one(ctx, tx, cypherGetEntity, map[string]any{"id": id})
	if err != nil || rec == nil {
		return nil, err
	}
	return entityFromNode(rec.Values[0].(neo4j.Node))
}

// missingEntity explains why id names no entity: it was merged, or never was.
func missingEntity(ctx context.Context, tx neo4j.ManagedTransaction, field, id string) error {
	rec, err := one(ctx, tx, cypherRedirect, map[string]any{"id": id})
	if err != nil {
		return err
	}
	if rec != nil {
		return coop.NotFoundf(field, "%q was merged into %q; write to that one", id, rec.Values[0])
	}
	return coop.NotFoundf(field, "there is no entity %q", id)
}

// lockRelationship locks and reads a relationship; nil when there is none.
func lockRelationship(ctx context.Context, tx neo4j.ManagedTransaction, id string) (*coop.Relationship, error) {
	rec, err := one(ctx, tx, cypherRelType, map[string]any{"id": id})
	if err != nil || rec == nil {
		return nil, err
	}
	rule, ok := coop.RuleFor(coop.RelationType(rec.Values[0].(string)))
	if !ok {
		return nil, fmt.Errorf("relationship %q has a type outside the allow-list", id)
	}
	if err := run(ctx, tx, fmt.Sprintf(cypherLockRel, rule.Type), map[string]any{"id": id}); err != nil {
		return nil, err
	}
	rec, err = one(ctx, tx, fmt.Sprintf(cypherGetRel, rule.Type), map[string]any{"id": id})
	if err != nil || rec == nil {
		return nil, err
	}
	from, err := entityFromNode(rec.Values[1].(neo4j.Node))
	if err != nil {
		return nil, err
	}
	to, err := entityFromNode(rec.Values[2].(neo4j.Node))
	if err != nil {
		return nil, err
	}
	return relationshipFromNeo4j(rec.Values[0].(neo4j.Relationship), from, to), nil
}

// checkReferences looks up, inside the write, what e or r refers to.
func checkReferences(ctx context.Context, tx neo4j.ManagedTransaction, e coop.Entity, r *coop.Relationship) error {
	var ids []string
	cites := coop.CitationsOf(e, r)
	if country := coop.CountryOf(e); country != "" {
		ids = append(ids, country)
	}
	if r != nil {
		ids = append(ids, r.FromID, r.ToID)
	}
	for _, c := range cites {
		ids = append(ids, c.SourceID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if err := run(ctx, tx, cypherLockMany, map[string]any{"ids": ids}); err != nil {
		return err
	}
	res, err := tx.Run(ctx, cypherGetMany, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	found := map[string]coop.Entity{}
	for _, rec := range recs {
		x, err := entityFromNode(rec.Values[0].(neo4j.Node))
		if err != nil {
			return err
		}
		found[x.EntityID()] = x
	}
	inGraph := coop.Lookup{Get: func(id string) (coop.Entity, bool) { x, ok := found[id]; return x, ok }, Where: coop.InTheGraph}
	problems := coop.CheckReferences(e, r, inGraph)
	sources := make([]string, 0, len(cites))
	for _, c := range cites {
		sources = append(sources, c.SourceID)
	}
	recs, err = collect(ctx, tx, cypherLocatorsOf, map[string]any{"sources": sources})
	if err != nil {
		return err
	}
	locators := locatorMap(recs)
	for i, c := range cites {
		if ls := locators[c.SourceID]; len(ls) > 0 && !slices.Contains(ls, c.Locator) {
			problems = append(problems, coop.NoPassage(i, c, inGraph))
		}
	}
	return problems.Err()
}

// lockCurrentEntity locks and reads the entity a write changes: NOT_FOUND
// when there is none, CONFLICT when version (0: any) is not its version.
func lockCurrentEntity(ctx context.Context, tx neo4j.ManagedTransaction, id string, version int64) (coop.Entity, error) {
	current, err := lockEntity(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if current == nil {
		return nil, missingEntity(ctx, tx, "id", id)
	}
	if version != 0 && current.EntityBase().Version != version {
		return nil, staleVersion(string(current.EntityType()), id, current.EntityBase().Version, version)
	}
	return current, nil
}

// lockCurrentRelationship is lockCurrentEntity for relationships.
func lockCurrentRelationship(ctx context.Context, tx neo4j.ManagedTransaction, id string, version int64) (*coop.Relationship, error) {
	current, err := lockRelationship(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if current == nil {
		return nil, coop.NotFoundf("id", "there is no relationship %q", id)
	}
	if version != 0 && current.Version != version {
		return nil, staleVersion("relationship", id, current.Version, version)
	}
	return current, nil
}

// logChange adds c to the audit trail, with the edit's author, evidence,
// reason and request id, and returns it as recorded.
func logChange(ctx context.Context, tx neo4j.ManagedTransaction, ed coop.Edit, c coop.Change) (*coop.Change, error) {
	c.Who, c.Citations, c.Reason, c.RequestID = ed.Author.Who(), ed.Citations, ed.Reason, ed.RequestID
	if err := recordChange(ctx, tx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func staleVersion(what, id string, stored, given int64) error {
	return coop.Conflictf("expectedVersion", "%s %q is at version %d, not %d: someone changed it since you read it; read it again and reapply your change",
		what, id, stored, given)
}

// writeTx runs one write through curate: work fills out, which a retried
// transaction starts afresh, and the error names the operation.
func writeTx[T any](ctx context.Context, s *Store, op string, work func(tx neo4j.ManagedTransaction, out *coop.Written[T]) error) (coop.Written[T], error) {
	var out coop.Written[T]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[T]{}
		return work(tx, &out)
	})
	if err != nil {
		return coop.Written[T]{}, fmt.Errorf("neo4jstore.%s: %w", op, err)
	}
	return out, nil
}
