package coop

import "testing"

func TestNamesMatchSearchWords(t *testing.T) {
	for _, tc := range []struct {
		name, aliases, text string
		want                SearchMatch
		matched             string
	}{
		{"Los Choneros", "Choneros", "los choneros", MatchExact, "Los Choneros"},
		{"Los Choneros", "Choneros", "CHONEROS", MatchExact, "Choneros"},
		{"Gian Carlo Loffredo Rendón", "", "rendon loffredo", MatchWords, "Gian Carlo Loffredo Rendón"},
		{"U.S. Department of Defense", "", "u s department of defense", MatchExact, "U.S. Department of Defense"},
		{"Los Choneros", "", "chon", MatchPrefix, "Los Choneros"},
		{"Los Choneros", "", "los chon", MatchPrefix, "Los Choneros"},
		{"Ecuador", "", "ecudor", MatchTypo, "Ecuador"},
		{"Ecuador", "", "ecaudor", MatchTypo, "Ecuador"},   // two letters swapped
		{"Ecuador", "", "ecuadorr", MatchTypo, "Ecuador"},  // one added
		{"Colombia", "", "colmbia", MatchTypo, "Colombia"}, // one left out
		{"Peru", "", "peur", MatchSome, "Peru"},            // short words need to match as they are
		{"Ministry of Defense of Ecuador", "", "ecuador", MatchWords, "Ministry of Defense of Ecuador"},
		{"Los Lobos", "", "los choneros", MatchSome, "Los Lobos"},
		{"Ecuador", "", "ecuadoreans", MatchSome, "Ecuador"}, // three letters more: not one typo
	} {
		t.Run(tc.name+" for "+tc.text, func(t *testing.T) {
			b := &Base{Name: tc.name}
			if tc.aliases != "" {
				b.Aliases = []string{tc.aliases}
			}
			m, matched, _ := MatchNames(b, SearchWords(tc.text))
			if m != tc.want || matched != tc.matched {
				t.Errorf("%q (aliases %q) for %q = %s by %q; want %s by %q", tc.name, tc.aliases, tc.text, m, matched, tc.want, tc.matched)
			}
		})
	}
}

func TestHitsRankByMatchThenTiesThenScore(t *testing.T) {
	e := func(id string) Entity { return &Actor{Base: Base{ID: id}} }
	hits := []SearchHit{
		{Entity: e("ministry"), Match: MatchWords, Ties: 40, Score: 9},
		{Entity: e("event-named-after"), Match: MatchWords, Extra: 3, Ties: 90, Score: 20},
		{Entity: e("village"), Match: MatchExact, Ties: 1, Score: 5},
		{Entity: e("country"), Match: MatchExact, Ties: 30, Score: 4},
		{Entity: e("typo"), Match: MatchTypo, Ties: 100, Score: 8},
		{Entity: e("b-same"), Match: MatchWords, Ties: 40, Score: 9},
		{Entity: e("better-text"), Match: MatchWords, Ties: 40, Score: 10},
	}
	RankHits(hits)
	var got []string
	for _, h := range hits {
		got = append(got, h.Entity.EntityID())
	}
	want := []string{"country", "village", "better-text", "b-same", "ministry", "event-named-after", "typo"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranked %v; want %v", got, want)
		}
	}
}
