package graph

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// reader reads an after argument with parse, as cursorArg's callers do.
func reader[K any](parse func(string) (K, bool)) func(*string) (any, error) {
	return func(c *string) (any, error) { return cursorArg("after", c, parse) }
}

func TestCursorArg(t *testing.T) {
	text := func(s string) *string { return &s }
	cursor := func(key string) *string { return text(encodeCursor(key)) }
	id, order, mention := reader(textKey(validIDKey)), reader(coop.ParsePassageOrderCursor), reader(textKey(coop.ValidPassageCursor))
	for _, tc := range []struct {
		name string
		read func(*string) (any, error)
		c    *string
		want any // the key; nil: refused
	}{
		{"no cursor", id, nil, ""},
		{"an empty cursor", order, text(""), 0},
		{"an id", id, cursor("los-lobos"), "los-lobos"},
		{"not base64", id, text("not a cursor!"), nil},
		{"not an id", id, cursor("Los Lobos"), nil},
		{"an id too long", id, cursor(strings.Repeat("a", 201)), nil},
		{"a passage's order", order, cursor("12"), 12},
		{"a negative order", order, cursor("-1"), nil},
		{"a passage cursor", mention, cursor("ec-report 000012"), "ec-report 000012"},
		{"a passage cursor without its padding", mention, cursor("ec-report 12"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(tc.c)
			if tc.want != nil {
				if err != nil || got != tc.want {
					t.Errorf("got %#v, %v; want %#v", got, err, tc.want)
				}
				return
			}
			var ce *coop.Error
			if !errors.As(err, &ce) || ce.Field != "after" || ce.Message != "is not a cursor given by this API; pass a pageInfo.endCursor" {
				t.Errorf("got %#v, %v; want the cursor refused", got, err)
			}
		})
	}
}

func TestFilterKeyGivesBackItsFilter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    coop.RelationFilter
	}{
		{"any type", coop.RelationFilter{Direction: coop.DirectionBoth, Page: coop.PageArgs{First: 10}}},
		{"types in their order, repeats kept", coop.RelationFilter{Types: []coop.RelationType{coop.RelLeads, coop.RelAlliedWith, coop.RelLeads}, Direction: coop.DirectionOut}},
		{"a date, a cursor and a count", coop.RelationFilter{Types: []coop.RelationType{coop.RelMemberOf}, Direction: coop.DirectionIn,
			ActiveAt: coop.MustDate("2024-03"), Page: coop.PageArgs{First: 5, After: "los-lobos-leads-x"}, Count: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := keyOf(tc.f)
			if got := k.filter(); !reflect.DeepEqual(got, tc.f) {
				t.Errorf("got %+v; want %+v", got, tc.f)
			}
			again := tc.f
			again.Types = append([]coop.RelationType(nil), tc.f.Types...)
			if tc.f.ActiveAt.String() != "" {
				again.ActiveAt = coop.MustDate(tc.f.ActiveAt.String())
			}
			if keyOf(again) != k {
				t.Errorf("an equal filter made apart has another key")
			}
		})
	}
	if keyOf(coop.RelationFilter{Types: []coop.RelationType{coop.RelLeads}}) == keyOf(coop.RelationFilter{Types: []coop.RelationType{coop.RelMemberOf}}) {
		t.Errorf("filters of other types share a key")
	}
}
