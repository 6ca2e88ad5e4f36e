package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// A bulk import (coopgraph import -bulk) loads records into an empty
// database through Neo4j's offline importer, not through a Store: it
// validates them with ValidateFresh, which reads them as Import reads them
// when the graph holds nothing, and records itself in the audit trail with
// RecordFresh, as Import does.

// ErrPassages is returned (wrapped) by ValidateFresh for records that
// hold passages: a bulk import does not load them.
var ErrPassages = errors.New("passages")

// ValidateFresh validates lines as Import does for a graph that holds
// nothing, and returns the records to load with the report Import would
// give once it has loaded them all (every record is new, so every one
// counts as created). With problems and without opts.SkipInvalid, it
// returns ErrInvalid. Passages are refused (ErrPassages).
func ValidateFresh(lines []dataset.Line, opts Options) (coop.Dataset, Report, error) {
	// As Import, with nothing stored: no entity, passage or merge to know.
	rd := dataset.NewReader()
	rd.ReadLines(lines)
	ds, problems := rd.Valid()
	problems = allProblems(opts, problems)
	rep := Report{Entities: len(ds.Entities), Passages: len(ds.Passages), Relationships: len(ds.Relationships), Problems: problems}
	if len(problems) > 0 && !opts.SkipInvalid {
		return ds, rep, fmt.Errorf("%w: %d problems; nothing was imported", ErrInvalid, len(problems))
	}
	if len(problems) > 0 && rd.PassageTrouble() {
		return ds, rep, fmt.Errorf("%w: %d problems, some with passages or the citations of them, which skipping records cannot fix (a source's passages go in whole); nothing was imported",
			ErrInvalid, len(problems))
	}
	if len(ds.Passages) > 0 {
		return ds, rep, fmt.Errorf("%w: the records hold %d passages, which a bulk import does not load: import them without -bulk", ErrPassages, len(ds.Passages))
	}
	if len(rd.Cites()) > 0 { // cite records add to stored entities, and nothing is stored
		return ds, rep, fmt.Errorf("%d cite records name stored entities in a graph that holds none", len(rd.Cites()))
	}
	rep.Changed = int64(len(ds.Entities) + len(ds.Relationships))
	return ds, rep, nil
}

// RecordFresh puts a bulk import in the audit trail, as Import records an
// import that completed.
func RecordFresh(ctx context.Context, store Store, rep Report, opts Options) error {
	return record(ctx, store, rep, opts, nil)
}
