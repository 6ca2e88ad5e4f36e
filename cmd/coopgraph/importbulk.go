package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/coopgraph/coopgraph/internal/bulkload"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/progress"
)

// importBulk validates the records as import does for an empty graph,
// then loads them through Neo4j's offline importer (bulkLoad, which first
// makes sure the database holds nothing) and records the import in the
// audit trail as import does.
func importBulk(ctx context.Context, c *common, b bulkFlags, lines []dataset.Line, opts importer.Options, stdout, stderr io.Writer) error {
	ds, rep, err := importer.ValidateFresh(lines, opts)
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p)
	}
	switch {
	case errors.Is(err, importer.ErrInvalid):
		return fmt.Errorf("%d problems; nothing was imported (use -skip-invalid to import the valid records)", len(rep.Problems))
	case err != nil:
		return fmt.Errorf("import -bulk: %w", err)
	}
	br, err := bulkLoad(ctx, c, b, "import", false, stderr, func(w *bulkload.Writer) error {
		bar := progress.New(stderr, "records written", len(ds.Entities)+len(ds.Relationships))
		for _, e := range ds.Entities {
			if err := w.Entity(e); err != nil {
				return err
			}
		}
		bar.Add(len(ds.Entities))
		for _, r := range ds.Relationships {
			if err := w.Relationship(r, false); err != nil {
				return err
			}
		}
		bar.Add(len(ds.Relationships))
		bar.Finish()
		return nil
	}, func(store *neo4jstore.Store) error {
		return importer.RecordFresh(ctx, store, rep, opts)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d entities and %d relationships (%d created or changed); %d records rejected\n",
		rep.Entities, rep.Relationships, rep.Changed, len(rep.Problems))
	fmt.Fprintf(stdout, "in %s (%.0f entities/s, %.0f relationships/s)\n%s\n", br.took.Round(time.Millisecond),
		float64(br.nodes)/br.took.Seconds(), float64(br.relationships)/br.took.Seconds(), br)
	return nil
}
