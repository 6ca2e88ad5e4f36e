package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// exportEntities are the entity queries in export order (see
// dataset.ExportOrder), each paged by id.
var exportEntities = []string{
	`MATCH (n:Entity:Source) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $n`,
	`MATCH (n:Entity:Actor) WHERE n.id > $after AND n.kind = 'COUNTRY' RETURN n ORDER BY n.id LIMIT $n`,
	`MATCH (n:Entity) WHERE n.id > $after AND NOT n:Source AND NOT (n:Actor AND n.kind = 'COUNTRY') RETURN n ORDER BY n.id LIMIT $n`,
}

// cypherExportRelationships pages one relationship type by id (%s from
// coop.Relations), using that type's id index.
const cypherExportRelationships = `MATCH (a:Entity)-[r:%s]->(b:Entity) WHERE r.id > $after
RETURN r, a.id, b.id ORDER BY r.id LIMIT $n`

// EachEntity calls f with every entity in export order, batch at a time.
func (s *Store) EachEntity(ctx context.Context, batch int, f func([]coop.Entity) error) error {
	for _, cypher := range exportEntities {
		after := ""
		for {
			recs, err := s.read(ctx, cypher, map[string]any{"after": after, "n": int64(batch)})
			if err != nil {
				return fmt.Errorf("neo4jstore.EachEntity: %w", err)
			}
			if len(recs) == 0 {
				break
			}
			out := make([]coop.Entity, 0, len(recs))
			for _, rec := range recs {
				e, err := entityFromNode(rec.Values[0].(neo4j.Node))
				if err != nil {
					return fmt.Errorf("neo4jstore.EachEntity: %w", err)
				}
				out = append(out, e)
			}
			if err := f(out); err != nil {
				return err
			}
			after = out[len(out)-1].EntityID()
		}
	}
	return nil
}

// EachRelationship calls f with every relationship, type by type in
// allow-list order and by id within a type, batch at a time. Ends are given
// by id only.
func (s *Store) EachRelationship(ctx context.Context, batch int, f func([]*coop.Relationship) error) error {
	for _, rule := range coop.Relations {
		after := ""
		for {
			recs, err := s.read(ctx, fmt.Sprintf(cypherExportRelationships, rule.Type), map[string]any{"after": after, "n": int64(batch)})
			if err != nil {
				return fmt.Errorf("neo4jstore.EachRelationship: %w", err)
			}
			if len(recs) == 0 {
				break
			}
			out := make([]*coop.Relationship, 0, len(recs))
			for _, rec := range recs {
				r := relationshipFromNeo4j(rec.Values[0].(neo4j.Relationship), nil, nil)
				r.FromID, r.ToID = rec.Values[1].(string), rec.Values[2].(string)
				out = append(out, r)
			}
			if err := f(out); err != nil {
				return err
			}
			after = out[len(out)-1].ID
		}
	}
	return nil
}
