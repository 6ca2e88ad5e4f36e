package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Every node carries the label Entity and one label per entity type
// (Actor, Place, ...), taken from coop.EntityTypes.
const labelEntity = "Entity"

// schemaStatements are the constraints and indexes the queries rely on. All
// are idempotent (IF NOT EXISTS).
func schemaStatements() []string {
	stmts := []string{
		// Ids are unique across every entity type; the backing index serves
		// lookups by id and ordering by id for keyset pagination.
		"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)",
	}
	for _, t := range coop.EntityTypes {
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s_kind IF NOT EXISTS FOR (n:%s) ON (n.kind)", strings.ToLower(string(t)), t))
	}
	stmts = append(stmts,
		"CREATE INDEX actor_country IF NOT EXISTS FOR (n:Actor) ON (n.country)",
		"CREATE INDEX place_country IF NOT EXISTS FOR (n:Place) ON (n.country)",
		"CREATE INDEX meeting_date IF NOT EXISTS FOR (n:Meeting) ON (n.date)",
		"CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.date)",
	)
	// Search: names and aliases, case and accents folded ("Rendón" matches "rendon").
	stmts = append(stmts, "CREATE FULLTEXT INDEX "+fulltextNames+" IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliasText] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}")
	stmts = append(stmts,
		// The audit trail, merge redirects, the change sequence and API keys.
		"CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:Change) REQUIRE c.seq IS UNIQUE",
		"CREATE INDEX change_entity_a IF NOT EXISTS FOR (c:Change) ON (c.entityA)",
		"CREATE INDEX change_entity_b IF NOT EXISTS FOR (c:Change) ON (c.entityB)",
		"CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:CoopgraphSequence) REQUIRE s.name IS UNIQUE",
		"CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (r:Redirect) REQUIRE r.id IS UNIQUE",
		"CREATE INDEX redirect_to IF NOT EXISTS FOR (r:Redirect) ON (r.to)",
		"CREATE CONSTRAINT relationship_id_lock IF NOT EXISTS FOR (l:RelationshipIdLock) REQUIRE l.id IS UNIQUE",
		"CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE",
		"CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE",
		"CREATE CONSTRAINT graph_schema_name IF NOT EXISTS FOR (v:CoopgraphSchema) REQUIRE v.name IS UNIQUE",
		// Sources' passages, by source and locator, and by source in order.
		"CREATE CONSTRAINT passage_key IF NOT EXISTS FOR (p:Passage) REQUIRE p.key IS UNIQUE",
		"CREATE INDEX passage_source IF NOT EXISTS FOR (p:Passage) ON (p.source, p.order)",
		"CREATE FULLTEXT INDEX "+fulltextPassages+" IF NOT EXISTS FOR (p:Passage) ON EACH [p.words] "+
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
		// Entities by the words of the names passages mention them by.
		"CREATE FULLTEXT INDEX "+fulltextMentionWords+" IF NOT EXISTS FOR (n:Entity) ON EACH [n.mentionWords] "+
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
	)
	for _, r := range coop.Relations {
		stmts = append(stmts, fmt.Sprintf("CREATE CONSTRAINT rel_%s_id IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE",
			strings.ToLower(string(r.Type)), r.Type))
	}
	return stmts
}

// ApplySchema creates the constraints and indexes, waits for the indexes
// to come online, then migrates a graph made by an older coopgraph.
func (s *Store) ApplySchema(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db})
	defer sess.Close(context.WithoutCancel(ctx))
	for _, stmt := range schemaStatements() {
		// Schema commands run in auto-commit transactions of their own.
		res, err := sess.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("neo4jstore.ApplySchema: %w", classify(ctx, err))
		}
	}
	res, err := sess.Run(ctx, "CALL db.awaitIndexes(300)", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("neo4jstore.ApplySchema: await indexes: %w", classify(ctx, err))
	}
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("neo4jstore.ApplySchema: %w", err)
	}
	return nil
}
