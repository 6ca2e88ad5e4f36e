package main

import (
	"context"
	"fmt"
	"io"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/seed"
)

func seedCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("seed", getenv, stderr)
	if err := parseFlags(fs, getenv, args); err != nil {
		return err
	}
	store, _, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.ApplySchema(ctx); err != nil {
		return err
	}
	rep, applied, err := loadSeed(ctx, store, stderr)
	if err != nil {
		return err
	}
	nodes, rels, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	if applied {
		fmt.Fprintf(stdout, "this seed was loaded before, and is not loaded again; the graph now holds %d entities and %d relationships\n", nodes, rels)
		return nil
	}
	fmt.Fprintf(stdout, "seeded %d entities and %d relationships (%d created); the graph now holds %d entities and %d relationships\n",
		rep.Entities, rep.Relationships, rep.Changed, nodes, rels)
	return nil
}

// loadSeed loads the embedded seed through the importer, as "coopgraph
// import" loads its files, but only adding what is missing, and only once
// per version of the seed (applied reports a seed loaded before): what
// editors changed, merged or deleted since stays as they left it.
func loadSeed(ctx context.Context, store *neo4jstore.Store, problems io.Writer) (rep importer.Report, applied bool, err error) {
	lines, err := seed.Lines()
	if err != nil {
		return rep, false, fmt.Errorf("seed data is unreadable: %w", err)
	}
	hash := seed.Hash(lines)
	if applied, err := store.SeedApplied(ctx, hash); err != nil || applied {
		return rep, applied, err
	}
	rep, err = importer.Import(ctx, store, lines, importer.Options{AddOnly: true,
		Who: coop.Principal{Name: "seed", Role: coop.RoleAdmin, Via: "cli"}, Name: "seed " + hash[:12]})
	for _, p := range rep.Problems {
		fmt.Fprintln(problems, p)
	}
	if err != nil {
		return rep, false, err
	}
	return rep, false, store.MarkSeedApplied(ctx, hash)
}
