package coop

import (
	"regexp"
)

// EntityType is the type of a node: what GraphQL calls its __typename.
type EntityType string

const (
	TypeActor     EntityType = "Actor"
	TypePlace     EntityType = "Place"
	TypeAgreement EntityType = "Agreement"
	TypeMeeting   EntityType = "Meeting"
	TypeEvent     EntityType = "Event"
	TypeStatistic EntityType = "Statistic"
	TypeSource    EntityType = "Source"
)

// EntityTypes lists every entity type; the storage labels come from here.
var EntityTypes = []EntityType{TypeActor, TypePlace, TypeAgreement, TypeMeeting, TypeEvent, TypeStatistic, TypeSource}

// Valid reports whether t is one of EntityTypes.
func (t EntityType) Valid() bool {
	for _, known := range EntityTypes {
		if t == known {
			return true
		}
	}
	return false
}

var idForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidID reports whether s has the form of an id: a lower-case slug such
// as los-choneros.
func ValidID(s string) bool { return idForm.MatchString(s) }

// enum is the set of values one enumeration allows, in schema order.
type enum []string

// enumOf lists an enumeration's constants: each value is spelled once.
func enumOf[T ~string](xs ...T) enum {
	out := make(enum, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func (e enum) has(v string) bool {
	for _, x := range e {
		if x == v {
			return true
		}
	}
	return false
}

// ActorKind is what sort of actor an Actor is.
type ActorKind string

const (
	ActorPerson            ActorKind = "PERSON"
	ActorGovernment        ActorKind = "GOVERNMENT"
	ActorMinistry          ActorKind = "MINISTRY"
	ActorArmedForce        ActorKind = "ARMED_FORCE"
	ActorInternationalBody ActorKind = "INTERNATIONAL_BODY"
	ActorCriminalGroup     ActorKind = "CRIMINAL_GROUP"
	ActorCartel            ActorKind = "CARTEL"
	ActorCountry           ActorKind = "COUNTRY"
)

var actorKinds = enumOf(ActorPerson, ActorGovernment, ActorMinistry, ActorArmedForce, ActorInternationalBody, ActorCriminalGroup, ActorCartel, ActorCountry)

func (k ActorKind) Valid() bool     { return actorKinds.has(string(k)) }
func (ActorKind) Allowed() []string { return actorKinds }

// PlaceKind is what sort of place a Place is. Countries are actors.
type PlaceKind string

var placeKinds = enum{"CITY", "PORT", "REGION", "PROVINCE", "FACILITY"}

func (k PlaceKind) Valid() bool     { return placeKinds.has(string(k)) }
func (PlaceKind) Allowed() []string { return placeKinds }

// AgreementKind is what sort of instrument an Agreement is.
type AgreementKind string

var agreementKinds = enum{"LAW", "STRATEGY", "AID_PROGRAM", "TREATY", "EXECUTIVE_AGREEMENT", "INTERNATIONAL_AGREEMENT", "EXECUTIVE_ORDER", "DOCTRINE", "PROPOSAL"}

func (k AgreementKind) Valid() bool     { return agreementKinds.has(string(k)) }
func (AgreementKind) Allowed() []string { return agreementKinds }

// AgreementStatus is where an Agreement is in its life.
type AgreementStatus string

var agreementStatuses = enum{"UNDER_CONSIDERATION", "PROPOSED", "UNDER_NEGOTIATION", "SIGNED", "IN_FORCE", "ENDED", "UNKNOWN"}

func (s AgreementStatus) Valid() bool     { return agreementStatuses.has(string(s)) }
func (AgreementStatus) Allowed() []string { return agreementStatuses }

// EventType classifies an Event, after ACLED's event types.
type EventType string

var eventTypes = enum{"ASSASSINATION", "VIOLENCE_WAVE", "DEPLOYMENT", "EMERGENCY_MEASURE", "SANCTIONS_DESIGNATION", "PRISON_ESCAPE", "DISAPPEARANCE", "POLICY_DECISION", "MILITARY_CONFLICT", "INTERVENTION"}

func (t EventType) Valid() bool     { return eventTypes.has(string(t)) }
func (EventType) Allowed() []string { return eventTypes }

// SourceKind says what sort of document a Source is.
type SourceKind string

var sourceKinds = enum{"NEWS", "OFFICIAL_RELEASE", "REPORT", "FACT_SHEET"}

func (k SourceKind) Valid() bool     { return sourceKinds.has(string(k)) }
func (SourceKind) Allowed() []string { return sourceKinds }

// Status says how well established a relationship is.
type Status string

var statuses = enumOf(StatusConfirmed, StatusReported, StatusAlleged, StatusDisputed, StatusEnded)

func (s Status) Valid() bool     { return statuses.has(string(s)) }
func (Status) Allowed() []string { return statuses }
