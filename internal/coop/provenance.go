package coop

import (
	"slices"
	"strings"
)

// How sure a fact is, and on what it rests: whether its cited passages
// state it or an editor inferred it, how a figure bounds what it measures,
// and what each source says of a tie.

// Basis says whether a fact's cited passages state it or an editor
// inferred it from them.
type Basis string

const (
	// BasisStated: the cited passages say it.
	BasisStated Basis = "STATED"
	// BasisInferred: an editor drew it from the cited passages (a
	// minister's country from his office, say); the inference says how.
	BasisInferred Basis = "INFERRED"
)

var bases = enumOf(BasisStated, BasisInferred)

func (b Basis) Valid() bool     { return bases.has(string(b)) }
func (Basis) Allowed() []string { return bases }

// OrStated is the basis, STATED when none was recorded (facts recorded
// before bases were are taken as stated, as their citations claim).
func (b Basis) OrStated() Basis {
	if b == "" {
		return BasisStated
	}
	return b
}

// Provenance is what a fact says of its own footing: its basis, and for an
// inferred fact the inference.
type Provenance struct {
	Basis     Basis
	Inference string // how the fact follows from its citations; only when INFERRED
}

// Bound says how a figure relates to what it measures.
type Bound string

const (
	BoundExact   Bound = "EXACT"
	BoundAtLeast Bound = "AT_LEAST" // "more than 6,900"
	BoundAtMost  Bound = "AT_MOST"  // "fewer than 100"
	BoundAbout   Bound = "ABOUT"    // "some 3,000", "nearly 40"
)

var bounds = enumOf(BoundExact, BoundAtLeast, BoundAtMost, BoundAbout)

func (b Bound) Valid() bool     { return bounds.has(string(b)) }
func (Bound) Allowed() []string { return bounds }

// OrExact is the bound, EXACT when none was recorded.
func (b Bound) OrExact() Bound {
	if b == "" {
		return BoundExact
	}
	return b
}

// Status values.
const (
	StatusConfirmed Status = "CONFIRMED"
	StatusReported  Status = "REPORTED"
	StatusAlleged   Status = "ALLEGED"
	StatusDisputed  Status = "DISPUTED"
	StatusEnded     Status = "ENDED"
)

// EvidenceStatus reports whether s says how sure a source is (every status
// but ENDED, which says when a tie stopped, not how sure it is).
func EvidenceStatus(s Status) bool { return s.Valid() && s != StatusEnded }

// EvidenceStatuses lists the statuses a citation may give, in schema order.
func EvidenceStatuses() []string {
	var out []string
	for _, s := range statuses {
		if EvidenceStatus(Status(s)) {
			out = append(out, s)
		}
	}
	return out
}

// strength ranks evidence: a confirmation outweighs a report, a report an
// allegation.
var strength = map[Status]int{StatusAlleged: 1, StatusReported: 2, StatusConfirmed: 3}

// CitedStatus is the status a tie's citations give it: the surest thing any
// of its sources says (a later confirmation lifts an earlier report), or
// DISPUTED as soon as one source disputes it (a dispute is what an analyst
// must see). Empty when no citation says how sure its source is.
func CitedStatus(cs []Citation) Status {
	var best Status
	for _, c := range cs {
		switch {
		case c.Status == StatusDisputed:
			return StatusDisputed
		case strength[c.Status] > strength[best]:
			best = c.Status
		}
	}
	return best
}

// TieStatus is the status a tie takes from what it is given and what its
// citations say, or a coded error naming field (the status argument) when
// they disagree. A tie that ENDED keeps that status (its citations say how
// sure the tie was while it held); otherwise, when citations say how sure
// their sources are, the tie's status is CitedStatus, and a given status
// must agree with it. A citation that says nothing counts as evidence for
// the status given with it (see withUnstated).
func TieStatus(given Status, cs []Citation, field string) (Status, error) {
	cited := CitedStatus(cs)
	switch {
	case given == StatusEnded || cited == "":
		if given == "" {
			return "", Invalidf(field, "is required (or give each citation a status)")
		}
		return given, nil
	case given == "":
		return cited, nil
	}
	if cited = withUnstated(given, cs); cited == given {
		return given, nil
	}
	var says []string
	for _, c := range cs {
		if c.Status == cited {
			says = append(says, c.SourceID+" "+c.Locator)
		}
	}
	return "", Invalidf(field, "is %s, but %s says %s: a tie is as sure as its surest source (or DISPUTED when one disputes it); leave status out to take it from the citations",
		given, strings.Join(says, " and "), cited)
}

// Restatus is a tie's status once its citations changed (citations added,
// ties folded together, sources merged): what they say, unless the tie
// ENDED or none says.
func Restatus(s Status, cs []Citation) Status {
	if s == StatusEnded || CitedStatus(cs) == "" {
		return s
	}
	return withUnstated(s, cs)
}

// withUnstated is what cs say when the citations that say nothing stand
// for s, the status the tie was given (or had) with them: a CONFIRMED tie
// cited once without a status is not lowered by a later REPORTED citation.
// (A DISPUTED tie with such citations stays disputed: nothing says the
// dispute is over.)
func withUnstated(s Status, cs []Citation) Status {
	if EvidenceStatus(s) && slices.ContainsFunc(cs, func(c Citation) bool { return c.Status == "" }) {
		return CitedStatus(append(slices.Clone(cs), Citation{Status: s}))
	}
	return CitedStatus(cs)
}

// Folded is the status of two same ties folded into one (a merge brought
// them to the same ends): what their citations say, else the surer of the
// two. A tie that ENDED in kept keeps that.
func Folded(kept, other Status, cs []Citation) Status {
	s := kept
	if kept != StatusEnded && other != StatusEnded {
		s = CitedStatus([]Citation{{Status: kept}, {Status: other}})
	}
	return Restatus(s, cs)
}

// MergeCitations adds citations to a list, one per source and locator: a
// later one for the same place replaces the earlier when it says how sure
// its source is.
func MergeCitations(have, add []Citation) []Citation {
	out := slices.Clone(have)
	for _, c := range add {
		i := slices.IndexFunc(out, func(x Citation) bool { return x.SourceID == c.SourceID && x.Locator == c.Locator })
		switch {
		case i < 0:
			out = append(out, c)
		case c.Status != "":
			out[i] = c
		}
	}
	return out
}
