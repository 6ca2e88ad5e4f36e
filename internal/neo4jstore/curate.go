package neo4jstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
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
	var cites []coop.Citation
	if e != nil {
		cites = e.EntityBase().Citations
		switch x := e.(type) {
		case *coop.Actor:
			ids = append(ids, x.CountryID)
		case *coop.Place:
			ids = append(ids, x.CountryID)
		}
	} else {
		cites = r.Citations
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
	if err := coop.CheckReferences(e, r, func(id string) (coop.Entity, bool) { x, ok := found[id]; return x, ok }); err != nil {
		return err
	}
	// A source with passages is cited by them.
	sources := make([]string, 0, len(cites))
	for _, c := range cites {
		sources = append(sources, c.SourceID)
	}
	recs, err = collect(ctx, tx, cypherLocatorsOf, map[string]any{"sources": sources})
	if err != nil {
		return err
	}
	locators := locatorMap(recs)
	for _, c := range cites {
		if ls := locators[c.SourceID]; len(ls) > 0 && !slices.Contains(ls, c.Locator) {
			return coop.Invalidf("citations", "%q has no passage %q: cite one of its passages (Source.passages lists them)", c.SourceID, c.Locator)
		}
	}
	return nil
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

// checkKindChange refuses a new actor kind that a stored tie's rule does
// not allow, or that takes COUNTRY from an actor others name as country.
func checkKindChange(ctx context.Context, tx neo4j.ManagedTransaction, current, next coop.Entity) error {
	was, ok := current.(*coop.Actor)
	if !ok || was.Kind == next.(*coop.Actor).Kind {
		return nil
	}
	id := current.EntityID()
	if was.Kind == coop.ActorCountry {
		rec, err := one(ctx, tx, cypherUsedAs, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if n, _ := rec.Values[0].(int64); n > 0 {
			return coop.Invalidf("kind", "%d actors or places name %q as their country: it must stay a COUNTRY", n, id)
		}
	}
	recs, err := collect(ctx, tx, cypherTiesOf, map[string]any{"id": id})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		rel := rec.Values[0].(neo4j.Relationship)
		rule, ok := coop.RuleFor(coop.RelationType(rel.Type))
		if !ok {
			continue
		}
		other, err := entityFromNode(rec.Values[3].(neo4j.Node))
		if err != nil {
			return err
		}
		from, to := next, other
		if !rec.Values[1].(bool) {
			from, to = other, next
		}
		if err := rule.Check(from, to); err != nil {
			return coop.Invalidf("kind", "relationship %q would break its rule: %v", props(rel.Props).str("id"), err)
		}
	}
	return nil
}

// CreateEntity implements coop.Curator.
func (s *Store) CreateEntity(ctx context.Context, e coop.Entity, ed coop.Edit) (coop.Written[coop.Entity], error) {
	var out coop.Written[coop.Entity]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[coop.Entity]{}
		id := e.EntityID()
		if rec, err := one(ctx, tx, cypherRedirect, map[string]any{"id": id}); err != nil {
			return err
		} else if rec != nil {
			return coop.Conflictf("id", "%q was merged into %q and cannot be used again", id, rec.Values[0])
		}
		current, err := lockEntity(ctx, tx, id)
		if err != nil {
			return err
		}
		if current != nil {
			if current.EntityType() == e.EntityType() && dataset.EntityJSON(current) == dataset.EntityJSON(e) {
				out.Value = current // a retry of the same create
				return nil
			}
			return coop.Conflictf("id", "%q is already used by a different %s: update it, or choose another id", id, current.EntityType())
		}
		if err := checkReferences(ctx, tx, e, nil); err != nil {
			return err
		}
		label, ok := entityLabel(e.EntityType())
		if !ok {
			return fmt.Errorf("unknown entity type %q", e.EntityType())
		}
		if err := run(ctx, tx, fmt.Sprintf(cypherCreateNode, label), map[string]any{"props": entityProps(e)}); err != nil {
			return err
		}
		if err := syncCountryTies(ctx, tx, []coop.Entity{e}, true); err != nil {
			return err
		}
		if err := linkEntityMentions(ctx, tx, []coop.Entity{e}); err != nil {
			return err
		}
		e.EntityBase().Version = 1
		c, err := logChange(ctx, tx, ed, coop.Change{Action: coop.ActionCreate, Target: coop.TargetEntity, TargetID: id,
			EntityIDs: []string{id}, After: dataset.EntityJSON(e)})
		if err != nil {
			return err
		}
		out = coop.Written[coop.Entity]{Value: e, Created: true, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.CreateEntity: %w", err)
	}
	return out, nil
}

// UpdateEntity implements coop.Curator.
func (s *Store) UpdateEntity(ctx context.Context, id string, version int64, action coop.Action, edit coop.EntityEdit, ed coop.Edit) (coop.Written[coop.Entity], error) {
	var out coop.Written[coop.Entity]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[coop.Entity]{}
		current, err := lockCurrentEntity(ctx, tx, id, version)
		if err != nil {
			return err
		}
		before := dataset.EntityJSON(current)
		next, err := edit(current)
		if err != nil {
			return err
		}
		if next.EntityID() != id || next.EntityType() != current.EntityType() {
			return coop.Invalidf("id", "an update cannot change an entity's id or type")
		}
		after := dataset.EntityJSON(next)
		if after == before {
			out.Value = current // nothing to change
			return nil
		}
		if err := checkReferences(ctx, tx, next, nil); err != nil {
			return err
		}
		if err := checkKindChange(ctx, tx, current, next); err != nil {
			return err
		}
		v := current.EntityBase().Version + 1
		if err := run(ctx, tx, cypherUpdateNode, map[string]any{"id": id, "props": entityProps(next), "version": v}); err != nil {
			return err
		}
		if err := syncCountryTies(ctx, tx, []coop.Entity{next}, false); err != nil {
			return err
		}
		if !slices.EqualFunc(coop.MentionForms(current.EntityBase()), coop.MentionForms(next.EntityBase()), coop.MentionForm.Equal) {
			if err := linkEntityMentions(ctx, tx, []coop.Entity{next}); err != nil {
				return err
			}
		}
		next.EntityBase().Version = v
		c, err := logChange(ctx, tx, ed, coop.Change{Action: action, Target: coop.TargetEntity, TargetID: id,
			EntityIDs: []string{id}, Before: before, After: after})
		if err != nil {
			return err
		}
		out = coop.Written[coop.Entity]{Value: next, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.UpdateEntity: %w", err)
	}
	return out, nil
}

// CreateRelationship implements coop.Curator.
func (s *Store) CreateRelationship(ctx context.Context, r *coop.Relationship, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	var out coop.Written[*coop.Relationship]
	rule, ok := coop.RuleFor(r.Type)
	if !ok {
		return out, coop.Invalidf("type", "%q is not a relationship type", r.Type)
	}
	if err := coop.WrittenThroughField(r.Type, "type"); err != nil {
		return out, err
	}
	if err := coop.ReservedTieID(r.ID, "id"); err != nil {
		return out, err
	}
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[*coop.Relationship]{}
		// A relationship's id is unique across types, which no constraint
		// of Neo4j says: two creates of one id take turns on a lock of the
		// id before either looks for it.
		if err := run(ctx, tx, cypherLockRelID, map[string]any{"id": r.ID}); err != nil {
			return err
		}
		current, err := lockRelationship(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if current != nil {
			if dataset.RelationshipJSON(current) == dataset.RelationshipJSON(r) {
				out.Value = current
				return nil
			}
			return coop.Conflictf("id", "relationship %q already exists and differs: update it, or choose another id", r.ID)
		}
		if rule.Symmetric {
			rec, err := one(ctx, tx, fmt.Sprintf(cypherSymmetricTwin, rule.Type), map[string]any{"a": r.FromID, "b": r.ToID})
			if err != nil {
				return err
			}
			if rec != nil {
				return coop.Conflictf("id", "%s is symmetric and %q already joins these two (as %q): update that one", rule.Type, r.FromID, rec.Values[0])
			}
		}
		for field, id := range map[string]string{"from": r.FromID, "to": r.ToID} {
			if rec, err := one(ctx, tx, cypherRedirect, map[string]any{"id": id}); err != nil {
				return err
			} else if rec != nil {
				return coop.Invalidf(field, "%q was merged into %q; use that id", id, rec.Values[0])
			}
		}
		if err := checkReferences(ctx, tx, nil, r); err != nil {
			return err
		}
		rec, err := one(ctx, tx, fmt.Sprintf(cypherCreateRel, rule.Type), map[string]any{"from": r.FromID, "to": r.ToID, "props": relationshipProps(r)})
		if err != nil {
			return err
		}
		if n, _ := rec.Values[0].(int64); n != 1 {
			return coop.Conflictf("from", "an end of the relationship was merged or deleted meanwhile; read again and retry")
		}
		r.Version = 1
		c, err := logChange(ctx, tx, ed, coop.Change{Action: coop.ActionCreate, Target: coop.TargetRelationship, TargetID: r.ID,
			EntityIDs: []string{r.FromID, r.ToID}, After: dataset.RelationshipJSON(r)})
		if err != nil {
			return err
		}
		out = coop.Written[*coop.Relationship]{Value: r, Created: true, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.CreateRelationship: %w", err)
	}
	return out, nil
}

// UpdateRelationship implements coop.Curator.
func (s *Store) UpdateRelationship(ctx context.Context, id string, version int64, edit coop.RelationshipEdit, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	var out coop.Written[*coop.Relationship]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[*coop.Relationship]{}
		current, err := lockCurrentRelationship(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if err := coop.WrittenThroughField(current.Type, "id"); err != nil {
			return err
		}
		before := dataset.RelationshipJSON(current)
		next, err := edit(current)
		if err != nil {
			return err
		}
		if next.ID != id || next.Type != current.Type || next.FromID != current.FromID || next.ToID != current.ToID {
			return coop.Invalidf("id", "an update cannot change a relationship's id, type or ends: delete it and create another")
		}
		after := dataset.RelationshipJSON(next)
		if after == before {
			out.Value = current
			return nil
		}
		if err := checkReferences(ctx, tx, nil, next); err != nil {
			return err
		}
		v := current.Version + 1
		if err := run(ctx, tx, fmt.Sprintf(cypherUpdateRel, next.Type), map[string]any{"id": id, "props": relationshipProps(next), "version": v}); err != nil {
			return err
		}
		next.Version = v
		c, err := logChange(ctx, tx, ed, coop.Change{Action: coop.ActionUpdate, Target: coop.TargetRelationship, TargetID: id,
			EntityIDs: []string{next.FromID, next.ToID}, Before: before, After: after})
		if err != nil {
			return err
		}
		out = coop.Written[*coop.Relationship]{Value: next, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.UpdateRelationship: %w", err)
	}
	return out, nil
}

// DeleteRelationship implements coop.Curator.
func (s *Store) DeleteRelationship(ctx context.Context, id string, version int64, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	var out coop.Written[*coop.Relationship]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[*coop.Relationship]{}
		current, err := lockCurrentRelationship(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if err := coop.WrittenThroughField(current.Type, "id"); err != nil {
			return err
		}
		if err := run(ctx, tx, fmt.Sprintf(cypherDeleteRel, current.Type), map[string]any{"id": id}); err != nil {
			return err
		}
		c, err := logChange(ctx, tx, ed, coop.Change{Action: coop.ActionDelete, Target: coop.TargetRelationship, TargetID: id,
			EntityIDs: []string{current.FromID, current.ToID}, Before: dataset.RelationshipJSON(current)})
		if err != nil {
			return err
		}
		out = coop.Written[*coop.Relationship]{Value: current, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.DeleteRelationship: %w", err)
	}
	return out, nil
}

// Merging moves relationships type by type (the type is part of Cypher's
// pattern, so each comes from coop.Relations): the old ones are deleted
// first, as their ids are unique per type, then recreated at the kept end.
const (
	cypherTiesOf = `MATCH (x:Entity {id: $id})-[r]-(o:Entity)
RETURN DISTINCT r, startNode(r) = x AS out, o.id, o`
	cypherDeleteTies = `UNWIND $ids AS id MATCH ()-[r:%s {id: id}]->() DELETE r`
	cypherMoveOut    = `MATCH (k:Entity {id: $keep}) UNWIND $rows AS row MATCH (o:Entity {id: row.other})
CREATE (k)-[r:%s]->(o) SET r = row.props`
	cypherMoveIn = `MATCH (k:Entity {id: $keep}) UNWIND $rows AS row MATCH (o:Entity {id: row.other})
CREATE (o)-[r:%s]->(k) SET r = row.props`
	cypherFoldTies = `UNWIND $rows AS row MATCH ()-[r:%s {id: row.id}]->()
SET r.citeSources = row.citeSources, r.citeLocators = row.citeLocators, r.citeStatuses = row.citeStatuses,
  r.status = row.status, r.version = row.version`
	cypherRepointCountry = `MATCH (n:Entity) WHERE n.country = $remove SET n.country = $keep RETURN n`
	// Only when sources merge: citations are lists, which no index serves.
	cypherRepointNodeCites = `MATCH (n:Entity) WHERE $remove IN n.citeSources
WITH n, [i IN range(0, size(n.citeSources) - 1) |
  [CASE n.citeSources[i] WHEN $remove THEN $keep ELSE n.citeSources[i] END, n.citeLocators[i]]] AS pairs
WITH n, reduce(u = [], p IN pairs | CASE WHEN p IN u THEN u ELSE u + [p] END) AS pairs
SET n.citeSources = [p IN pairs | p[0]], n.citeLocators = [p IN pairs | p[1]]`
	cypherRemoveMerged = `MATCH (x:Entity {id: $remove}) DETACH DELETE x
WITH 1 AS done
MATCH (old:Redirect {to: $remove}) SET old.to = $keep`
	cypherCreateRedirect = `MERGE (r:Redirect {id: $remove}) SET r.to = $keep, r.at = datetime()`
)

// MergeEntities implements coop.Curator.
func (s *Store) MergeEntities(ctx context.Context, keepID, removeID string, ed coop.Edit) (coop.Written[coop.Entity], error) {
	var out coop.Written[coop.Entity]
	if keepID == removeID {
		return out, coop.Invalidf("remove", "an entity cannot be merged into itself")
	}
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[coop.Entity]{}
		// Lock in id order, so that two merges of the same pair cannot deadlock.
		ids := []string{keepID, removeID}
		slices.Sort(ids)
		locked := map[string]coop.Entity{}
		for _, id := range ids {
			e, err := lockEntity(ctx, tx, id)
			if err != nil {
				return err
			}
			locked[id] = e
		}
		keep, remove := locked[keepID], locked[removeID]
		if keep == nil {
			return missingEntity(ctx, tx, "keep", keepID)
		}
		if remove == nil {
			return missingEntity(ctx, tx, "remove", removeID)
		}
		if keep.EntityType() != remove.EntityType() {
			return coop.Invalidf("remove", "%q is a %s and %q a %s: only entities of one type merge", keepID, keep.EntityType(), removeID, remove.EntityType())
		}
		if ka, ok := keep.(*coop.Actor); ok && ka.Kind != remove.(*coop.Actor).Kind {
			return coop.Invalidf("remove", "%q is a %s and %q a %s: update one's kind first, so that every moved relationship still fits its rule",
				keepID, ka.Kind, removeID, remove.(*coop.Actor).Kind)
		}
		before := "[" + dataset.EntityJSON(keep) + "," + dataset.EntityJSON(remove) + "]"

		// Move the relationships; ties between the two would become loops and
		// go. A symmetric tie that the kept entity already has with the same
		// other end (a twin, which no write may create) is not moved: its
		// citations join the kept entity's tie.
		keptTies, err := collect(ctx, tx, cypherTiesOf, map[string]any{"id": keepID})
		if err != nil {
			return err
		}
		twinOf := map[string]neo4j.Relationship{} // by type and other end
		for _, rec := range keptTies {
			rel := rec.Values[0].(neo4j.Relationship)
			if rule, ok := coop.RuleFor(coop.RelationType(rel.Type)); ok && rule.Symmetric {
				twinOf[rel.Type+"\x00"+rec.Values[2].(string)] = rel
			}
		}
		recs, err := collect(ctx, tx, cypherTiesOf, map[string]any{"id": removeID})
		if err != nil {
			return err
		}
		type move struct{ out, in []map[string]any }
		moves := map[coop.RelationType]*move{}
		doomed := map[coop.RelationType][]string{}
		folds := map[coop.RelationType][]map[string]any{}
		var dropped, folded []string
		for _, rec := range recs {
			rel := rec.Values[0].(neo4j.Relationship)
			t := coop.RelationType(rel.Type)
			if _, ok := coop.RuleFor(t); !ok {
				return fmt.Errorf("relationship of type %q outside the allow-list", rel.Type)
			}
			id := props(rel.Props).str("id")
			other := rec.Values[2].(string)
			if slices.Contains(doomed[t], id) {
				continue // a loop is matched from both ends
			}
			if rule, _ := coop.RuleFor(t); rule.Managed() {
				continue // kept from fields, which are fixed below; the removed node takes its own along
			}
			doomed[t] = append(doomed[t], id)
			if other == keepID || other == removeID {
				dropped = append(dropped, id)
				continue
			}
			if twin, ok := twinOf[rel.Type+"\x00"+other]; ok {
				tp := props(twin.Props)
				cites := coop.MergeCitations(tp.citations(), props(rel.Props).citations())
				row := map[string]any{}
				citationProps(row, cites)
				row["id"], row["version"] = tp.str("id"), tp.version()+1
				row["status"] = string(coop.Folded(coop.Status(tp.str("status")), coop.Status(props(rel.Props).str("status")), cites))
				folds[t] = append(folds[t], row)
				folded = append(folded, id+" into "+tp.str("id"))
				continue
			}
			if moves[t] == nil {
				moves[t] = &move{}
			}
			row := map[string]any{"other": other, "props": rel.Props}
			if rec.Values[1].(bool) {
				moves[t].out = append(moves[t].out, row)
			} else {
				moves[t].in = append(moves[t].in, row)
			}
		}
		for _, rule := range coop.Relations {
			t := rule.Type
			if len(doomed[t]) > 0 {
				if err := run(ctx, tx, fmt.Sprintf(cypherDeleteTies, t), map[string]any{"ids": doomed[t]}); err != nil {
					return err
				}
			}
			if len(folds[t]) > 0 {
				if err := run(ctx, tx, fmt.Sprintf(cypherFoldTies, t), map[string]any{"rows": folds[t]}); err != nil {
					return err
				}
			}
			if m := moves[t]; m != nil {
				if len(m.out) > 0 {
					if err := run(ctx, tx, fmt.Sprintf(cypherMoveOut, t), map[string]any{"keep": keepID, "rows": m.out}); err != nil {
						return err
					}
				}
				if len(m.in) > 0 {
					if err := run(ctx, tx, fmt.Sprintf(cypherMoveIn, t), map[string]any{"keep": keepID, "rows": m.in}); err != nil {
						return err
					}
				}
			}
		}
		// Everything else that names the removed id.
		ids2 := map[string]any{"keep": keepID, "remove": removeID}
		repointed, err := collect(ctx, tx, cypherRepointCountry, ids2)
		if err != nil {
			return err
		}
		var inCountry []coop.Entity // whose country ties must follow their fields
		for _, rec := range repointed {
			x, err := entityFromNode(rec.Values[0].(neo4j.Node))
			if err != nil {
				return err
			}
			if x.EntityID() != keepID { // keep's own field is fixed below
				inCountry = append(inCountry, x)
			}
		}
		if keep.EntityType() == coop.TypeSource {
			if err := mergePassages(ctx, tx, keepID, removeID); err != nil {
				return err
			}
			if err := run(ctx, tx, cypherRepointNodeCites, ids2); err != nil {
				return err
			}
			if err := repointTieCitations(ctx, tx, keepID, removeID); err != nil {
				return err
			}
		}
		// The kept entity takes the other's names and evidence.
		kb, rb := keep.EntityBase(), remove.EntityBase()
		var names []string
		for _, n := range append([]string{rb.Name}, rb.Aliases...) {
			if n != kb.Name && !slices.Contains(kb.Aliases, n) && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		kb.Aliases = append(kb.Aliases, names...)
		var cites []coop.Citation
		evidence := ed.Citations
		if keep.EntityType() == coop.TypeSource {
			evidence = nil // sources take no citations
		}
		for _, c := range slices.Concat(kb.Citations, rb.Citations, evidence) {
			if c.SourceID == removeID {
				c.SourceID = keepID
			}
			if !slices.Contains(cites, c) {
				cites = append(cites, c)
			}
		}
		kb.Citations = cites
		// The kept entity takes the other's country when it has none, as it
		// takes its description; a country that is the kept entity itself goes.
		switch x := keep.(type) {
		case *coop.Actor:
			x.CountryID = cmp.Or(x.CountryID, coop.CountryOf(remove))
			if x.CountryID == removeID {
				x.CountryID = keepID
			}
			if x.CountryID == keepID {
				x.CountryID = ""
			}
		case *coop.Place:
			x.CountryID = cmp.Or(x.CountryID, coop.CountryOf(remove))
			if x.CountryID == removeID {
				x.CountryID = keepID
			}
		}
		if kb.Description == "" {
			kb.Description = rb.Description
		}
		v := kb.Version + 1
		if err := run(ctx, tx, cypherRemoveMerged, ids2); err != nil {
			return err
		}
		if err := run(ctx, tx, cypherCreateRedirect, ids2); err != nil {
			return err
		}
		if err := run(ctx, tx, cypherUpdateNode, map[string]any{"id": keepID, "props": entityProps(keep), "version": v}); err != nil {
			return err
		}
		if err := syncCountryTies(ctx, tx, append(inCountry, keep), false); err != nil {
			return err
		}
		if err := linkEntityMentions(ctx, tx, []coop.Entity{keep}); err != nil {
			return err
		}
		kb.Version = v
		logged := ed // work may run again on a retry: ed itself stays as given
		if len(dropped) > 0 {
			logged.Reason += fmt.Sprintf(" (dropped %d relationships between the two: %s)", len(dropped), strings.Join(dropped, ", "))
		}
		if len(folded) > 0 {
			logged.Reason += fmt.Sprintf(" (folded %d relationships into the kept entity's same ties: %s)", len(folded), strings.Join(folded, ", "))
		}
		logged.Reason = strings.TrimSpace(logged.Reason)
		c, err := logChange(ctx, tx, logged, coop.Change{Action: coop.ActionMerge, Target: coop.TargetEntity, TargetID: keepID,
			EntityIDs: []string{keepID, removeID}, Before: before, After: dataset.EntityJSON(keep)})
		if err != nil {
			return err
		}
		out = coop.Written[coop.Entity]{Value: keep, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.MergeEntities: %w", err)
	}
	return out, nil
}

// Country ties are not counted here: its own goes with it (it is its
// country field), and those of others are cypherUsedAs's.
var cypherDegree = `MATCH (n:Entity {id: $id}) RETURN COUNT { (n)-[` + allTies + `]-() } - COUNT { (n)-[:` + string(coop.RelInCountry) + `]-() }`

const (
	cypherUsedAs = `MATCH (n:Entity) WHERE n.country = $id RETURN count(n)`
	// A country tie cites what its entity cites: the entity counts once.
	cypherCitedBy = `CALL () { MATCH (n:Entity) WHERE $id IN n.citeSources RETURN count(n) AS c
  UNION ALL MATCH ()-[r]->() WHERE $id IN r.citeSources AND NOT r:` + string(coop.RelInCountry) + ` RETURN count(r) AS c } RETURN sum(c)`
	// A source's passages go with it (and their mentions with them).
	cypherDeleteNd = `MATCH (n:Entity {id: $id}) DETACH DELETE n
WITH 1 AS done
CALL () { MATCH (r:Redirect {to: $id}) DELETE r }
CALL () { MATCH (p:Passage {source: $id}) DETACH DELETE p }`
)

// DeleteEntity implements coop.Curator. Only an entity that nothing refers
// to may go: no relationships, no actor or place in it as a country, no
// fact citing it as a source. Anything else would lose facts; merging is
// how duplicates go.
func (s *Store) DeleteEntity(ctx context.Context, id string, version int64, ed coop.Edit) (coop.Written[coop.Entity], error) {
	var out coop.Written[coop.Entity]
	err := s.curate(ctx, func(tx neo4j.ManagedTransaction) error {
		out = coop.Written[coop.Entity]{}
		current, err := lockCurrentEntity(ctx, tx, id, version)
		if err != nil {
			return err
		}
		checks := []struct{ cypher, what string }{
			{cypherDegree, "relationships: delete them first, or merge the entity into another"},
			{cypherUsedAs, "actors or places in it as their country"},
		}
		if current.EntityType() == coop.TypeSource {
			checks = append(checks, struct{ cypher, what string }{cypherCitedBy, "facts citing it"})
		}
		for _, c := range checks {
			rec, err := one(ctx, tx, c.cypher, map[string]any{"id": id})
			if err != nil {
				return err
			}
			if n, _ := rec.Values[0].(int64); n > 0 {
				return coop.Conflictf("id", "%q has %d %s", id, n, c.what)
			}
		}
		if err := run(ctx, tx, cypherDeleteNd, map[string]any{"id": id}); err != nil {
			return err
		}
		c, err := logChange(ctx, tx, ed, coop.Change{Action: coop.ActionDelete, Target: coop.TargetEntity, TargetID: id,
			EntityIDs: []string{id}, Before: dataset.EntityJSON(current)})
		if err != nil {
			return err
		}
		out = coop.Written[coop.Entity]{Value: current, Change: c}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("neo4jstore.DeleteEntity: %w", err)
	}
	return out, nil
}
