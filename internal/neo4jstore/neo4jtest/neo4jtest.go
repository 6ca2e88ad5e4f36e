// Package neo4jtest connects tests to the real Neo4j that `make test`
// starts. Tests that need Neo4j fail, never skip, when it is missing.
package neo4jtest

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/seed"
)

// Config reads the connection settings from the environment. The first
// call in a process waits until no other test process uses the same
// database (see lockDatabase), so `go test ./...` is safe without -p 1.
func Config(tb testing.TB) neo4jstore.Config {
	tb.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		tb.Fatal("NEO4J_URI is not set: these tests need a real Neo4j. Run them with `make test`, which starts one.")
	}
	user := os.Getenv("NEO4J_USER")
	if user == "" {
		user = "neo4j"
	}
	database := os.Getenv("NEO4J_DATABASE")
	lockDatabase(tb, uri, database)
	return neo4jstore.Config{URI: uri, User: user, Password: os.Getenv("NEO4J_PASSWORD"),
		Database: database, QueryTimeout: 20 * time.Second}
}

// MustOpen opens a store on the test Neo4j and closes it when the test ends.
func MustOpen(tb testing.TB) *neo4jstore.Store {
	tb.Helper()
	s, err := neo4jstore.Open(Config(tb))
	if err != nil {
		tb.Fatalf("neo4jstore.Open: %v", err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		tb.Fatalf("Neo4j at %s does not answer: %v", os.Getenv("NEO4J_URI"), err)
	}
	return s
}

// Reset deletes every node and relationship, so a test starts from an empty graph.
func Reset(tb testing.TB) {
	tb.Helper()
	s, err := neo4jstore.Open(Config(tb))
	if err != nil {
		tb.Fatalf("neo4jstore.Open: %v", err)
	}
	defer s.Close(context.Background())
	if err := s.DeleteAll(context.Background()); err != nil {
		tb.Fatalf("reset Neo4j: %v", err)
	}
}

// MustSeed resets the graph, applies the schema and loads the seed through
// the importer, as coopgraph seed does.
func MustSeed(tb testing.TB, s *neo4jstore.Store) {
	tb.Helper()
	Reset(tb)
	ctx := context.Background()
	if err := s.ApplySchema(ctx); err != nil {
		tb.Fatalf("ApplySchema: %v", err)
	}
	lines, err := seed.Lines()
	if err != nil {
		tb.Fatalf("seed.Lines: %v", err)
	}
	rep, err := importer.Import(ctx, s, lines, importer.Options{Who: coop.Principal{Name: "test", Role: coop.RoleAdmin, Via: "cli"}, Name: "seed"})
	if err != nil {
		tb.Fatalf("importing the seed: %v %v", err, rep.Problems)
	}
}

// MustWrite runs one write statement straight through the driver, past the
// store and its checks: tests use it to put into the graph what coopgraph
// itself never writes, such as damaged records.
func MustWrite(tb testing.TB, cypher string, params map[string]any) {
	tb.Helper()
	execute(tb, "MustWrite", cypher, params, neo4j.ExecuteQueryWithWritersRouting())
}

// execute runs one statement straight through a driver of its own.
func execute(tb testing.TB, what, cypher string, params map[string]any, routing neo4j.ExecuteQueryConfigurationOption) []*neo4j.Record {
	tb.Helper()
	cfg := Config(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		tb.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(cfg.Database), routing)
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	return res.Records
}

// MustRead runs one read statement straight through the driver and
// returns its records: tests use it to check what no API shows.
func MustRead(tb testing.TB, cypher string, params map[string]any) []*neo4j.Record {
	tb.Helper()
	return execute(tb, "MustRead", cypher, params, neo4j.ExecuteQueryWithReadersRouting())
}

// MustHoldCountryTies fails the test unless the IN_COUNTRY ties in the graph
// are exactly those coop.CountryTie describes for the entities' country
// fields: one per entity with a country, none for the others, each citing
// what its entity cites.
func MustHoldCountryTies(tb testing.TB, s *neo4jstore.Store) {
	tb.Helper()
	ctx := context.Background()
	want := map[string]string{}
	err := s.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		for _, e := range es {
			if tie := coop.CountryTie(e); tie != nil {
				want[tie.ID] = dataset.RelationshipJSON(tie)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	got := map[string]string{}
	err = s.EachRelationship(ctx, 5000, func(rs []*coop.Relationship) error {
		for _, r := range rs {
			if r.Type == coop.RelInCountry {
				got[r.ID] = dataset.RelationshipJSON(r)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	for id, w := range want {
		if got[id] != w {
			tb.Errorf("country tie %s is %q; the entity's country field says %q", id, got[id], w)
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			tb.Errorf("country tie %s (%s) stands for no entity's country field", id, g)
		}
	}
}

// MustHoldMentions fails tb unless every passage's MENTIONS ties name
// exactly the entities whose names its text holds (coop.MentionForms): the
// derived ties kept in step with every write of names and passages.
func MustHoldMentions(tb testing.TB, s *neo4jstore.Store) {
	tb.Helper()
	ctx := context.Background()
	var forms []struct {
		id    string
		forms []coop.MentionForm
	}
	err := s.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		for _, e := range es {
			forms = append(forms, struct {
				id    string
				forms []coop.MentionForm
			}{e.EntityID(), coop.MentionForms(e.EntityBase())})
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	err = s.EachPassage(ctx, 1000, func(ps []coop.Passage) error {
		keys := make([]string, len(ps))
		for i, p := range ps {
			keys[i] = p.Key()
		}
		got, err := s.MentionedBy(ctx, keys)
		if err != nil {
			return err
		}
		for _, p := range ps {
			text := coop.NewMentionText(p.Text)
			var want, have []string
			for _, f := range forms {
				if text.Mentions(f.forms) {
					want = append(want, f.id)
				}
			}
			for _, e := range got[p.Key()] {
				have = append(have, e.EntityID())
			}
			slices.Sort(want)
			if !slices.Equal(have, want) {
				tb.Errorf("passage %s mentions %v; its text names %v", p.Key(), have, want)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// Ties are the relationships the graph holds for a dataset: its own, and
// the country tie of each entity with a country (coop.CountryTie).
func Ties(ds coop.Dataset) []*coop.Relationship {
	out := append([]*coop.Relationship{}, ds.Relationships...)
	for _, e := range ds.Entities {
		if tie := coop.CountryTie(e); tie != nil {
			out = append(out, tie)
		}
	}
	return out
}
