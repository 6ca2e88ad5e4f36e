package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Node properties. Citations are parallel lists (Neo4j properties cannot
// hold maps): sources, locators and, when any citation says how sure its
// source is, statuses ("" where one does not; null, so not stored, when
// none does). Dates are stored as written ("2024", "2025-04-04") with their
// earliest and latest day alongside for range comparisons. Defaults are not
// stored: a fact without a basis is STATED, a figure without a bound EXACT.

func citationProps(p map[string]any, cs []coop.Citation) {
	sources := make([]string, len(cs))
	locators := make([]string, len(cs))
	statuses := make([]string, len(cs))
	said := false
	for i, c := range cs {
		sources[i], locators[i], statuses[i] = c.SourceID, c.Locator, string(c.Status)
		said = said || c.Status != ""
	}
	p["citeSources"], p["citeLocators"], p["citeStatuses"] = sources, locators, nil
	if said {
		p["citeStatuses"] = statuses
	}
}

// provenanceProps stores a fact's basis: only an inferred one.
func provenanceProps(p map[string]any, pv coop.Provenance) {
	p["basis"], p["inference"] = nil, nil
	if pv.Basis.OrStated() != coop.BasisStated {
		p["basis"], p["inference"] = string(pv.Basis), pv.Inference
	}
}

func dateProp(p map[string]any, name string, d coop.Date) {
	if !d.IsZero() {
		p[name] = d.String()
	}
}

func strProp(p map[string]any, name, v string) {
	if v != "" {
		p[name] = v
	}
}

// entityProps is what a node holds for an entity.
func entityProps(e coop.Entity) map[string]any {
	b := e.EntityBase()
	p := map[string]any{"id": b.ID, "name": b.Name, "aliases": nonNil(b.Aliases), "nameKeys": coop.NameKeys(b),
		"aliasText":    strings.Join(b.Aliases, " | "), // the full-text index reads strings, not lists
		"mentionWords": mentionWords(b)}
	strProp(p, "description", b.Description)
	citationProps(p, b.Citations)
	delete(p, "citeStatuses") // an entity's citations say nothing of how sure
	provenanceProps(p, b.Provenance)
	if len(b.EditorialAliases) > 0 {
		p["editorialAliases"] = b.EditorialAliases
	}
	if b.Synthetic {
		p["synthetic"] = true
	}
	switch x := e.(type) {
	case *coop.Actor:
		p["kind"] = string(x.Kind)
		strProp(p, "country", x.CountryID)
	case *coop.Place:
		p["kind"] = string(x.Kind)
		strProp(p, "country", x.CountryID)
	case *coop.Agreement:
		p["kind"], p["status"] = string(x.Kind), string(x.Status)
		dateProp(p, "proposed", x.Proposed)
		dateProp(p, "signed", x.Signed)
		dateProp(p, "inForce", x.InForce)
		dateProp(p, "ended", x.Ended)
	case *coop.Meeting:
		dateProp(p, "date", x.Date)
		p["topics"], p["outcomes"] = nonNil(x.Topics), nonNil(x.Outcomes)
	case *coop.Event:
		p["kind"] = string(x.EventType)
		strProp(p, "subEventType", x.SubEventType)
		dateProp(p, "date", x.Date)
		dateProp(p, "endDate", x.EndDate)
		if x.Fatalities != nil {
			p["fatalities"] = int64(*x.Fatalities)
		}
	case *coop.Statistic:
		p["indicator"], p["value"], p["unit"] = x.Indicator, x.Value, x.Unit
		if x.Bound.OrExact() != coop.BoundExact {
			p["bound"] = string(x.Bound)
		}
		dateProp(p, "periodStart", x.PeriodStart)
		dateProp(p, "periodEnd", x.PeriodEnd)
	case *coop.Source:
		p["kind"] = string(x.Kind)
		strProp(p, "publisher", x.Publisher)
		dateProp(p, "published", x.Published)
		strProp(p, "url", x.URL)
	}
	return p
}

// relationshipProps is what a Neo4j relationship holds for a coop.Relationship.
func relationshipProps(r *coop.Relationship) map[string]any {
	p := map[string]any{"id": r.ID, "status": string(r.Status)}
	dateProp(p, "since", r.Since)
	dateProp(p, "until", r.Until)
	dateProp(p, "asOf", r.AsOf)
	if !r.Since.IsZero() {
		p["sinceFirst"] = r.Since.First().Format("2006-01-02")
	}
	if !r.Until.IsZero() {
		p["untilLast"] = r.Until.Last().Format("2006-01-02")
	}
	strProp(p, "role", r.Role)
	strProp(p, "description", r.Description)
	citationProps(p, r.Citations)
	provenanceProps(p, r.Provenance)
	return p
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// props reads typed values out of a node's or relationship's properties.
type props map[string]any

func (p props) str(k string) string {
	s, _ := p[k].(string)
	return s
}

func (p props) strs(k string) []string { return strs(p[k]) }

// date reads a stored date; stored dates were validated on the way in.
func (p props) date(k string) coop.Date {
	d, _ := coop.ParseDate(p.str(k))
	return d
}

func (p props) citations() []coop.Citation {
	sources, locators, statuses := p.strs("citeSources"), p.strs("citeLocators"), p.strs("citeStatuses")
	out := make([]coop.Citation, 0, len(sources))
	for i := range sources {
		if i < len(locators) {
			c := coop.Citation{SourceID: sources[i], Locator: locators[i]}
			if i < len(statuses) {
				c.Status = coop.Status(statuses[i])
			}
			out = append(out, c)
		}
	}
	return out
}

// provenance reads a fact's basis: STATED when none is stored.
func (p props) provenance() coop.Provenance {
	return coop.Provenance{Basis: coop.Basis(p.str("basis")).OrStated(), Inference: p.str("inference")}
}

// version reads a version; data loaded before versions existed is at 1.
func (p props) version() int64 {
	if v, ok := p["version"].(int64); ok && v > 0 {
		return v
	}
	return 1
}

func (p props) base() coop.Base {
	synthetic, _ := p["synthetic"].(bool)
	return coop.Base{ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"), EditorialAliases: p.strs("editorialAliases"),
		Description: p.str("description"), Citations: p.citations(), Provenance: p.provenance(),
		Version: p.version(), Synthetic: synthetic}
}

// entityFromNode maps a node onto the entity type its labels name.
func entityFromNode(n neo4j.Node) (coop.Entity, error) {
	p := props(n.Props)
	for _, l := range n.Labels {
		switch coop.EntityType(l) {
		case coop.TypeActor:
			return &coop.Actor{Base: p.base(), Kind: coop.ActorKind(p.str("kind")), CountryID: p.str("country")}, nil
		case coop.TypePlace:
			return &coop.Place{Base: p.base(), Kind: coop.PlaceKind(p.str("kind")), CountryID: p.str("country")}, nil
		case coop.TypeAgreement:
			return &coop.Agreement{Base: p.base(), Kind: coop.AgreementKind(p.str("kind")), Status: coop.AgreementStatus(p.str("status")),
				Proposed: p.date("proposed"), Signed: p.date("signed"), InForce: p.date("inForce"), Ended: p.date("ended")}, nil
		case coop.TypeMeeting:
			return &coop.Meeting{Base: p.base(), Date: p.date("date"), Topics: p.strs("topics"), Outcomes: p.strs("outcomes")}, nil
		case coop.TypeEvent:
			e := &coop.Event{Base: p.base(), EventType: coop.EventType(p.str("kind")), SubEventType: p.str("subEventType"),
				Date: p.date("date"), EndDate: p.date("endDate")}
			if f, ok := p["fatalities"].(int64); ok {
				n := int(f)
				e.Fatalities = &n
			}
			return e, nil
		case coop.TypeStatistic:
			v, _ := p["value"].(float64)
			return &coop.Statistic{Base: p.base(), Indicator: p.str("indicator"), Value: v, Unit: p.str("unit"),
				Bound:       coop.Bound(p.str("bound")).OrExact(),
				PeriodStart: p.date("periodStart"), PeriodEnd: p.date("periodEnd")}, nil
		case coop.TypeSource:
			return &coop.Source{Base: p.base(), Kind: coop.SourceKind(p.str("kind")), Publisher: p.str("publisher"),
				Published: p.date("published"), URL: p.str("url")}, nil
		}
	}
	return nil, fmt.Errorf("node %v has no entity type label", n.Labels)
}

// relationshipFromNeo4j maps a relationship; from and to may be nil when
// the caller sets FromID and ToID itself.
func relationshipFromNeo4j(r neo4j.Relationship, from, to coop.Entity) *coop.Relationship {
	p := props(r.Props)
	var fromID, toID string
	if from != nil && to != nil {
		fromID, toID = from.EntityID(), to.EntityID()
	}
	return &coop.Relationship{ID: p.str("id"), Type: coop.RelationType(r.Type),
		FromID: fromID, ToID: toID, From: from, To: to,
		Since: p.date("since"), Until: p.date("until"), AsOf: p.date("asOf"),
		Role: p.str("role"), Status: coop.Status(p.str("status")), Description: p.str("description"),
		Citations: p.citations(), Provenance: p.provenance(), Version: p.version()}
}

// strs reads a list of strings a query returned.
func strs(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
