package model

// This file is the one place where GraphQL reads and writes the domain's
// scalars and enumerations: gqlgen.yml binds each to its Marshal and
// Unmarshal pair here, so package coop knows nothing of GraphQL.

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// MarshalDate writes a coop.Date as its text, and an unknown date as null.
func MarshalDate(d coop.Date) graphql.Marshaler {
	if d.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) })
}

// UnmarshalDate reads a Date argument, rejecting malformed ones with a
// BAD_USER_INPUT error.
func UnmarshalDate(v any) (coop.Date, error) {
	s, ok := v.(string)
	if !ok {
		return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: fmt.Sprintf("a Date is a string such as \"2025-04-04\", \"2025-04\" or \"2025\"; got %T", v)}
	}
	d, err := coop.ParseDate(s)
	if err != nil {
		if len(s) > 20 { // never echo long input back
			return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: "is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD or YYYX"}
		}
		return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: err.Error()}
	}
	return d, nil
}

// enumeration is a domain enumeration: a string type that knows its values.
type enumeration interface {
	~string
	Valid() bool
	Allowed() []string
}

func marshalEnum[T ~string](v T) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(string(v))) })
}

// unmarshalEnum reads a value of the enumeration the schema calls name.
func unmarshalEnum[T enumeration](name string, v any) (T, error) {
	s, ok := v.(string)
	if !ok || !T(s).Valid() {
		var zero T
		return zero, fmt.Errorf("%v is not a valid %s; allowed: %s", v, name, strings.Join(zero.Allowed(), ", "))
	}
	return T(s), nil
}

func MarshalActorKind(v coop.ActorKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalActorKind(v any) (coop.ActorKind, error) {
	return unmarshalEnum[coop.ActorKind]("ActorKind", v)
}
func MarshalPlaceKind(v coop.PlaceKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalPlaceKind(v any) (coop.PlaceKind, error) {
	return unmarshalEnum[coop.PlaceKind]("PlaceKind", v)
}
func MarshalAgreementKind(v coop.AgreementKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalAgreementKind(v any) (coop.AgreementKind, error) {
	return unmarshalEnum[coop.AgreementKind]("AgreementKind", v)
}
func MarshalAgreementStatus(v coop.AgreementStatus) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalAgreementStatus(v any) (coop.AgreementStatus, error) {
	return unmarshalEnum[coop.AgreementStatus]("AgreementStatus", v)
}
func MarshalEventType(v coop.EventType) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalEventType(v any) (coop.EventType, error) {
	return unmarshalEnum[coop.EventType]("EventType", v)
}
func MarshalSourceKind(v coop.SourceKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalSourceKind(v any) (coop.SourceKind, error) {
	return unmarshalEnum[coop.SourceKind]("SourceKind", v)
}
func MarshalStatus(v coop.Status) graphql.Marshaler             { return marshalEnum(v) }
func UnmarshalStatus(v any) (coop.Status, error)                { return unmarshalEnum[coop.Status]("Status", v) }
func MarshalRelationType(v coop.RelationType) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalRelationType(v any) (coop.RelationType, error) {
	return unmarshalEnum[coop.RelationType]("RelationType", v)
}
func MarshalDirection(v coop.Direction) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalDirection(v any) (coop.Direction, error) {
	return unmarshalEnum[coop.Direction]("Direction", v)
}
func MarshalSearchMatch(v coop.SearchMatch) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalSearchMatch(v any) (coop.SearchMatch, error) {
	return unmarshalEnum[coop.SearchMatch]("SearchMatch", v)
}
func MarshalPassageKind(v coop.PassageKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalPassageKind(v any) (coop.PassageKind, error) {
	return unmarshalEnum[coop.PassageKind]("PassageKind", v)
}
func MarshalBasis(v coop.Basis) graphql.Marshaler               { return marshalEnum(v.OrStated()) }
func UnmarshalBasis(v any) (coop.Basis, error)                  { return unmarshalEnum[coop.Basis]("Basis", v) }
func MarshalBound(v coop.Bound) graphql.Marshaler               { return marshalEnum(v.OrExact()) }
func UnmarshalBound(v any) (coop.Bound, error)                  { return unmarshalEnum[coop.Bound]("Bound", v) }
func MarshalTimelineKind(v coop.TimelineKind) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalTimelineKind(v any) (coop.TimelineKind, error) {
	return unmarshalEnum[coop.TimelineKind]("TimelineKind", v)
}
func MarshalDatePrecision(v coop.Precision) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalDatePrecision(v any) (coop.Precision, error) {
	return unmarshalEnum[coop.Precision]("DatePrecision", v)
}
func MarshalChangeAction(v coop.Action) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalChangeAction(v any) (coop.Action, error) {
	return unmarshalEnum[coop.Action]("ChangeAction", v)
}
func MarshalChangeTarget(v coop.Target) graphql.Marshaler { return marshalEnum(v) }
func UnmarshalChangeTarget(v any) (coop.Target, error) {
	return unmarshalEnum[coop.Target]("ChangeTarget", v)
}

// A Role is lower-case in the domain ("editor") and upper-case on the wire
// (EDITOR).
func MarshalRole(r coop.Role) graphql.Marshaler {
	return marshalEnum(coop.Role(strings.ToUpper(string(r))))
}
func UnmarshalRole(v any) (coop.Role, error) {
	s, _ := v.(string)
	role := coop.Role(strings.ToLower(s))
	if s != strings.ToUpper(s) || !role.Valid() {
		return "", fmt.Errorf("%v is not a valid Role", v)
	}
	return role, nil
}
