package coop

import "testing"

func TestPassageCursorsReadBackWhatTheyWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Passage
	}{
		{"the first passage", Passage{SourceID: "ec-report", Locator: "¶1", Order: 1}},
		{"a later one", Passage{SourceID: "a1", Locator: "p. 12", Order: 123456}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := PassageCursor(tc.p); !ValidPassageCursor(c) {
				t.Errorf("PassageCursor %q is not valid", c)
			}
			if order, ok := ParsePassageOrderCursor(PassageOrderCursor(tc.p)); !ok || order != tc.p.Order {
				t.Errorf("PassageOrderCursor read back as %d, %v", order, ok)
			}
		})
	}
}

func TestPassageCursorsRefuseOtherText(t *testing.T) {
	for _, s := range []string{"", "ec-report", "ec-report 12", "Ec-report 000012", "ec-report 000012 ", "ec report 000012"} {
		t.Run("passage cursor "+s, func(t *testing.T) {
			if ValidPassageCursor(s) {
				t.Errorf("%q is taken for a PassageCursor", s)
			}
		})
	}
	for _, s := range []string{"", "-1", "x", "1.5"} {
		t.Run("order cursor "+s, func(t *testing.T) {
			if _, ok := ParsePassageOrderCursor(s); ok {
				t.Errorf("%q is taken for a PassageOrderCursor", s)
			}
		})
	}
}
