package coop

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
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

func unmarshalEnum(name string, allowed enum, v any) (string, error) {
	s, ok := v.(string)
	if !ok || !allowed.has(s) {
		return "", fmt.Errorf("%v is not a valid %s; allowed: %s", v, name, strings.Join(allowed, ", "))
	}
	return s, nil
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

func (k ActorKind) Valid() bool            { return actorKinds.has(string(k)) }
func (ActorKind) Allowed() []string        { return actorKinds }
func (k ActorKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }
func (k *ActorKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum("ActorKind", actorKinds, v)
	*k = ActorKind(s)
	return err
}

// PlaceKind is what sort of place a Place is. Countries are actors.
type PlaceKind string

var placeKinds = enum{"CITY", "PORT", "REGION", "PROVINCE", "FACILITY"}

func (k PlaceKind) Valid() bool            { return placeKinds.has(string(k)) }
func (PlaceKind) Allowed() []string        { return placeKinds }
func (k PlaceKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }
func (k *PlaceKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum("PlaceKind", placeKinds, v)
	*k = PlaceKind(s)
	return err
}

// AgreementKind is what sort of instrument an Agreement is.
type AgreementKind string

var agreementKinds = enum{"LAW", "STRATEGY", "AID_PROGRAM", "TREATY", "EXECUTIVE_AGREEMENT", "INTERNATIONAL_AGREEMENT", "EXECUTIVE_ORDER", "DOCTRINE", "PROPOSAL"}

func (k AgreementKind) Valid() bool            { return agreementKinds.has(string(k)) }
func (AgreementKind) Allowed() []string        { return agreementKinds }
func (k AgreementKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }
func (k *AgreementKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum("AgreementKind", agreementKinds, v)
	*k = AgreementKind(s)
	return err
}

// AgreementStatus is where an Agreement is in its life.
type AgreementStatus string

var agreementStatuses = enum{"UNDER_CONSIDERATION", "PROPOSED", "UNDER_NEGOTIATION", "SIGNED", "IN_FORCE", "ENDED", "UNKNOWN"}

func (s AgreementStatus) Valid() bool            { return agreementStatuses.has(string(s)) }
func (AgreementStatus) Allowed() []string        { return agreementStatuses }
func (s AgreementStatus) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(s))) }
func (s *AgreementStatus) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum("AgreementStatus", agreementStatuses, v)
	*s = AgreementStatus(x)
	return err
}

// EventType classifies an Event, after ACLED's event types.
type EventType string

var eventTypes = enum{"ASSASSINATION", "VIOLENCE_WAVE", "DEPLOYMENT", "EMERGENCY_MEASURE", "SANCTIONS_DESIGNATION", "PRISON_ESCAPE", "DISAPPEARANCE", "POLICY_DECISION", "MILITARY_CONFLICT", "INTERVENTION"}

func (t EventType) Valid() bool            { return eventTypes.has(string(t)) }
func (EventType) Allowed() []string        { return eventTypes }
func (t EventType) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(t))) }
func (t *EventType) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum("EventType", eventTypes, v)
	*t = EventType(s)
	return err
}

// SourceKind says what sort of document a Source is.
type SourceKind string

var sourceKinds = enum{"NEWS", "OFFICIAL_RELEASE", "REPORT", "FACT_SHEET"}

func (k SourceKind) Valid() bool            { return sourceKinds.has(string(k)) }
func (SourceKind) Allowed() []string        { return sourceKinds }
func (k SourceKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }
func (k *SourceKind) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum("SourceKind", sourceKinds, v)
	*k = SourceKind(s)
	return err
}

// Status says how well established a relationship is.
type Status string

var statuses = enumOf(StatusConfirmed, StatusReported, StatusAlleged, StatusDisputed, StatusEnded)

func (s Status) Valid() bool            { return statuses.has(string(s)) }
func (Status) Allowed() []string        { return statuses }
func (s Status) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(s))) }
func (s *Status) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum("Status", statuses, v)
	*s = Status(x)
	return err
}
