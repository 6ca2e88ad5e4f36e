package dataset

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// validator turns one decoded record into a domain value, reporting each
// problem through fail and carrying on so that all are reported at once.
type validator struct {
	fail func(field, format string, args ...any)
}

func (v validator) id(s string) string {
	switch {
	case s == "":
		v.fail("id", "is required")
	case len(s) > MaxIDLength:
		v.fail("id", "is longer than %d characters", MaxIDLength)
	case !coop.ValidID(s):
		v.fail("id", "%q must be a lower-case slug such as los-choneros", s)
	}
	return s
}

func (v validator) text(field, s string, max int, required bool) string {
	s = Text(s)
	if required && s == "" {
		v.fail(field, "is required")
	}
	if utf8.RuneCountInString(s) > max {
		v.fail(field, "is longer than %d characters", max)
	}
	check := coop.CheckText
	if max > MaxNameLength {
		check = coop.CheckLongText
	}
	if err := check(field, s); err != nil {
		v.fail(field, "%s", err.(*coop.Error).Message)
	}
	return s
}

func (v validator) list(field string, xs []string) []string {
	if len(xs) > MaxListLength {
		v.fail(field, "has more than %d items", MaxListLength)
	}
	out := make([]string, 0, len(xs))
	seen := map[string]bool{}
	for i, x := range xs {
		x = v.text(fmt.Sprintf("%s[%d]", field, i), x, MaxNameLength, true)
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (v validator) date(field, s string, required bool) coop.Date {
	if s == "" {
		if required {
			v.fail(field, "is required")
		}
		return coop.Date{}
	}
	d, err := coop.ParseDate(s)
	if err != nil {
		v.fail(field, "%v", err)
	}
	return d
}

func (v validator) ref(field, s string) string {
	if s != "" && !coop.ValidID(s) {
		v.fail(field, "%q is not an id", s)
	}
	return s
}

// citations checks a fact's citations. A relationship's may say how sure
// their source is (ofTie); an entity's may not.
func (v validator) citations(cs []coop.Citation, ofTie bool) []coop.Citation {
	out := make([]coop.Citation, 0, len(cs))
	for i, c := range cs {
		c.SourceID = v.ref(fmt.Sprintf("citations[%d].source", i), c.SourceID)
		c.Locator = v.text(fmt.Sprintf("citations[%d].locator", i), c.Locator, MaxLocatorLength, true)
		switch field := fmt.Sprintf("citations[%d].status", i); {
		case c.Status == "":
		case !ofTie:
			v.fail(field, "only a relationship's citations say how sure their source is")
		case !coop.EvidenceStatus(c.Status):
			v.fail(field, "%q is not how sure a source is; allowed: %s", c.Status, strings.Join(coop.EvidenceStatuses(), ", "))
		}
		out = append(out, c)
	}
	return out
}

// provenance checks a fact's basis: STATED unless given, and an inference
// exactly when INFERRED.
func (v validator) provenance(r *Record) coop.Provenance {
	p := coop.Provenance{Basis: coop.Basis(r.Basis), Inference: v.text("inference", r.Inference, MaxTextLength, false)}
	if p.Basis == "" {
		p.Basis = coop.BasisStated
	} else {
		v.enum("basis", p.Basis, r.Basis)
	}
	switch {
	case p.Basis == coop.BasisInferred && p.Inference == "":
		v.fail("inference", "is required for an INFERRED fact: say how it follows from its citations")
	case p.Basis == coop.BasisStated && p.Inference != "":
		v.fail("inference", "belongs to INFERRED facts only; a STATED fact's citations say it")
	}
	return p
}

func (v validator) base(r *Record, name string) coop.Base {
	b := coop.Base{
		ID:               r.ID,
		Name:             v.text("name", name, MaxNameLength, true),
		Aliases:          v.list("aliases", r.Aliases),
		EditorialAliases: v.list("editorialAliases", r.EditorialAliases),
		Description:      v.text("description", r.Description, MaxTextLength, false),
		Citations:        v.citations(r.Citations, false),
		Provenance:       v.provenance(r),
		Synthetic:        r.Synthetic,
	}
	for _, a := range b.EditorialAliases {
		if !slices.Contains(b.Aliases, a) {
			v.fail("editorialAliases", "%q is not among aliases: list every alias in aliases, and those no source uses in editorialAliases too", a)
		}
	}
	return b
}

// validatable is an enumerated type of the domain.
type validatable interface {
	Valid() bool
	Allowed() []string
}

func (v validator) enum(field string, x validatable, s string) {
	if s == "" {
		v.fail(field, "is required")
	} else if !x.Valid() {
		v.fail(field, "%q is not allowed; allowed: %s", s, strings.Join(x.Allowed(), ", "))
	}
}

func (v validator) source(r *Record) coop.Entity {
	s := &coop.Source{Base: v.base(r, r.Title), Kind: coop.SourceKind(r.Kind),
		Publisher: v.text("publisher", r.Publisher, MaxNameLength, false),
		Published: v.date("published", r.Published, false),
		URL:       v.text("url", r.URL, MaxNameLength, false)}
	v.enum("kind", s.Kind, r.Kind)
	if len(r.Citations) > 0 {
		v.fail("citations", "a source is the evidence itself and takes no citations")
	}
	if r.Basis != "" || r.Inference != "" {
		v.fail("basis", "a source is the evidence itself: it is not stated or inferred")
	}
	return s
}

func (v validator) actor(r *Record) coop.Entity {
	a := &coop.Actor{Base: v.base(r, r.Name), Kind: coop.ActorKind(r.Kind), CountryID: v.ref("country", r.Country)}
	v.enum("kind", a.Kind, r.Kind)
	return a
}

func (v validator) place(r *Record) coop.Entity {
	p := &coop.Place{Base: v.base(r, r.Name), Kind: coop.PlaceKind(r.Kind), CountryID: v.ref("country", r.Country)}
	v.enum("kind", p.Kind, r.Kind)
	return p
}

func (v validator) agreement(r *Record) coop.Entity {
	a := &coop.Agreement{Base: v.base(r, r.Name), Kind: coop.AgreementKind(r.Kind), Status: coop.AgreementStatus(r.Status),
		Proposed: v.date("proposed", r.Proposed, false), Signed: v.date("signed", r.Signed, false),
		InForce: v.date("inForce", r.InForce, false), Ended: v.date("ended", r.Ended, false)}
	v.enum("kind", a.Kind, r.Kind)
	v.enum("status", a.Status, r.Status)
	return a
}

func (v validator) meeting(r *Record) coop.Entity {
	return &coop.Meeting{Base: v.base(r, r.Name), Date: v.date("date", r.Date, true),
		Topics: v.list("topics", r.Topics), Outcomes: v.list("outcomes", r.Outcomes)}
}

func (v validator) event(r *Record) coop.Entity {
	e := &coop.Event{Base: v.base(r, r.Name), EventType: coop.EventType(r.EventType),
		SubEventType: v.text("subEventType", r.SubEventType, MaxNameLength, false),
		Date:         v.date("date", r.Date, false), EndDate: v.date("endDate", r.EndDate, false),
		Fatalities: r.Fatalities}
	v.enum("eventType", e.EventType, r.EventType)
	if e.Fatalities != nil && *e.Fatalities < 0 {
		v.fail("fatalities", "must not be negative")
	}
	return e
}

func (v validator) statistic(r *Record) coop.Entity {
	s := &coop.Statistic{Base: v.base(r, r.Name),
		Indicator:   v.text("indicator", r.Indicator, MaxNameLength, true),
		Unit:        v.text("unit", r.Unit, MaxNameLength, true),
		PeriodStart: v.date("periodStart", r.PeriodStart, true),
		PeriodEnd:   v.date("periodEnd", r.PeriodEnd, true),
		Bound:       coop.Bound(r.Bound)}
	if s.Bound == "" {
		s.Bound = coop.BoundExact
	} else {
		v.enum("bound", s.Bound, r.Bound)
	}
	if r.Value == nil || math.IsNaN(*r.Value) || math.IsInf(*r.Value, 0) {
		v.fail("value", "is required and must be a number")
	} else {
		s.Value = *r.Value
	}
	if !s.PeriodStart.IsZero() && !s.PeriodEnd.IsZero() && s.PeriodEnd.Last().Before(s.PeriodStart.First()) {
		v.fail("periodEnd", "is before periodStart")
	}
	return s
}

func (v validator) relationship(r *Record) *coop.Relationship {
	rel := &coop.Relationship{ID: r.ID, Type: coop.RelationType(r.Type),
		FromID: v.ref("from", r.From), ToID: v.ref("to", r.To),
		Since: v.date("since", r.Since, false), Until: v.date("until", r.Until, false), AsOf: v.date("asOf", r.AsOf, false),
		Role:        v.text("role", r.Role, MaxNameLength, false),
		Status:      coop.Status(r.Status),
		Description: v.text("description", r.Description, MaxTextLength, false),
		Citations:   v.citations(r.Citations, true),
		Provenance:  v.provenance(r)}
	v.enum("type", rel.Type, r.Type)
	if r.ID == "" && rel.Type.Valid() && r.From != "" && r.To != "" {
		rel.ID = coop.TieID(r.From, rel.Type, r.To) // the id a relationship takes when none is given
		r.ID = rel.ID
	}
	if err := coop.WrittenThroughField(rel.Type, "type"); err != nil {
		v.fail("type", "%s", err.(*coop.Error).Message)
	} else if err := coop.ReservedTieID(rel.ID, "id"); err != nil {
		v.fail("id", "%s", err.(*coop.Error).Message)
	}
	if rel.Status != "" {
		v.enum("status", rel.Status, r.Status)
	}
	if rel.Status == "" || rel.Status.Valid() {
		status, err := coop.TieStatus(rel.Status, rel.Citations, "status")
		if err != nil {
			v.fail("status", "%s", err.(*coop.Error).Message)
		}
		rel.Status = status
	}
	if r.From == "" {
		v.fail("from", "is required")
	}
	if r.To == "" {
		v.fail("to", "is required")
	}
	if !rel.Since.IsZero() && !rel.Until.IsZero() && rel.Until.Last().Before(rel.Since.First()) {
		v.fail("until", "is before since")
	}
	if r.From != "" && r.From == r.To {
		v.fail("to", "a relationship joins two different entities")
	}
	return rel
}
