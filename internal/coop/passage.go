package coop

import (
	"fmt"
	"strconv"
	"strings"
)

// PassageKind says whose words a passage's text is.
type PassageKind string

const (
	// PassageQuote is the source's own words, from a copy of the document
	// its users hold (coopgraph ingest).
	PassageQuote PassageKind = "QUOTE"
	// PassageSummary is what the passage says, in the project's own words:
	// the project ships no third party's sentences.
	PassageSummary PassageKind = "SUMMARY"
)

var passageKinds = enumOf(PassageQuote, PassageSummary)

func (k PassageKind) Valid() bool     { return passageKinds.has(string(k)) }
func (PassageKind) Allowed() []string { return passageKinds }

// MaxPassageText bounds a passage's text: a long paragraph, not a chapter.
const MaxPassageText = 20000

// Passage is one located piece of a source, what a citation's locator
// points to: a paragraph (¶5), an item (A3), a heading.
type Passage struct {
	SourceID string
	Locator  string
	Order    int // its place in the source, from 1
	Kind     PassageKind
	Heading  bool
	Text     string
}

// PassageKey names a passage across sources: its source and locator.
func PassageKey(sourceID, locator string) string { return sourceID + " " + locator }

// PassagePage is one page of a source's passages, in order.
type PassagePage struct {
	Passages    []Passage
	HasNextPage bool
}

// Key is the passage's PassageKey.
func (p Passage) Key() string { return PassageKey(p.SourceID, p.Locator) }

// MentionQuery asks for the passages that mention entities, by source and
// order. After is the PassageCursor of the last passage of the previous
// page.
type MentionQuery struct {
	IDs   []string // one page for each
	Also  []string // entities every passage must mention too
	After string
	First int
}

// Passages are paged by two cursors, written and read here only: across
// sources (MentionQuery.After) by PassageCursor, and within one source
// (Store.PassagesOf) by order.

// PassageCursor is where a passage sorts among the passages of every
// source: by source id, then order. (A space sorts before every character
// an id may hold, so a source sorts before those whose id extends its own.)
func PassageCursor(p Passage) string { return fmt.Sprintf("%s %06d", p.SourceID, p.Order) }

// ValidPassageCursor reports whether s has the form of a PassageCursor: a
// source id, a space, an order of six digits.
func ValidPassageCursor(s string) bool {
	id, order, ok := strings.Cut(s, " ")
	return ok && ValidID(id) && len(order) == 6 && strings.Trim(order, "0123456789") == ""
}

// PassageOrderCursor is where a passage sorts among its source's passages:
// its order.
func PassageOrderCursor(p Passage) string { return strconv.Itoa(p.Order) }

// ParsePassageOrderCursor reads a PassageOrderCursor: the order a page of
// a source's passages starts after.
func ParsePassageOrderCursor(s string) (int, bool) {
	order, err := strconv.Atoi(s)
	return order, err == nil && order >= 0
}

// PassageSearch asks for passages whose text matches Text, as entity search
// matches names: case and accents folded, words whole or as prefixes.
type PassageSearch struct {
	Text       string
	Mentioning []string // only passages that mention every one of these entities
	Source     string   // only this source's passages, when set
	First      int
}

// PassageHit is one passage found by its text.
type PassageHit struct {
	Passage Passage
	Score   float64 // the full-text score: comparable within one answer only
}

// CompareLocators orders locators as a source does: by their mark, then by
// number ("¶2" before "¶11", "A3" before "B1").
func CompareLocators(a, b string) int {
	ma, na := splitLocator(a)
	mb, nb := splitLocator(b)
	if c := strings.Compare(ma, mb); c != 0 {
		return c
	}
	if na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

// splitLocator cuts a locator into its mark and trailing number (-1 when
// it has none).
func splitLocator(l string) (string, int) {
	i := len(l)
	for i > 0 && l[i-1] >= '0' && l[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(l[i:])
	if err != nil || i == len(l) {
		return l, -1
	}
	return l[:i], n
}
