package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/synth"
)

// loadSynthetic empties the test database and loads the synthetic graph of
// the given size and seed as coopgraph gen does: nodes, their country ties,
// then relationships.
func loadSynthetic(t *testing.T, nodes int, seed int64) (*neo4jstore.Store, *synth.Graph) {
	t.Helper()
	s := neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	ctx := context.Background()
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	gen, err := synth.New(synth.DefaultConfig(nodes, seed))
	if err != nil {
		t.Fatal(err)
	}
	load := func(ds coop.Dataset) error { _, err := s.LoadBatch(ctx, ds, coop.LoadFresh); return err }
	if err := gen.EachNodeBatch(load); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkCountries(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gen.EachRelationshipBatch(load); err != nil {
		t.Fatal(err)
	}
	return s, gen
}
