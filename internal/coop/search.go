package coop

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchMatch says how an entity's best name or alias matches a search
// text. Hits are ranked by it first: an exact name before a name holding
// every word, before prefixes, before typos, before names holding only
// some of the words.
type SearchMatch string

const (
	// MatchExact: a name or alias is the text, ignoring case, accents and
	// punctuation ("los choneros", "CJNG").
	MatchExact SearchMatch = "EXACT"
	// MatchWords: every word of the text is a whole word of one name or
	// alias, in any order ("choneros los", "loffredo").
	MatchWords SearchMatch = "WORDS"
	// MatchPrefix: every word is a word of one name or alias or the start
	// of one ("chon").
	MatchPrefix SearchMatch = "PREFIX"
	// MatchTypo: every word matches, some only within one typo ("ecudor").
	MatchTypo SearchMatch = "TYPO"
	// MatchSome: some words of the text match, not all.
	MatchSome SearchMatch = "SOME"
)

var searchMatches = enumOf(MatchExact, MatchWords, MatchPrefix, MatchTypo, MatchSome)

func (m SearchMatch) Valid() bool     { return searchMatches.has(string(m)) }
func (SearchMatch) Allowed() []string { return searchMatches }

// rank orders matches: lower is better.
func (m SearchMatch) rank() int { return slices.Index([]string(searchMatches), string(m)) }

// SearchWords splits text into the folded words that search compares:
// letters and digits, lower case, without accents.
func SearchWords(text string) []string {
	return strings.FieldsFunc(Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// MatchNames finds the name or alias of b that best matches the search
// words: how it matches, the name as written, and how many of its words
// the text leaves over (fewer is closer). The name wins ties with aliases.
func MatchNames(b *Base, words []string) (match SearchMatch, name string, extra int) {
	for i, n := range append([]string{b.Name}, b.Aliases...) {
		nameWords := SearchWords(n)
		m, x := matchName(nameWords, words), max(0, len(nameWords)-len(words))
		if i == 0 || m.rank() < match.rank() || m == match && x < extra {
			match, name, extra = m, n, x
		}
	}
	return match, name, extra
}

func matchName(nameWords, words []string) SearchMatch {
	if slices.Equal(nameWords, words) {
		return MatchExact
	}
	worst := MatchWords
	for _, w := range words {
		m := MatchSome
		for _, nw := range nameWords {
			switch {
			case nw == w:
				m = MatchWords
			case m.rank() > MatchPrefix.rank() && strings.HasPrefix(nw, w):
				m = MatchPrefix
			case m.rank() > MatchTypo.rank() && withinOneEdit(nw, w):
				m = MatchTypo
			}
			if m == MatchWords {
				break
			}
		}
		if m == MatchSome {
			return MatchSome
		}
		if m.rank() > worst.rank() {
			worst = m
		}
	}
	return worst
}

// TypoMatchable says whether a search word may match within one typo:
// words of five letters or more, and not numbers, which are identifiers
// (and would match their many neighbours).
func TypoMatchable(w string) bool {
	return utf8.RuneCountInString(w) >= 5 && strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// withinOneEdit reports whether search word b may be a typo of name word a:
// they differ by at most one inserted, deleted or replaced letter, or two
// neighbours swapped, as full-text search's one-typo matching does, and b
// may be matched so (TypoMatchable).
func withinOneEdit(a, b string) bool {
	if !TypoMatchable(b) {
		return false
	}
	x, y := []rune(a), []rune(b)
	if len(x) < len(y) {
		x, y = y, x
	}
	if len(x)-len(y) > 1 {
		return false
	}
	i := 0
	for i < len(y) && x[i] == y[i] {
		i++
	}
	if i == len(y) {
		return true // equal, or one letter added at the end
	}
	if len(x) == len(y) {
		if string(x[i+1:]) == string(y[i+1:]) {
			return true // one letter replaced
		}
		return i+1 < len(y) && x[i] == y[i+1] && x[i+1] == y[i] && string(x[i+2:]) == string(y[i+2:]) // two swapped
	}
	return string(x[i+1:]) == string(y[i:]) // one letter added
}

// RankHits orders search hits: by how their names match, then the names
// with fewer words besides the text's (the person before the event named
// after them), then the better connected first (the country before a
// village of the same name), then by text score, then by id.
func RankHits(hits []SearchHit) {
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if d := a.Match.rank() - b.Match.rank(); d != 0 {
			return d
		}
		if d := a.Extra - b.Extra; d != 0 {
			return d
		}
		if d := b.Ties - a.Ties; d != 0 {
			return d
		}
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Entity.EntityID(), b.Entity.EntityID())
	})
}
