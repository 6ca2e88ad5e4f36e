package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// An actor's or place's country is a field of its record (the property
// country, versioned with the entity and read with it) and, so that every
// traversal and export follows it, the IN_COUNTRY tie coop.CountryTie
// describes. Every write of entities ends with syncCountryTies over the
// entities it wrote, which makes their ties say what their fields say.
// Nothing else writes IN_COUNTRY ties.
//
// A row is an entity's id and, when it has a country, the country's id and
// the tie's properties. Ties of the entity with another id (to another
// country, or left when the field was cleared, or the entity's type
// changed) go; the tie is merged by id and its version moves only when it
// changed. The statement returns how many rows named a country that is not
// there: the field would then say more than the graph, so the write fails.
const cypherSyncCountryTies = `UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
CALL (n, row) {
  MATCH (n)-[old:` + string(coop.RelInCountry) + `]->(:Entity)
  WHERE row.props IS NULL OR old.id <> row.props.id
  DELETE old
}
CALL (n, row) {
  WITH n, row WHERE row.props IS NOT NULL
  OPTIONAL MATCH (c:Entity:Actor {id: row.country})
  CALL (n, c, row) {
    WITH n, c, row WHERE c IS NOT NULL
    MERGE (n)-[t:` + string(coop.RelInCountry) + ` {id: row.props.id}]->(c)
    WITH t, row, t.version AS v, properties(t) AS old
    SET t = row.props
    WITH t, v, old = t {.*, version: v} AS same
    SET t.version = CASE WHEN v IS NULL THEN 1 WHEN same THEN v ELSE v + 1 END
  }
  RETURN c IS NULL AS missing
  UNION ALL
  WITH row WHERE row.props IS NULL
  RETURN false AS missing
}
RETURN count(CASE WHEN missing THEN 1 END)`

// syncCountryTies makes the IN_COUNTRY ties of es say what their country
// fields say: of every entity given (one that is no longer an actor or a
// place loses its tie), or with fresh, which says they are new, of those
// with a country.
func syncCountryTies(ctx context.Context, tx neo4j.ManagedTransaction, es []coop.Entity, fresh bool) error {
	var rows []map[string]any
	for _, e := range es {
		row := map[string]any{"id": e.EntityID(), "props": nil}
		if tie := coop.CountryTie(e); tie != nil {
			row["country"], row["props"] = tie.ToID, relationshipProps(tie)
		} else if fresh {
			continue
		}
		rows = append(rows, row)
	}
	missing, err := runBatches(ctx, tx, cypherSyncCountryTies, rows, nil)
	if err == nil && missing > 0 {
		err = fmt.Errorf("%d entities name a country that is not in the graph", missing)
	}
	return err
}
