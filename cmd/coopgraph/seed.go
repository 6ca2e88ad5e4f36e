package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

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
	ds, err := seed.Dataset()
	if err != nil {
		return fmt.Errorf("seed data is invalid:\n%w", err)
	}
	store, _, err := c.open(ctx, stderr, *wait)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.ApplySchema(ctx); err != nil {
		return err
	}
	if err := store.Load(ctx, ds); err != nil {
		return err
	}
	nodes, rels, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d entities and %d relationships; the graph now holds %d entities and %d relationships\n",
		len(ds.Entities), len(ds.Relationships), nodes, rels)
	return nil
}
