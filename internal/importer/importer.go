// Package importer loads records (JSON Lines or CSV, already split into
// dataset.Lines) into the graph: every record is validated first, against
// the file and the stored graph, then the valid ones are written in batches
// and the import is recorded in the audit trail. The seed goes in this way
// too.
package importer

import (
	"context"
	"errors"
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
	// Locators lists the passages of the given sources that have any.
	Locators(ctx context.Context, sources []string) (map[string][]string, error)
	// CitedLocators lists, for each source given, the locators stored
	// facts cite and the facts citing each.
	CitedLocators(ctx context.Context, sources []string) (map[string]map[string][]string, error)
	// LoadBatch writes one batch idempotently, returning how many records
	// it created or changed.
	LoadBatch(ctx context.Context, ds coop.Dataset, mode coop.LoadMode) (int64, error)
	// Record adds an entry to the audit trail.
	Record(ctx context.Context, c coop.Change) error
	// UpdateEntity changes one stored entity under its lock (cite records
	// on stored entities go in this way, so no concurrent edit is lost).
	UpdateEntity(ctx context.Context, id string, version int64, action coop.Action, edit coop.EntityEdit, ed coop.Edit) (coop.Written[coop.Entity], error)
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
	Entities, Passages, Relationships int   // valid records
	Changed                           int64 // records created or changed: 0 when the graph held them already
	Problems                          dataset.Errors
}

// ErrInvalid is returned (wrapped) when invalid records stopped an import.
var ErrInvalid = errors.New("invalid records")

// Import validates lines, then loads them. References may point to
// entities already in the graph.
func Import(ctx context.Context, store Store, lines []dataset.Line, opts Options) (Report, error) {
	if opts.Batch <= 0 {
		opts.Batch = 2000
	}
	referenced := dataset.ReferencedIDs(lines)
	existing, err := store.Entities(ctx, referenced)
	if err != nil {
		return Report{}, err
	}
	// Citations of stored sources must name their passages.
	locators, err := store.Locators(ctx, referenced)
	if err != nil {
		return Report{}, err
	}
	// Entities looks through merge redirects; only entities stored under
	// the id asked for count as known, and merged-away ids stay unused.
	merged := map[string]string{}
	for id, e := range existing {
		if e.EntityID() != id {
			merged[id] = e.EntityID()
			delete(existing, id)
		}
	}
	rd := dataset.NewReader()
	rd.Know(existing)
	rd.KnowPassages(locators)
	rd.Merged(merged, opts.AddOnly)
	if opts.AddOnly {
		rd.KeepStoredPassages()
	}
	rd.ReadLines(lines)
	// A source's passages given anew must keep what stored facts cite.
	if given := rd.GivenPassages(); len(given) > 0 {
		cited, err := store.CitedLocators(ctx, given)
		if err != nil {
			return Report{}, err
		}
		rd.KnowCited(cited)
	}
	ds, problems := rd.Valid()
	problems = allProblems(opts, problems)
	cites := rd.Cites()
	rep := Report{Entities: len(ds.Entities), Passages: len(ds.Passages), Relationships: len(ds.Relationships), Problems: problems}
	if len(problems) > 0 && !opts.SkipInvalid {
		return rep, fmt.Errorf("%w: %d problems; nothing was imported", ErrInvalid, len(problems))
	}
	if len(problems) > 0 && rd.PassageTrouble() {
		return rep, fmt.Errorf("%w: %d problems, some with passages or the citations of them, which skipping records cannot fix (a source's passages go in whole); nothing was imported",
			ErrInvalid, len(problems))
	}
	var bar *progress.Bar
	if opts.Progress != nil {
		bar = progress.New(opts.Progress, "import", len(ds.Entities)+len(ds.Passages)+len(ds.Relationships))
	}
	load := func(part coop.Dataset, n int) error {
		mode := coop.LoadReplace
		if opts.AddOnly {
			mode = coop.LoadAddOnly
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
		if err := load(coop.Dataset{Entities: part}, len(part)); err != nil {
			return rep, record(ctx, store, rep, opts, err)
		}
	}
	for start := 0; start < len(ds.Relationships); start += opts.Batch {
		part := ds.Relationships[start:min(start+opts.Batch, len(ds.Relationships))]
		if err := load(coop.Dataset{Relationships: part}, len(part)); err != nil {
			return rep, record(ctx, store, rep, opts, err)
		}
	}
	// A source's passages go in whole, in one transaction, after the
	// records that cite them anew (the store checks what stored facts cite
	// against them) and before the cites on stored entities (which the
	// store checks against them).
	if len(ds.Passages) > 0 {
		if err := load(coop.Dataset{Passages: ds.Passages}, len(ds.Passages)); err != nil {
			return rep, record(ctx, store, rep, opts, err)
		}
	}
	for _, c := range cites {
		if err := cite(ctx, store, c, opts); err != nil {
			return rep, record(ctx, store, rep, opts, err)
		}
		rep.Changed++
	}
	if bar != nil {
		bar.Finish()
	}
	return rep, record(ctx, store, rep, opts, nil)
}

// cite adds a cite record's aliases and citations to a stored entity.
func cite(ctx context.Context, store Store, c dataset.Cite, opts Options) error {
	ed := coop.Edit{Author: opts.Who, Citations: c.Citations, Reason: truncate("import "+opts.Name, 300)}
	_, err := store.UpdateEntity(ctx, c.ID, 0, coop.ActionUpdate, func(e coop.Entity) (coop.Entity, error) {
		b := e.EntityBase()
		for _, a := range c.Aliases {
			if a != b.Name && !slices.Contains(b.Aliases, a) {
				b.Aliases = append(b.Aliases, a)
			}
		}
		b.Citations = coop.MergeCitations(b.Citations, c.Citations)
		return e, nil
	}, ed)
	if err != nil {
		return fmt.Errorf("%s:%d: %w", c.At.File, c.At.Line, err)
	}
	return nil
}

// record puts the import in the audit trail when it changed anything,
// including one that failed part way (earlier batches are committed).
func record(ctx context.Context, store Store, rep Report, opts Options, failure error) error {
	if rep.Changed == 0 {
		return failure
	}
	summary := fmt.Sprintf(`{"entities":%d,"passages":%d,"relationships":%d,"changed":%d,"rejected":%d,"complete":%t}`,
		rep.Entities, rep.Passages, rep.Relationships, rep.Changed, len(rep.Problems), failure == nil)
	c := coop.Change{Who: opts.Who.Who(), Action: coop.ActionImport, Target: coop.TargetGraph,
		TargetID: truncate(opts.Name, 300), After: summary}
	if failure != nil {
		c.Reason = "failed part way; the batches before the failure were loaded"
	}
	if err := store.Record(ctx, c); err != nil {
		return errors.Join(failure, fmt.Errorf("the records were imported, but recording the import failed: %w", err))
	}
	return failure
}

// allProblems puts the lines that could not be read with the records that
// did not validate, in file and line order.
func allProblems(opts Options, problems []dataset.LineError) []dataset.LineError {
	all := append(slices.Clone(opts.Unreadable), problems...)
	slices.SortStableFunc(all, func(a, b dataset.LineError) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return all
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
