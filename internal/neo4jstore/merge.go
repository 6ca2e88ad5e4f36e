package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// A merge's statements; %s is a type from coop.Relations.
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

// MergeEntities implements coop.Curator: coop says what a merge means
// (CheckMerge, PlanTieMoves, Absorb); this carries it out in one transaction.
func (s *Store) MergeEntities(ctx context.Context, keepID, removeID string, ed coop.Edit) (coop.Written[coop.Entity], error) {
	if err := coop.CheckMergeIDs(keepID, removeID); err != nil {
		return coop.Written[coop.Entity]{}, err
	}
	return writeTx(ctx, s, "MergeEntities", func(tx neo4j.ManagedTransaction, out *coop.Written[coop.Entity]) error {
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
		if err := coop.CheckMerge(keep, remove); err != nil {
			return err
		}
		before := "[" + dataset.EntityJSON(keep) + "," + dataset.EntityJSON(remove) + "]"
		kept, err := tiesOf(ctx, tx, keepID)
		if err != nil {
			return err
		}
		removed, err := tiesOf(ctx, tx, removeID)
		if err != nil {
			return err
		}
		moves, err := coop.PlanTieMoves(keepID, removeID, kept.ties, removed.ties)
		if err != nil {
			return err
		}
		if err := moveTies(ctx, tx, keepID, moves, removed.props); err != nil {
			return err
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
			if x.EntityID() != keepID { // keep's own field is fixed by Absorb
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
		coop.Absorb(keep, remove, ed.Citations)
		kb := keep.EntityBase()
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
		logged.Reason = moves.Reason(ed.Reason)
		c, err := logChange(ctx, tx, logged, coop.Change{Action: coop.ActionMerge, Target: coop.TargetEntity, TargetID: keepID,
			EntityIDs: []string{keepID, removeID}, Before: before, After: dataset.EntityJSON(keep)})
		if err != nil {
			return err
		}
		*out = coop.Written[coop.Entity]{Value: keep, Change: c}
		return nil
	})
}

// storedTies is an entity's ties as a merge sees them, and each one's
// stored properties by id, which a moved tie takes along.
type storedTies struct {
	ties  []coop.Tie
	props map[string]map[string]any
}

func tiesOf(ctx context.Context, tx neo4j.ManagedTransaction, id string) (storedTies, error) {
	recs, err := collect(ctx, tx, cypherTiesOf, map[string]any{"id": id})
	if err != nil {
		return storedTies{}, err
	}
	out := storedTies{props: map[string]map[string]any{}}
	for _, rec := range recs {
		rel := rec.Values[0].(neo4j.Relationship)
		p := props(rel.Props)
		out.ties = append(out.ties, coop.Tie{ID: p.str("id"), Type: coop.RelationType(rel.Type), Out: rec.Values[1].(bool),
			Other: rec.Values[2].(string), Citations: p.citations(), Status: coop.Status(p.str("status")), Version: p.version()})
		out.props[p.str("id")] = rel.Props
	}
	return out, nil
}

// moveTies carries out a merge's tie moves, type by type (the type is part
// of Cypher's pattern, so each comes from coop.Relations): the old ties are
// deleted first, as their ids are unique per type, then recreated at the
// kept end with their stored properties.
func moveTies(ctx context.Context, tx neo4j.ManagedTransaction, keepID string, m coop.TieMoves, stored map[string]map[string]any) error {
	type rows struct{ folds, out, in []map[string]any }
	byType := map[coop.RelationType]*rows{}
	of := func(t coop.RelationType) *rows {
		if byType[t] == nil {
			byType[t] = &rows{}
		}
		return byType[t]
	}
	for _, f := range m.Folds {
		row := map[string]any{"id": f.ID, "version": f.Version, "status": string(f.Status)}
		citationProps(row, f.Citations)
		of(f.Type).folds = append(of(f.Type).folds, row)
	}
	for _, tie := range m.Moved {
		row := map[string]any{"other": tie.Other, "props": stored[tie.ID]}
		if r := of(tie.Type); tie.Out {
			r.out = append(r.out, row)
		} else {
			r.in = append(r.in, row)
		}
	}
	for _, rule := range coop.Relations {
		t := rule.Type
		if len(m.Deleted[t]) > 0 {
			if err := run(ctx, tx, fmt.Sprintf(cypherDeleteTies, t), map[string]any{"ids": m.Deleted[t]}); err != nil {
				return err
			}
		}
		r := byType[t]
		if r == nil {
			continue
		}
		for _, step := range []struct {
			cypher string
			rows   []map[string]any
		}{{cypherFoldTies, r.folds}, {cypherMoveOut, r.out}, {cypherMoveIn, r.in}} {
			if len(step.rows) == 0 {
				continue
			}
			if err := run(ctx, tx, fmt.Sprintf(step.cypher, t), map[string]any{"keep": keepID, "rows": step.rows}); err != nil {
				return err
			}
		}
	}
	return nil
}
