package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/seed"
)

func seedCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, getenv)
	wait := fs.Duration("wait", 60*time.Second, "how long to wait for Neo4j to answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, _, err := c.open(ctx, stderr, *wait)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.ApplySchema(ctx); err != nil {
		return err
	}
	rep, err := loadSeed(ctx, store, stderr)
	if err != nil {
		return err
	}
	nodes, rels, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d entities and %d relationships (%d created or changed); the graph now holds %d entities and %d relationships\n",
		rep.Entities, rep.Relationships, rep.Changed, nodes, rels)
	return nil
}

// loadSeed loads the embedded seed through the importer, as "coopgraph
// import" would load its files.
func loadSeed(ctx context.Context, store *neo4jstore.Store, problems io.Writer) (importer.Report, error) {
	lines, err := seed.Lines()
	if err != nil {
		return importer.Report{}, fmt.Errorf("seed data is unreadable: %w", err)
	}
	rep, err := importer.Import(ctx, store, lines, importer.Options{
		Who: coop.Principal{Name: "seed", Role: coop.RoleAdmin, Via: "cli"}, Name: "seed"})
	for _, p := range rep.Problems {
		fmt.Fprintln(problems, p)
	}
	return rep, err
}
