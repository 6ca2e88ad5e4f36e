package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// The graph records the version of its layout in one node, so that a
// database made by an older coopgraph is brought up to date when a newer one
// starts (ApplySchema runs the migrations it lacks, in order, once each).
// A graph without the node is at version 1: the layout before versions
// were recorded. Migrations are idempotent: two replicas starting together
// may both run one.
const (
	cypherGraphVersion    = `OPTIONAL MATCH (v:CoopgraphSchema {name: 'graph'}) RETURN coalesce(v.version, 1)`
	cypherSetGraphVersion = `MERGE (v:CoopgraphSchema {name: 'graph'}) SET v.version = $version, v.at = datetime()`
)

// migration takes the graph from version to-1 to version to.
type migration struct {
	to   int
	what string
	run  func(ctx context.Context, s *Store) error
}

var migrations = []migration{
	{2, "countries become IN_COUNTRY ties", migrateCountryTies},
	{3, "passages say which entities they mention", func(ctx context.Context, s *Store) error { return s.LinkMentions(ctx) }},
	{4, "entities' names indexed as passages' words are; initials are mentioned as written", migrateMentionWords},
}

// GraphVersion is the version of the graph's layout this code reads and writes.
var GraphVersion = migrations[len(migrations)-1].to

// StoredGraphVersion reads the version the graph records.
func (s *Store) StoredGraphVersion(ctx context.Context) (int, error) {
	recs, err := s.read(ctx, cypherGraphVersion, nil)
	if err != nil {
		return 0, fmt.Errorf("neo4jstore.StoredGraphVersion: %w", err)
	}
	v, _ := recs[0].Values[0].(int64)
	return int(v), nil
}

// migrate runs the migrations the graph lacks and records each as done.
func (s *Store) migrate(ctx context.Context) error {
	version, err := s.StoredGraphVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range migrations {
		if m.to <= version {
			continue
		}
		if err := m.run(ctx, s); err != nil {
			return fmt.Errorf("migrating the graph to version %d (%s): %w", m.to, m.what, err)
		}
		err := s.write(ctx, time.Minute, func(tx neo4j.ManagedTransaction) error {
			return run(ctx, tx, cypherSetGraphVersion, map[string]any{"version": int64(m.to)})
		})
		if err != nil {
			return fmt.Errorf("recording graph version %d: %w", m.to, err)
		}
	}
	return nil
}

// cypherEntitiesWithCountry pages, by id, the entities whose country field
// is set.
const cypherEntitiesWithCountry = `MATCH (n:Entity) WHERE n.id > $after AND n.country IS NOT NULL
RETURN n ORDER BY n.id LIMIT $n`

// migrateCountryTies gives every entity with a country field its
// IN_COUNTRY tie (version 2: before, the field was all there was).
func migrateCountryTies(ctx context.Context, s *Store) error {
	_, err := s.LinkCountries(ctx)
	return err
}

// LinkCountries gives every entity whose country field is set its
// IN_COUNTRY tie, a batch of entities at a time, and returns how many it
// went through. Loads in coop.LoadFresh mode, which run batches side by side
// and may write an actor before its country, call it once all entities
// are in.
func (s *Store) LinkCountries(ctx context.Context) (int, error) {
	after, done := "", 0
	for {
		recs, err := s.read(ctx, cypherEntitiesWithCountry, map[string]any{"after": after, "n": int64(loadBatch)})
		if err != nil || len(recs) == 0 {
			return done, err
		}
		es := make([]coop.Entity, len(recs))
		for i, rec := range recs {
			if es[i], err = entityFromNode(rec.Values[0].(neo4j.Node)); err != nil {
				return done, err
			}
		}
		err = s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
			if err := run(ctx, tx, cypherLoadLock, nil); err != nil {
				return err
			}
			return syncCountryTies(ctx, tx, es, false)
		})
		if err != nil {
			return done, fmt.Errorf("neo4jstore.LinkCountries: %w", err)
		}
		done += len(es)
		after = es[len(es)-1].EntityID()
	}
}

const cypherSetPassageWords = `UNWIND $rows AS row MATCH (p:Passage {key: row.key}) SET p.words = row.words`

// LinkMentions indexes every passage's words and works out again which
// entities it mentions, a batch of passages at a time (version 3: before,
// passages had neither).
func (s *Store) LinkMentions(ctx context.Context) error {
	return s.EachPassage(ctx, 200, func(ps []coop.Passage) error {
		rows := make([]map[string]any, len(ps))
		for i, p := range ps {
			rows[i] = map[string]any{"key": p.Key(), "words": passageWords(p.Text)}
		}
		err := s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
			if err := run(ctx, tx, cypherLoadLock, nil); err != nil {
				return err
			}
			if err := run(ctx, tx, cypherSetPassageWords, map[string]any{"rows": rows}); err != nil {
				return err
			}
			return linkPassageMentions(ctx, tx, ps)
		})
		if err != nil {
			return fmt.Errorf("neo4jstore.LinkMentions: %w", err)
		}
		return nil
	})
}

// (An entity edited since it was read has its words already.)
const cypherSetMentionWords = `UNWIND $rows AS row MATCH (n:Entity {id: row.id}) WHERE coalesce(n.version, 1) = row.version
SET n.mentionWords = row.words`

// migrateMentionWords indexes the words of every entity's names as
// passages' words are cut (version 4: before, mentions found names through
// the search index, which cuts "U.S." otherwise), then works every
// passage's mentions out again.
func migrateMentionWords(ctx context.Context, s *Store) error {
	err := s.EachEntity(ctx, loadBatch, func(es []coop.Entity) error {
		rows := make([]map[string]any, len(es))
		for i, e := range es {
			b := e.EntityBase()
			rows[i] = map[string]any{"id": b.ID, "version": max(b.Version, 1), "words": mentionWords(b)}
		}
		return s.write(ctx, 5*time.Minute, func(tx neo4j.ManagedTransaction) error {
			return run(ctx, tx, cypherSetMentionWords, map[string]any{"rows": rows})
		})
	})
	if err != nil {
		return err
	}
	return s.LinkMentions(ctx)
}
