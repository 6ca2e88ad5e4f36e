package coop

// Dataset is a validated set of records in file order: what an import,
// the seed or a generator hands the store to load.
type Dataset struct {
	Entities      []Entity
	Passages      []Passage
	Relationships []*Relationship
}

// LoadMode says what loading a dataset does with records already stored.
type LoadMode int

const (
	// LoadReplace overwrites a stored record with the same id (imports: the
	// file has the last word, and the audit trail records the import).
	LoadReplace LoadMode = iota
	// LoadAddOnly creates what is missing and leaves stored records alone.
	LoadAddOnly
	// LoadFresh creates without looking: the records are known to be new
	// (generated data), and batches may load side by side, so an actor may
	// come before its country: the store links countries once all are in.
	LoadFresh
)
