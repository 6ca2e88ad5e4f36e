package coop

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// What merging means. An editor merges a duplicate (remove) into the entity
// that stays (keep): the kept one takes the other's names, evidence and
// relationships, and the removed id redirects to it. The functions here say
// what the merge does; the store carries it out in one transaction.

// CheckMergeIDs refuses an entity merged into itself.
func CheckMergeIDs(keepID, removeID string) error {
	if keepID == removeID {
		return Invalidf("remove", "an entity cannot be merged into itself")
	}
	return nil
}

// CheckMerge refuses a merge that would break the graph: entities of two
// types, or actors of two kinds (a moved tie could then break its type's
// rule).
func CheckMerge(keep, remove Entity) error {
	keepID, removeID := keep.EntityID(), remove.EntityID()
	if keep.EntityType() != remove.EntityType() {
		return Invalidf("remove", "%q is a %s and %q a %s: only entities of one type merge", keepID, keep.EntityType(), removeID, remove.EntityType())
	}
	if ka, ok := keep.(*Actor); ok && ka.Kind != remove.(*Actor).Kind {
		return Invalidf("remove", "%q is a %s and %q a %s: update one's kind first, so that every moved relationship still fits its rule",
			keepID, ka.Kind, removeID, remove.(*Actor).Kind)
	}
	return nil
}

// Absorb makes keep take what remove has: its name and aliases as aliases,
// its citations (a citation of the removed entity, when it is a source,
// cites the kept one), the evidence of the merge, its country and its
// description when keep has none. A country that is keep itself goes.
// Sources take no citations, so a source keeps no evidence.
func Absorb(keep, remove Entity, evidence []Citation) {
	keepID, removeID := keep.EntityID(), remove.EntityID()
	kb, rb := keep.EntityBase(), remove.EntityBase()
	for _, n := range append([]string{rb.Name}, rb.Aliases...) {
		if n != kb.Name && !slices.Contains(kb.Aliases, n) {
			kb.Aliases = append(kb.Aliases, n)
		}
	}
	if keep.EntityType() == TypeSource {
		evidence = nil
	}
	var cites []Citation
	for _, c := range slices.Concat(kb.Citations, rb.Citations, evidence) {
		if c.SourceID == removeID {
			c.SourceID = keepID
		}
		if !slices.Contains(cites, c) {
			cites = append(cites, c)
		}
	}
	kb.Citations = cites
	switch x := keep.(type) {
	case *Actor:
		x.CountryID = cmp.Or(x.CountryID, CountryOf(remove))
		if x.CountryID == removeID || x.CountryID == keepID {
			x.CountryID = "" // its own country: a country is in none
		}
	case *Place:
		x.CountryID = cmp.Or(x.CountryID, CountryOf(remove))
		if x.CountryID == removeID {
			x.CountryID = keepID
		}
	}
	kb.Description = cmp.Or(kb.Description, rb.Description)
}

// Tie is a stored relationship seen from one of its ends, as a merge sees
// it: its id, type and direction (Out: the end is its from), the entity at
// the other end, and what a fold changes.
type Tie struct {
	ID        string
	Type      RelationType
	Out       bool
	Other     string
	Citations []Citation
	Status    Status
	Version   int64
}

// FoldedTie is a tie of the kept entity that takes a removed tie's
// citations, with its new status and version.
type FoldedTie struct {
	ID        string
	Type      RelationType
	Citations []Citation
	Status    Status
	Version   int64
}

// TieMoves is what a merge does to the removed entity's ties: every one is
// deleted (Deleted, by type); most come back at the kept end (Moved); those
// between the two would become loops and go (Dropped); a symmetric tie the
// kept entity already has with the same other end lends it its citations
// instead (Folds). Ties stored from fields (country ties) are the fields'.
type TieMoves struct {
	Deleted map[RelationType][]string
	Moved   []Tie
	Folds   []FoldedTie
	Dropped []string // ids
	Folded  []string // "id into id"
}

// PlanTieMoves says what becomes of removed's ties when it merges into
// keepID, given the kept entity's ties. A loop is seen from both ends and
// counts once.
func PlanTieMoves(keepID, removeID string, kept, removed []Tie) (TieMoves, error) {
	twinOf := map[[2]string]Tie{} // by type and other end
	for _, t := range kept {
		if rule, ok := RuleFor(t.Type); ok && rule.Symmetric {
			twinOf[[2]string{string(t.Type), t.Other}] = t
		}
	}
	m := TieMoves{Deleted: map[RelationType][]string{}}
	seen := map[string]bool{} // ids are unique across types
	for _, t := range removed {
		rule, ok := RuleFor(t.Type)
		if !ok {
			return m, fmt.Errorf("relationship of type %q outside the allow-list", t.Type)
		}
		if seen[t.ID] || rule.Managed() {
			continue
		}
		seen[t.ID] = true
		m.Deleted[t.Type] = append(m.Deleted[t.Type], t.ID)
		if t.Other == keepID || t.Other == removeID {
			m.Dropped = append(m.Dropped, t.ID)
			continue
		}
		if twin, ok := twinOf[[2]string{string(t.Type), t.Other}]; ok {
			cites := MergeCitations(twin.Citations, t.Citations)
			m.Folds = append(m.Folds, FoldedTie{ID: twin.ID, Type: t.Type, Citations: cites,
				Status: Folded(twin.Status, t.Status, cites), Version: twin.Version + 1})
			m.Folded = append(m.Folded, t.ID+" into "+twin.ID)
			continue
		}
		m.Moved = append(m.Moved, t)
	}
	return m, nil
}

// Reason is the audit reason of a merge: the editor's, with what the merge
// dropped and folded.
func (m TieMoves) Reason(given string) string {
	if len(m.Dropped) > 0 {
		given += fmt.Sprintf(" (dropped %d relationships between the two: %s)", len(m.Dropped), strings.Join(m.Dropped, ", "))
	}
	if len(m.Folded) > 0 {
		given += fmt.Sprintf(" (folded %d relationships into the kept entity's same ties: %s)", len(m.Folded), strings.Join(m.Folded, ", "))
	}
	return strings.TrimSpace(given)
}
