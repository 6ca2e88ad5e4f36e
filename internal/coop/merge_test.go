package coop

import (
	"reflect"
	"strings"
	"testing"
)

func actor(id, name string, kind ActorKind, country string, cites ...Citation) *Actor {
	return &Actor{Base: Base{ID: id, Name: name, Citations: cites}, Kind: kind, CountryID: country}
}

func TestCheckMergeRefusesWhatWouldBreakTheGraph(t *testing.T) {
	group := actor("a", "A", ActorCriminalGroup, "")
	for name, c := range map[string]struct {
		keep, remove Entity
		says         string // "" when the merge may go ahead
	}{
		"one type, one kind": {group, actor("b", "B", ActorCriminalGroup, ""), ""},
		"two types":          {group, &Place{Base: Base{ID: "p"}, Kind: "CITY"}, "only entities of one type merge"},
		"two actor kinds":    {group, actor("b", "B", ActorCartel, ""), "update one's kind first"},
		"two places":         {&Place{Base: Base{ID: "p"}, Kind: "CITY"}, &Place{Base: Base{ID: "q"}, Kind: "PORT"}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckMerge(c.keep, c.remove)
			switch {
			case c.says == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.says != "" && (err == nil || !strings.Contains(err.Error(), c.says) || ErrorCode(err) != CodeInvalid):
				t.Errorf("got %v; want a refusal saying %q", err, c.says)
			}
		})
	}
	if err := CheckMergeIDs("a", "a"); err == nil || ErrorCode(err) != CodeInvalid {
		t.Errorf("an entity merged into itself: %v", err)
	}
	if err := CheckMergeIDs("a", "b"); err != nil {
		t.Errorf("two ids: %v", err)
	}
}

func TestAbsorbTakesNamesEvidenceAndCountry(t *testing.T) {
	c1, c2 := Citation{SourceID: "s1", Locator: "¶1"}, Citation{SourceID: "s2", Locator: "¶2"}
	ev := Citation{SourceID: "s3", Locator: "¶3"}
	t.Run("names and evidence, once each", func(t *testing.T) {
		keep := actor("los-lobos", "Los Lobos", ActorCriminalGroup, "ecuador", c1)
		keep.Aliases = []string{"Lobos"}
		remove := actor("lobos", "Lobos", ActorCriminalGroup, "", c1, c2)
		remove.Aliases = []string{"Los Lobos", "The Wolves"}
		remove.Description = "gang"
		Absorb(keep, remove, []Citation{ev, c2})
		if want := []string{"Lobos", "The Wolves"}; !reflect.DeepEqual(keep.Aliases, want) {
			t.Errorf("aliases %q; want %q", keep.Aliases, want)
		}
		if want := []Citation{c1, c2, ev}; !reflect.DeepEqual(keep.Citations, want) {
			t.Errorf("citations %v; want %v", keep.Citations, want)
		}
		if keep.CountryID != "ecuador" || keep.Description != "gang" {
			t.Errorf("country %q, description %q; want ecuador (kept) and the other's description", keep.CountryID, keep.Description)
		}
	})
	t.Run("a country taken from the other, unless it is the kept one", func(t *testing.T) {
		keep := actor("a", "A", ActorCriminalGroup, "", c1)
		Absorb(keep, actor("b", "B", ActorCriminalGroup, "peru", c1), nil)
		if keep.CountryID != "peru" {
			t.Errorf("country %q; want peru", keep.CountryID)
		}
		country := actor("ecuador", "Ecuador", ActorCountry, "", c1)
		Absorb(country, actor("ecuador-2", "Ecuador", ActorCountry, "ecuador", c1), nil)
		if country.CountryID != "" {
			t.Errorf("a country kept %q as its own country", country.CountryID)
		}
		place := &Place{Base: Base{ID: "quito"}, Kind: "CITY", CountryID: "ecuador-2"}
		Absorb(place, &Place{Base: Base{ID: "ecuador-2"}, Kind: "CITY"}, nil)
		if place.CountryID != "quito" {
			t.Errorf("a place in the removed entity is in %q; want the kept one", place.CountryID)
		}
	})
	t.Run("sources take no evidence and cite the kept one", func(t *testing.T) {
		keep := &Source{Base: Base{ID: "report-v2", Name: "Report"}}
		remove := &Source{Base: Base{ID: "report-v1", Name: "Report (draft)", Citations: []Citation{{SourceID: "report-v1", Locator: "p. 1"}}}}
		Absorb(keep, remove, []Citation{ev})
		if want := []Citation{{SourceID: "report-v2", Locator: "p. 1"}}; !reflect.DeepEqual(keep.Citations, want) {
			t.Errorf("citations %v; want %v", keep.Citations, want)
		}
	})
}

func TestPlanTieMoves(t *testing.T) {
	cite := func(s Status) []Citation { return []Citation{{SourceID: "s", Locator: "¶" + string(s), Status: s}} }
	kept := []Tie{{ID: "k-rival-x", Type: RelRivalOf, Out: true, Other: "x", Citations: cite(StatusReported), Status: StatusReported, Version: 3}}
	removed := []Tie{
		{ID: "r-rival-x", Type: RelRivalOf, Out: false, Other: "x", Citations: cite(StatusConfirmed), Status: StatusConfirmed},
		{ID: "r-ally-k", Type: RelAlliedWith, Out: true, Other: "k", Status: StatusReported},
		{ID: "r-ally-k", Type: RelAlliedWith, Out: false, Other: "k", Status: StatusReported}, // seen from both ends
		{ID: "r-ops-peru", Type: RelOperatesIn, Out: true, Other: "peru", Status: StatusReported},
		{ID: "r-in-country-peru", Type: RelInCountry, Out: true, Other: "peru"},
		{ID: "y-ally-r", Type: RelAlliedWith, Out: false, Other: "y", Status: StatusAlleged},
	}
	m, err := PlanTieMoves("k", "r", kept, removed)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("every tie but the field's is deleted once", func(t *testing.T) {
		want := map[RelationType][]string{RelRivalOf: {"r-rival-x"}, RelAlliedWith: {"r-ally-k", "y-ally-r"}, RelOperatesIn: {"r-ops-peru"}}
		if !reflect.DeepEqual(m.Deleted, want) {
			t.Errorf("deleted %v; want %v", m.Deleted, want)
		}
	})
	t.Run("ties between the two are dropped", func(t *testing.T) {
		if !reflect.DeepEqual(m.Dropped, []string{"r-ally-k"}) {
			t.Errorf("dropped %v", m.Dropped)
		}
	})
	t.Run("a symmetric twin folds into the kept tie", func(t *testing.T) {
		if len(m.Folds) != 1 || m.Folds[0].ID != "k-rival-x" || m.Folds[0].Version != 4 || m.Folds[0].Status != StatusConfirmed || len(m.Folds[0].Citations) != 2 {
			t.Errorf("folds %+v; want k-rival-x at version 4, CONFIRMED, with both citations", m.Folds)
		}
	})
	t.Run("the rest move", func(t *testing.T) {
		var ids []string
		for _, tie := range m.Moved {
			ids = append(ids, tie.ID)
		}
		if !reflect.DeepEqual(ids, []string{"r-ops-peru", "y-ally-r"}) {
			t.Errorf("moved %v", ids)
		}
	})
	t.Run("the reason says what went", func(t *testing.T) {
		got := m.Reason("duplicate")
		if !strings.HasPrefix(got, "duplicate (dropped 1 relationships between the two: r-ally-k)") || !strings.Contains(got, "r-rival-x into k-rival-x") {
			t.Errorf("reason %q", got)
		}
		if (TieMoves{}).Reason(" same ") != "same" {
			t.Errorf("a plain reason is changed: %q", (TieMoves{}).Reason(" same "))
		}
	})
	if _, err := PlanTieMoves("k", "r", nil, []Tie{{ID: "z", Type: "NOT_A_TYPE"}}); err == nil {
		t.Error("a tie outside the allow-list is moved")
	}
}
