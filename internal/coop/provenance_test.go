package coop

import (
	"slices"
	"testing"
)

func TestATieIsAsSureAsItsSurestSource(t *testing.T) {
	c := func(s Status) Citation { return Citation{SourceID: "s", Locator: string(s), Status: s} }
	for _, tc := range []struct {
		name  string
		given Status
		cites []Citation
		want  Status
		fails bool
	}{
		{"a later confirmation lifts the tie", "", []Citation{c(StatusReported), c(StatusConfirmed)}, StatusConfirmed, false},
		{"confirmed as the surest source says", StatusConfirmed, []Citation{c(StatusReported), c(StatusConfirmed)}, StatusConfirmed, false},
		{"weaker than a source says", StatusReported, []Citation{c(StatusReported), c(StatusConfirmed)}, "", true},
		{"surer than any source says", StatusConfirmed, []Citation{c(StatusAlleged)}, "", true},
		{"a dispute shows", "", []Citation{c(StatusConfirmed), c(StatusDisputed)}, StatusDisputed, false},
		{"ended, as sure as it was", StatusEnded, []Citation{c(StatusConfirmed)}, StatusEnded, false},
		{"no citation says: as given", StatusAlleged, []Citation{{SourceID: "s", Locator: "1"}}, StatusAlleged, false},
		{"neither given nor said", "", []Citation{{SourceID: "s", Locator: "1"}}, "", true},
		// A citation that says nothing stands for the status given with it.
		{"confirmed beside a report", StatusConfirmed, []Citation{{SourceID: "s", Locator: "1"}, c(StatusReported)}, StatusConfirmed, false},
		{"alleged beside a report", StatusAlleged, []Citation{{SourceID: "s", Locator: "1"}, c(StatusReported)}, "", true},
		{"reported beside a confirmation", StatusReported, []Citation{{SourceID: "s", Locator: "1"}, c(StatusConfirmed)}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TieStatus(tc.given, tc.cites, "status")
			if got != tc.want || (err != nil) != tc.fails {
				t.Errorf("TieStatus(%q, %v) = %q, %v; want %q (error: %v)", tc.given, tc.cites, got, err, tc.want, tc.fails)
			}
		})
	}
	if got := Folded(StatusReported, StatusConfirmed, nil); got != StatusConfirmed {
		t.Errorf("folding REPORTED and CONFIRMED: %s", got)
	}
	unstated := []Citation{{SourceID: "s", Locator: "1"}}
	if got := Restatus(StatusConfirmed, append(unstated, c(StatusReported))); got != StatusConfirmed {
		t.Errorf("a REPORTED citation added to a CONFIRMED tie cited without status lowered it to %s", got)
	}
	if got := Restatus(StatusReported, append(unstated, c(StatusConfirmed))); got != StatusConfirmed {
		t.Errorf("a CONFIRMED citation added to a REPORTED tie left it %s", got)
	}
	if got := Restatus(StatusReported, []Citation{c(StatusAlleged)}); got != StatusAlleged {
		t.Errorf("a tie whose only citation alleges it is %s", got)
	}
	merged := MergeCitations([]Citation{{SourceID: "a", Locator: "1", Status: StatusReported}}, []Citation{{SourceID: "a", Locator: "1", Status: StatusConfirmed}, {SourceID: "a", Locator: "1"}})
	if len(merged) != 1 || merged[0].Status != StatusConfirmed {
		t.Errorf("merged %v", merged)
	}
}

func TestLocatorsSortAsSourcesNumberThem(t *testing.T) {
	ls := []string{"¶11", "B1", "¶2", "A10", "A9", "p. 3"}
	slices.SortFunc(ls, CompareLocators)
	if got := ls; got[0] != "A9" || got[1] != "A10" || got[2] != "B1" || got[4] != "¶2" || got[5] != "¶11" {
		t.Errorf("sorted %v", got)
	}
}

// The audit trail's "who" is one line, whatever a name holds.
func TestWhoIsOneLine(t *testing.T) {
	who := Principal{Name: "alice\nkey:admin\u202e", Via: "jwt"}.Who()
	if r, bad := UnsafeRune(who); bad {
		t.Errorf("who %q holds U+%04X", who, r)
	}
}
