package model

import (
	"bytes"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// codec is one enumeration's pair, seen through strings.
type codec struct {
	unmarshal func(any) (string, error)
	marshal   func(string) graphql.Marshaler
}

func codecOf[T ~string](u func(any) (T, error), m func(T) graphql.Marshaler) codec {
	return codec{
		unmarshal: func(v any) (string, error) { x, err := u(v); return string(x), err },
		marshal:   func(s string) graphql.Marshaler { return m(T(s)) },
	}
}

func TestEveryEnumerationReadsAndWritesItsValues(t *testing.T) {
	for name, c := range map[string]struct {
		codec
		good string
	}{
		"ActorKind":       {codecOf(UnmarshalActorKind, MarshalActorKind), "CARTEL"},
		"PlaceKind":       {codecOf(UnmarshalPlaceKind, MarshalPlaceKind), "PORT"},
		"AgreementKind":   {codecOf(UnmarshalAgreementKind, MarshalAgreementKind), "TREATY"},
		"AgreementStatus": {codecOf(UnmarshalAgreementStatus, MarshalAgreementStatus), "IN_FORCE"},
		"EventType":       {codecOf(UnmarshalEventType, MarshalEventType), "ASSASSINATION"},
		"SourceKind":      {codecOf(UnmarshalSourceKind, MarshalSourceKind), "NEWS"},
		"Status":          {codecOf(UnmarshalStatus, MarshalStatus), "ALLEGED"},
		"RelationType":    {codecOf(UnmarshalRelationType, MarshalRelationType), "RIVAL_OF"},
		"Direction":       {codecOf(UnmarshalDirection, MarshalDirection), "BOTH"},
		"SearchMatch":     {codecOf(UnmarshalSearchMatch, MarshalSearchMatch), "TYPO"},
		"PassageKind":     {codecOf(UnmarshalPassageKind, MarshalPassageKind), "QUOTE"},
		"Basis":           {codecOf(UnmarshalBasis, MarshalBasis), "INFERRED"},
		"Bound":           {codecOf(UnmarshalBound, MarshalBound), "AT_LEAST"},
		"TimelineKind":    {codecOf(UnmarshalTimelineKind, MarshalTimelineKind), "OFFICE_TAKEN"},
		"DatePrecision":   {codecOf(UnmarshalDatePrecision, MarshalDatePrecision), "DECADE"},
		"ChangeAction":    {codecOf(UnmarshalChangeAction, MarshalChangeAction), "MERGE"},
		"ChangeTarget":    {codecOf(UnmarshalChangeTarget, MarshalChangeTarget), "GRAPH"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := c.unmarshal(c.good)
			if err != nil || got != c.good {
				t.Fatalf("reading %q: %q, %v", c.good, got, err)
			}
			var b bytes.Buffer
			c.marshal(got).MarshalGQL(&b)
			if b.String() != `"`+c.good+`"` {
				t.Errorf("written as %s; want %q", b.String(), c.good)
			}
			for _, bad := range []any{"NOT_ONE", strings.ToLower(c.good), 3, nil} {
				if _, err := c.unmarshal(bad); err == nil || !strings.Contains(err.Error(), "is not a valid "+name+"; allowed: ") {
					t.Errorf("%v read without the allowed values: %v", bad, err)
				}
			}
		})
	}
}

func TestDefaultsAndRolesAreWrittenAsTheSchemaSpellsThem(t *testing.T) {
	for name, c := range map[string]struct {
		m    graphql.Marshaler
		want string
	}{
		"an unset basis is STATED": {MarshalBasis(""), `"STATED"`},
		"an unset bound is EXACT":  {MarshalBound(""), `"EXACT"`},
		"a role is upper-case":     {MarshalRole(coop.RoleEditor), `"EDITOR"`},
		"an unknown date is null":  {MarshalDate(coop.Date{}), `null`},
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			c.m.MarshalGQL(&b)
			if b.String() != c.want {
				t.Errorf("got %s; want %s", b.String(), c.want)
			}
		})
	}
	if r, err := UnmarshalRole("ADMIN"); err != nil || r != coop.RoleAdmin {
		t.Errorf("ADMIN read as %q, %v", r, err)
	}
	if _, err := UnmarshalRole("admin"); err == nil {
		t.Error("a lower-case role was read")
	}
}
