package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// Writes of entities: create, update (and the kind rules an update must keep), delete.

// CreateEntity implements coop.Curator.
func (s *Store) CreateEntity(ctx context.Context, e coop.Entity, ed coop.Edit) (coop.Written[coop.Entity], error) {
	return writeTx(ctx, s, "CreateEntity", func(tx neo4j.ManagedTransaction, out *coop.Written[coop.Entity]) error {
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
		*out = coop.Written[coop.Entity]{Value: e, Created: true, Change: c}
		return nil
	})
}

// UpdateEntity implements coop.Curator.
func (s *Store) UpdateEntity(ctx context.Context, id string, version int64, action coop.Action, edit coop.EntityEdit, ed coop.Edit) (coop.Written[coop.Entity], error) {
	return writeTx(ctx, s, "UpdateEntity", func(tx neo4j.ManagedTransaction, out *coop.Written[coop.Entity]) error {
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
		*out = coop.Written[coop.Entity]{Value: next, Change: c}
		return nil
	})
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

// Country ties are not counted here: its own goes with it (it is its
// country field), and those of others are cypherUsedAs's.
var cypherDegree = `MATCH (n:Entity {id: $id}) RETURN ` + tieDegree("n") + ` - COUNT { (n)-[:` + string(coop.RelInCountry) + `]-() }`

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
	return writeTx(ctx, s, "DeleteEntity", func(tx neo4j.ManagedTransaction, out *coop.Written[coop.Entity]) error {
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
		*out = coop.Written[coop.Entity]{Value: current, Change: c}
		return nil
	})
}
