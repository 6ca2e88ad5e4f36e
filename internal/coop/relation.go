package coop

import (
	"fmt"
	"sort"
	"strings"
)

// RelationType is the type of a relationship. Only the types in Relations
// exist; storage adapters build their queries from these constants, never
// from user text.
type RelationType string

const (
	RelHoldsOffice      RelationType = "HOLDS_OFFICE"
	RelLeads            RelationType = "LEADS"
	RelMemberOf         RelationType = "MEMBER_OF"
	RelPartOf           RelationType = "PART_OF"
	RelWorkedFor        RelationType = "WORKED_FOR"
	RelAlliedWith       RelationType = "ALLIED_WITH"
	RelRivalOf          RelationType = "RIVAL_OF"
	RelCooperatesWith   RelationType = "COOPERATES_WITH"
	RelSplinterOf       RelationType = "SPLINTER_OF"
	RelSupports         RelationType = "SUPPORTS"
	RelDesignated       RelationType = "DESIGNATED"
	RelOperatesIn       RelationType = "OPERATES_IN"
	RelLocatedIn        RelationType = "LOCATED_IN"
	RelBorders          RelationType = "BORDERS"
	RelTraffickingRoute RelationType = "TRAFFICKING_ROUTE"
	RelPartyTo          RelationType = "PARTY_TO"
	RelParticipatedIn   RelationType = "PARTICIPATED_IN"
	RelHeldAt           RelationType = "HELD_AT"
	RelDiscussed        RelationType = "DISCUSSED"
	RelInvolvedIn       RelationType = "INVOLVED_IN"
	RelOccurredIn       RelationType = "OCCURRED_IN"
	RelRespondsTo       RelationType = "RESPONDS_TO"
	RelMeasures         RelationType = "MEASURES"
	RelInCountry        RelationType = "IN_COUNTRY"
)

// End is one sort of node a relationship may start or end at: an entity
// type, narrowed for actors to some kinds (none listed: any kind).
type End struct {
	Type       EntityType
	ActorKinds []ActorKind
}

func (e End) String() string {
	if len(e.ActorKinds) == 0 {
		return string(e.Type)
	}
	kinds := make([]string, len(e.ActorKinds))
	for i, k := range e.ActorKinds {
		kinds[i] = string(k)
	}
	return fmt.Sprintf("%s of kind %s", e.Type, strings.Join(kinds, "|"))
}

// Rule says which ends a relationship type may join and whether it is
// symmetric (stored once, read in both directions).
type Rule struct {
	Type      RelationType
	From, To  []End
	Symmetric bool
	Meaning   string
	// Field, when set, names the entity field the tie stands for: such ties
	// are kept by the store from that field, so that traversals see it, and
	// are never written as relationships of their own.
	Field string
}

var (
	anyActor     = []End{{Type: TypeActor}}
	person       = []End{{Type: TypeActor, ActorKinds: []ActorKind{ActorPerson}}}
	organisation = []End{{Type: TypeActor, ActorKinds: []ActorKind{ActorGovernment, ActorMinistry, ActorArmedForce, ActorInternationalBody, ActorCriminalGroup, ActorCartel, ActorCountry}}}
	territory    = []End{{Type: TypePlace}, {Type: TypeActor, ActorKinds: []ActorKind{ActorCountry}}}
)

// Relations is the allow-list of relationship types, in schema order.
var Relations = []Rule{
	{Type: RelHoldsOffice, From: person, To: organisation, Meaning: "a dated post; role is the title"},
	{Type: RelLeads, From: person, To: organisation, Meaning: "leader of a group or body"},
	{Type: RelMemberOf, From: anyActor, To: organisation, Meaning: "member of a group or body"},
	{Type: RelPartOf, From: organisation, To: organisation, Meaning: "a ministry of a government, a government of a country"},
	{Type: RelWorkedFor, From: anyActor, To: anyActor, Meaning: "served another, e.g. as hired gunmen"},
	{Type: RelAlliedWith, From: anyActor, To: anyActor, Symmetric: true, Meaning: "allies"},
	{Type: RelRivalOf, From: anyActor, To: anyActor, Symmetric: true, Meaning: "rivals"},
	{Type: RelCooperatesWith, From: organisation, To: organisation, Symmetric: true, Meaning: "security partners"},
	{Type: RelSplinterOf, From: organisation, To: organisation, Meaning: "broke away from"},
	{Type: RelSupports, From: anyActor, To: anyActor, Meaning: "gives aid, services or backing"},
	{Type: RelDesignated, From: organisation, To: anyActor, Meaning: "listed as sanctioned or terrorist; role says which"},
	{Type: RelOperatesIn, From: anyActor, To: territory, Meaning: "active in"},
	{Type: RelLocatedIn, From: []End{{Type: TypePlace}}, To: territory, Meaning: "lies in"},
	{Type: RelBorders, From: territory, To: territory, Symmetric: true, Meaning: "shares a border"},
	{Type: RelTraffickingRoute, From: territory, To: territory, Meaning: "drugs move from, to"},
	{Type: RelPartyTo, From: anyActor, To: []End{{Type: TypeAgreement}}, Meaning: "party to an agreement or policy; role says how"},
	{Type: RelParticipatedIn, From: anyActor, To: []End{{Type: TypeMeeting}}, Meaning: "took part in a meeting; role is host or guest"},
	{Type: RelHeldAt, From: []End{{Type: TypeMeeting}}, To: territory, Meaning: "where a meeting took place"},
	{Type: RelDiscussed, From: []End{{Type: TypeMeeting}}, To: []End{{Type: TypeAgreement}, {Type: TypeEvent}}, Meaning: "a topic of the talks"},
	{Type: RelInvolvedIn, From: anyActor, To: []End{{Type: TypeEvent}}, Meaning: "took part in an event; role says how"},
	{Type: RelOccurredIn, From: []End{{Type: TypeEvent}}, To: territory, Meaning: "where an event happened"},
	{Type: RelRespondsTo, From: []End{{Type: TypeEvent}, {Type: TypeAgreement}, {Type: TypeMeeting}}, To: []End{{Type: TypeEvent}}, Meaning: "taken in answer to"},
	{Type: RelMeasures, From: []End{{Type: TypeStatistic}}, To: territory, Meaning: "the place a figure describes"},
	{Type: RelInCountry, From: []End{{Type: TypeActor}, {Type: TypePlace}}, To: []End{{Type: TypeActor, ActorKinds: []ActorKind{ActorCountry}}},
		Field: "country", Meaning: "the country an actor or place belongs to: its country field, citing what the entity cites"},
}

var rulesByType = func() map[RelationType]Rule {
	m := make(map[RelationType]Rule, len(Relations))
	for _, r := range Relations {
		m[r.Type] = r
	}
	return m
}()

// RuleFor returns the rule of a relationship type.
func RuleFor(t RelationType) (Rule, bool) {
	r, ok := rulesByType[t]
	return r, ok
}

// Managed reports whether ties of this type are kept from an entity field.
func (r Rule) Managed() bool { return r.Field != "" }

// WrittenThroughField refuses to write a tie of a managed type (update,
// end or delete it too) as a relationship, naming the field to set
// instead; nil for other types. field is the argument at fault.
func WrittenThroughField(t RelationType, field string) error {
	if rule, ok := RuleFor(t); ok && rule.Managed() {
		return Invalidf(field, "%s ties stand for an entity's %s field: set that field (createActor, updatePlace, ...) instead", t, rule.Field)
	}
	return nil
}

// CountryOf is an actor's or place's country id; "" for other entities
// and for those without a country.
func CountryOf(e Entity) string {
	switch x := e.(type) {
	case *Actor:
		return x.CountryID
	case *Place:
		return x.CountryID
	}
	return ""
}

// KindOf is an entity's kind: its actor, place, agreement, event or source
// kind; for meetings and statistics, which have none, MEETING and STATISTIC.
func KindOf(e Entity) string {
	switch x := e.(type) {
	case *Actor:
		return string(x.Kind)
	case *Place:
		return string(x.Kind)
	case *Agreement:
		return string(x.Kind)
	case *Event:
		return string(x.EventType)
	case *Source:
		return string(x.Kind)
	}
	return strings.ToUpper(string(e.EntityType()))
}

// countryTieMark is in every country tie's id, and kept for them: no other
// relationship may take an id with it.
const countryTieMark = "-in-country-"

// ReservedTieID refuses a relationship id kept for country ties; nil for
// any other. field is the argument at fault.
func ReservedTieID(id, field string) error {
	if strings.Contains(id, countryTieMark) {
		return Invalidf(field, "ids holding %q are kept for country ties; give this relationship another id", countryTieMark)
	}
	return nil
}

// CountryTie is the IN_COUNTRY tie that stands for an entity's country
// field, as the store keeps it: it cites what the entity cites. Nil when
// the entity has no country.
func CountryTie(e Entity) *Relationship {
	country := CountryOf(e)
	if country == "" {
		return nil
	}
	pv := e.EntityBase().Provenance
	pv.Basis = pv.Basis.OrStated()
	return &Relationship{ID: TieID(e.EntityID(), RelInCountry, country), Type: RelInCountry, FromID: e.EntityID(), ToID: country,
		Status: "REPORTED", Citations: e.EntityBase().Citations, Provenance: pv}
}

// SymmetricTypes lists the types stored once and read in both directions.
func SymmetricTypes() []RelationType {
	var out []RelationType
	for _, r := range Relations {
		if r.Symmetric {
			out = append(out, r.Type)
		}
	}
	return out
}

func allows(ends []End, t EntityType, kind ActorKind) bool {
	for _, e := range ends {
		if e.Type != t {
			continue
		}
		if len(e.ActorKinds) == 0 {
			return true
		}
		for _, k := range e.ActorKinds {
			if k == kind {
				return true
			}
		}
	}
	return false
}

// Check reports whether a relationship of type t may join from to to,
// naming the rule when it may not.
func (r Rule) Check(from, to Entity) error {
	if !allows(r.From, from.EntityType(), actorKindOf(from)) {
		return fmt.Errorf("%s may not start at %s %q (%s): it starts at %s", r.Type, describe(from), from.EntityID(), from.EntityType(), endList(r.From))
	}
	if !allows(r.To, to.EntityType(), actorKindOf(to)) {
		return fmt.Errorf("%s may not end at %s %q (%s): it ends at %s", r.Type, describe(to), to.EntityID(), to.EntityType(), endList(r.To))
	}
	return nil
}

func actorKindOf(e Entity) ActorKind {
	if a, ok := e.(*Actor); ok {
		return a.Kind
	}
	return ""
}

func describe(e Entity) string {
	if k := actorKindOf(e); k != "" {
		return string(k)
	}
	return string(e.EntityType())
}

var relationNames = func() enum {
	var e enum
	for _, r := range Relations {
		e = append(e, string(r.Type))
	}
	sort.Strings(e)
	return e
}()

func (t RelationType) Valid() bool     { _, ok := rulesByType[t]; return ok }
func (RelationType) Allowed() []string { return relationNames }

// Direction selects relationships by which end the entity is at.
type Direction string

const (
	DirectionOut  Direction = "OUT"
	DirectionIn   Direction = "IN"
	DirectionBoth Direction = "BOTH"
)

var directions = enumOf(DirectionOut, DirectionIn, DirectionBoth)

func (d Direction) Valid() bool     { return directions.has(string(d)) }
func (Direction) Allowed() []string { return directions }
func endList(ends []End) string {
	parts := make([]string, len(ends))
	for i, e := range ends {
		parts[i] = e.String()
	}
	return strings.Join(parts, " or ")
}

// TypesJoining lists the relationship types that may run from from to to,
// in allow-list order; managed types (written through a field) left out.
func TypesJoining(from, to Entity) []RelationType {
	var out []RelationType
	for _, r := range Relations {
		if !r.Managed() && r.Check(from, to) == nil {
			out = append(out, r.Type)
		}
	}
	return out
}

// TieID is the id a relationship takes when none is given: its ends and
// type, as in "cjng-operates-in-ecuador".
func TieID(from string, t RelationType, to string) string {
	return from + "-" + strings.ReplaceAll(strings.ToLower(string(t)), "_", "-") + "-" + to
}
