package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// CreateRelationship implements coop.Curator.
func (s *Store) CreateRelationship(ctx context.Context, r *coop.Relationship, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	rule, ok := coop.RuleFor(r.Type)
	if !ok {
		return coop.Written[*coop.Relationship]{}, coop.Invalidf("type", "%q is not a relationship type", r.Type)
	}
	if err := coop.WrittenThroughField(r.Type, "type"); err != nil {
		return coop.Written[*coop.Relationship]{}, err
	}
	if err := coop.ReservedTieID(r.ID, "id"); err != nil {
		return coop.Written[*coop.Relationship]{}, err
	}
	return writeTx(ctx, s, "CreateRelationship", func(tx neo4j.ManagedTransaction, out *coop.Written[*coop.Relationship]) error {
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
		*out = coop.Written[*coop.Relationship]{Value: r, Created: true, Change: c}
		return nil
	})
}

// UpdateRelationship implements coop.Curator.
func (s *Store) UpdateRelationship(ctx context.Context, id string, version int64, edit coop.RelationshipEdit, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	return writeTx(ctx, s, "UpdateRelationship", func(tx neo4j.ManagedTransaction, out *coop.Written[*coop.Relationship]) error {
		current, err := lockEditableRelationship(ctx, tx, id, version)
		if err != nil {
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
		*out = coop.Written[*coop.Relationship]{Value: next, Change: c}
		return nil
	})
}

// DeleteRelationship implements coop.Curator.
func (s *Store) DeleteRelationship(ctx context.Context, id string, version int64, ed coop.Edit) (coop.Written[*coop.Relationship], error) {
	return writeTx(ctx, s, "DeleteRelationship", func(tx neo4j.ManagedTransaction, out *coop.Written[*coop.Relationship]) error {
		current, err := lockEditableRelationship(ctx, tx, id, version)
		if err != nil {
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
		*out = coop.Written[*coop.Relationship]{Value: current, Change: c}
		return nil
	})
}

// lockEditableRelationship is lockCurrentRelationship for a relationship
// an editor changes by hand: not one a field stands for (a country tie).
func lockEditableRelationship(ctx context.Context, tx neo4j.ManagedTransaction, id string, version int64) (*coop.Relationship, error) {
	current, err := lockCurrentRelationship(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	if err := coop.WrittenThroughField(current.Type, "id"); err != nil {
		return nil, err
	}
	return current, nil
}
