// Package importer loads records (JSON Lines or CSV, already split into
// dataset.Lines) into the graph: every record is validated first, against
// the file and the stored graph, then the valid ones are written in batches
// and the import is recorded in the audit trail. The seed goes in this way
// too.
package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/progress"
)

// Store is what an import needs of the graph.
type Store interface {
	Entities(ctx context.Context, ids []string) (map[string]coop.Entity, error)
	// LoadBatch writes one batch idempotently, returning how many records
	// it created or changed.
	LoadBatch(ctx context.Context, ds dataset.Dataset, mode dataset.LoadMode) (int64, error)
	// Record adds an entry to the audit trail.
	Record(ctx context.Context, c coop.Change) error
}

// Options tune an import.
type Options struct {
	// SkipInvalid loads the valid records when some are invalid; otherwise
	// one invalid record means nothing is loaded.
	SkipInvalid bool
	Batch       int            // records per transaction; 2000 when 0
	Progress    io.Writer      // where the progress bar goes; none when nil
	Who         coop.Principal // recorded in the audit trail
	Name        string         // what was imported (file names), for the audit trail
	// AddOnly creates missing records and leaves stored ones alone (the
	// seed); otherwise a record replaces the stored one with its id.
	AddOnly bool
	// Unreadable are problems found while splitting files into records
	// (a CSV row with too few cells, say): they count as invalid records.
	Unreadable dataset.Errors
}

// Report says what an import did.
type Report struct {
	Entities, Relationships int   // valid records
	Changed                 int64 // records created or changed: 0 when the graph held them already
	Problems                dataset.Errors
}

// ErrInvalid is returned (wrapped) when invalid records stopped an import.
var ErrInvalid = fmt.Errorf("invalid records")

// Import validates lines, then loads them. References may point to
// entities already in the graph.
func Import(ctx context.Context, store Store, lines []dataset.Line, opts Options) (Report, error) {
	if opts.Batch <= 0 {
		opts.Batch = 2000
	}
	existing, err := store.Entities(ctx, dataset.ReferencedIDs(lines))
	if err != nil {
		return Report{}, err
	}
	// Entities looks through merge redirects; only entities stored under
	// the id asked for count as known.
	for id, e := range existing {
		if e.EntityID() != id {
			delete(existing, id)
		}
	}
	rd := dataset.NewReader()
	rd.Know(existing)
	rd.ReadLines(lines)
	ds, problems := rd.Valid()
	problems = append(slices.Clone(opts.Unreadable), problems...)
	slices.SortStableFunc(problems, func(a, b dataset.LineError) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	rep := Report{Entities: len(ds.Entities), Relationships: len(ds.Relationships), Problems: problems}
	if len(problems) > 0 && !opts.SkipInvalid {
		return rep, fmt.Errorf("%w: %d problems; nothing was imported", ErrInvalid, len(problems))
	}
	var bar *progress.Bar
	if opts.Progress != nil {
		bar = progress.New(opts.Progress, "import", len(ds.Entities)+len(ds.Relationships))
	}
	load := func(part dataset.Dataset, n int) error {
		mode := dataset.Replace
		if opts.AddOnly {
			mode = dataset.AddOnly
		}
		changed, err := store.LoadBatch(ctx, part, mode)
		if err != nil {
			return err
		}
		rep.Changed += changed
		if bar != nil {
			bar.Add(n)
		}
		return nil
	}
	for start := 0; start < len(ds.Entities); start += opts.Batch {
		part := ds.Entities[start:min(start+opts.Batch, len(ds.Entities))]
		if err := load(dataset.Dataset{Entities: part}, len(part)); err != nil {
			return rep, err
		}
	}
	for start := 0; start < len(ds.Relationships); start += opts.Batch {
		part := ds.Relationships[start:min(start+opts.Batch, len(ds.Relationships))]
		if err := load(dataset.Dataset{Relationships: part}, len(part)); err != nil {
			return rep, err
		}
	}
	if bar != nil {
		bar.Finish()
	}
	if rep.Changed > 0 {
		summary := fmt.Sprintf(`{"entities":%d,"relationships":%d,"changed":%d,"rejected":%d}`,
			rep.Entities, rep.Relationships, rep.Changed, len(problems))
		err := store.Record(ctx, coop.Change{Who: opts.Who.Who(), Action: coop.ActionImport, Target: coop.TargetGraph,
			TargetID: truncate(opts.Name, 300), After: summary})
		if err != nil {
			return rep, fmt.Errorf("the records were imported, but recording the import failed: %w", err)
		}
	}
	return rep, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
