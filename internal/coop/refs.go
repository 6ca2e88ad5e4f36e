package coop

import "fmt"

// Where a reference is looked up, as the messages of CheckReferences say it:
// a write looks in the stored graph, an import among the lines before.
const (
	InTheGraph      = "in the graph"
	OnAnEarlierLine = "defined on an earlier line"
)

// Lookup finds what a fact refers to, and says where it looked (InTheGraph
// or OnAnEarlierLine).
type Lookup struct {
	Get   func(id string) (Entity, bool)
	Where string
	// ByIndex names a citation's problem by its place in the input
	// (citations[0].source), for an import line whose citations are its
	// own; a write's evidence joins the stored citations, so its problems
	// name the argument (citations).
	ByIndex bool
}

// citationField names part of the i-th citation as the input gave it.
func (in Lookup) citationField(i int, part string) string {
	if in.ByIndex {
		return fmt.Sprintf("citations[%d].%s", i, part)
	}
	return "citations"
}

// NoPassage is the problem of the i-th citation when its source has
// passages and it names none of them: a source with passages is cited by
// them. The caller knows the passages (stored, or given by the input).
func NoPassage(i int, c Citation, in Lookup) *Error {
	return Invalidf(in.citationField(i, "locator"), "%q has no passage %q: cite one of its passages (Source.passages lists those stored)", c.SourceID, c.Locator)
}

// CitationsOf is what a fact cites: the entity's or the relationship's.
func CitationsOf(e Entity, r *Relationship) []Citation {
	if e != nil {
		return e.EntityBase().Citations
	}
	if r != nil {
		return r.Citations
	}
	return nil
}

// CheckCited reports a fact without a citation: every entity but a source,
// and every relationship, cites at least one. Writes and imports both ask it.
func CheckCited(e Entity, r *Relationship) *Error {
	if (e != nil || r != nil) && len(CitationsOf(e, r)) == 0 && (e == nil || e.EntityType() != TypeSource) {
		return Invalidf("citations", "every fact needs at least one citation")
	}
	return nil
}

// CheckReferences reports every reference of an entity (e) or a
// relationship (r) that is missing or of the wrong sort: citation sources
// must be sources, a country a COUNTRY actor other than the entity itself,
// and a relationship's ends must exist and suit its type's rule. Writes ask
// it against the stored graph, imports against the lines read before, so the
// two cannot disagree.
func CheckReferences(e Entity, r *Relationship, in Lookup) Problems {
	out := CheckSources(CitationsOf(e, r), in)
	if country := CountryOf(e); country != "" {
		found, _ := in.Get(country)
		if c, ok := found.(*Actor); country == e.EntityID() {
			out = append(out, Invalidf("country", "an entity cannot be its own country"))
		} else if !ok || c.Kind != ActorCountry {
			out = append(out, Invalidf("country", "%q is not a COUNTRY actor %s", country, in.Where))
		}
	}
	if r == nil {
		return out
	}
	from, okFrom := in.Get(r.FromID)
	if !okFrom {
		out = append(out, Invalidf("from", "%q is not an entity %s", r.FromID, in.Where))
	}
	to, okTo := in.Get(r.ToID)
	if !okTo {
		out = append(out, Invalidf("to", "%q is not an entity %s", r.ToID, in.Where))
	}
	if rule, ok := RuleFor(r.Type); ok && okFrom && okTo {
		if err := rule.Check(from, to); err != nil {
			out = append(out, Invalidf("type", "%v", err))
		}
	}
	return out
}

// CheckSources reports every citation whose source is not a source.
func CheckSources(cites []Citation, in Lookup) Problems {
	var out Problems
	for i, c := range cites {
		if s, ok := in.Get(c.SourceID); !ok || s.EntityType() != TypeSource {
			out = append(out, Invalidf(in.citationField(i, "source"), "%q is not a source %s", c.SourceID, in.Where))
		}
	}
	return out
}

// Problems is every problem found with one input, in the order found.
type Problems []*Error

// Err is the problems as one error for a client: the first problem's field
// is the error's, and every problem is in its message. Nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	msg := ps[0].Message
	for _, p := range ps[1:] {
		msg += "; " + p.Field + ": " + p.Message
	}
	return &Error{Code: ps[0].Code, Field: ps[0].Field, Message: msg}
}
