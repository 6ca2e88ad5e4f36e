package ingest

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// maxCitations bounds the passages a candidate cites: enough to judge it.
const maxCitations = 5

// Pair is two entities named in the same passages.
type Pair struct {
	A, B      coop.Entity // A's id sorts first
	Citations []coop.Citation
}

// CoMentioned lists the pairs of entities named in the same passage, most
// passages first, each citing where (sources, which are the evidence
// itself, left out). mentions maps a passage's key to what it mentions.
func CoMentioned(ps []coop.Passage, mentions map[string][]coop.Entity) []Pair {
	byKey := map[[2]string]*Pair{}
	var order []*Pair
	for _, p := range ps {
		es := slices.DeleteFunc(slices.Clone(mentions[p.Key()]), func(e coop.Entity) bool { return e.EntityType() == coop.TypeSource })
		slices.SortFunc(es, func(a, b coop.Entity) int { return strings.Compare(a.EntityID(), b.EntityID()) })
		for i := range es {
			for j := i + 1; j < len(es); j++ {
				k := [2]string{es[i].EntityID(), es[j].EntityID()}
				pair := byKey[k]
				if pair == nil {
					pair = &Pair{A: es[i], B: es[j]}
					byKey[k] = pair
					order = append(order, pair)
				}
				pair.Citations = append(pair.Citations, coop.Citation{SourceID: p.SourceID, Locator: p.Locator})
			}
		}
	}
	slices.SortStableFunc(order, func(a, b *Pair) int { return len(b.Citations) - len(a.Citations) })
	out := make([]Pair, len(order))
	for i, p := range order {
		out[i] = *p
	}
	return out
}

// Name is a name a document uses that no entity has.
type Name struct {
	ID, Name  string
	Citations []coop.Citation
}

// UnknownNames finds what looks like a name in each passage (a run of
// capitalised words, "of", "de", "la" and the like allowed between them)
// and is not a name, alias or part of a name of an entity the passage
// mentions. A lone capitalised word opening a sentence is left out (it is
// capitalised anyway), as are months and days; acronyms are kept.
func UnknownNames(ps []coop.Passage, mentions map[string][]coop.Entity) []Name {
	byName := map[string]*Name{}
	var order []*Name
	for _, p := range ps {
		var known [][]string
		for _, e := range mentions[p.Key()] {
			b := e.EntityBase()
			for _, n := range append([]string{b.Name}, b.Aliases...) {
				known = append(known, coop.SearchWords(n))
			}
		}
		for _, run := range nameRuns(p.Text) {
			folded := coop.SearchWords(run)
			if len(folded) == 0 || slices.ContainsFunc(known, func(k []string) bool { return overlaps(folded, k) }) {
				continue
			}
			key := strings.Join(folded, " ")
			n := byName[key]
			if n == nil {
				id := strings.Join(folded, "-")
				if len(id) > 80 || !coop.ValidID(id) {
					continue
				}
				n = &Name{ID: id, Name: run}
				byName[key] = n
				order = append(order, n)
			}
			c := coop.Citation{SourceID: p.SourceID, Locator: p.Locator}
			if !slices.Contains(n.Citations, c) && len(n.Citations) < maxCitations {
				n.Citations = append(n.Citations, c)
			}
		}
	}
	out := make([]Name, len(order))
	for i, n := range order {
		out[i] = *n
	}
	return out
}

// overlaps reports whether one run of words holds the other: a known name
// within a longer run ("Minister Gian Carlo Loffredo Rendon"), or a run
// that is part of a known name ("Loffredo Rendon").
func overlaps(run, name []string) bool {
	return containsRun(run, name) || containsRun(name, run)
}

func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// connectors may stand between the capitalised words of a name.
var connectors = map[string]bool{"of": true, "the": true, "for": true, "de": true, "del": true, "la": true, "las": true, "los": true, "el": true}

// openers are words that open sentences, capitalised there only.
var openers = map[string]bool{
	"then": true, "later": true, "after": true, "before": true, "when": true, "while": true, "in": true, "on": true,
	"at": true, "but": true, "and": true, "so": true, "yet": true, "this": true, "that": true, "these": true,
	"those": true, "its": true, "their": true, "his": true, "her": true, "our": true, "we": true, "they": true,
	"he": true, "she": true, "it": true, "as": true, "for": true, "since": true, "during": true, "with": true,
	"under": true, "if": true, "although": true, "meanwhile": true, "both": true, "each": true, "some": true,
}

// notNames are capitalised words that name nothing in this sense.
var notNames = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"i": true, "the": true, "a": true, "an": true, "mr": true, "mrs": true, "ms": true, "dr": true,
}

// nameRuns returns the runs of capitalised words of text, as written.
func nameRuns(text string) []string {
	type word struct {
		text          string
		capital, caps bool // starts with a capital; all capitals (an acronym)
		startsClause  bool // a sentence or clause starts with it
		joined        bool // only spaces between it and the word before
	}
	var words []word
	sentenceStart, joined := true, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			switch {
			case strings.ContainsRune(".!?:;\"“”()[]", r):
				sentenceStart = sentenceStart || strings.ContainsRune(".!?:", r)
				joined = false
			case unicode.IsSpace(r):
			default:
				joined = false
			}
			i += size
			continue
		}
		j := i
		for j < len(text) { // hyphens and apostrophes inside a word belong to it
			r, size := utf8.DecodeRuneInString(text[j:])
			inner := r == '-' || r == '\'' || r == '’'
			if !isWordRune(r) && !(inner && nextIsWordRune(text[j+size:])) {
				break
			}
			j += size
		}
		w := text[i:j]
		first, _ := utf8.DecodeRuneInString(w)
		letters := strings.IndexFunc(w, unicode.IsLetter) >= 0
		words = append(words, word{text: w, capital: unicode.IsUpper(first),
			caps:         letters && utf8.RuneCountInString(w) >= 2 && strings.ToUpper(w) == w,
			startsClause: sentenceStart, joined: joined})
		sentenceStart, joined = false, true
		i = j
	}
	var runs []string
	for i := 0; i < len(words); {
		if !words[i].capital {
			i++
			continue
		}
		end := i + 1 // words[i:end] is the run so far
		for k := end; k < len(words) && words[k].joined; k++ {
			if words[k].capital {
				end = k + 1
				continue
			}
			if !connectors[strings.ToLower(words[k].text)] {
				break
			}
		}
		run := words[i:end]
		i = end
		if len(run) > 1 && run[0].startsClause {
			// A sentence's first word is capitalised anyway: it is not part
			// of the name when a connector or an opener says so ("Officials
			// of the Central Bank", "Then Jean-Luc O'Neill").
			if k := 1; connectors[strings.ToLower(run[k].text)] {
				for k < len(run) && connectors[strings.ToLower(run[k].text)] {
					k++
				}
				run = run[k:]
			} else if openers[strings.ToLower(run[0].text)] {
				run = run[1:]
			}
		}
		// A leading article is not part of the name ("The Treasury").
		if len(run) > 1 && strings.EqualFold(run[0].text, "the") {
			run = run[1:]
		}
		if len(run) == 1 && (run[0].startsClause && !run[0].caps || notNames[strings.ToLower(run[0].text)]) {
			continue
		}
		parts := make([]string, len(run))
		for k, w := range run {
			parts[k] = w.text
		}
		runs = append(runs, strings.Join(parts, " "))
	}
	return runs
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func nextIsWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// WriteReview writes the candidates in the import format, ties first: a
// relationship record for each pair with no tie between them, oriented as
// the allow-list lets its types run, and an actor record for each unknown
// name. Their type, status and kind are left empty and each carries a
// review note, so import refuses them until a curator completes them. It
// returns how many candidate ties it wrote: pairs no type of the
// allow-list can join are left out.
func WriteReview(w io.Writer, pairs []Pair, names []Name) (ties int, err error) {
	enc := dataset.NewWriter(w)
	for _, p := range pairs {
		from, to := p.A, p.B
		types := coop.TypesJoining(from, to)
		back := slices.DeleteFunc(coop.TypesJoining(to, from), func(t coop.RelationType) bool { r, _ := coop.RuleFor(t); return r.Symmetric })
		if len(types) == 0 {
			from, to, types, back = to, from, back, nil
		}
		if len(types) == 0 {
			continue // no type of the allow-list joins them
		}
		note := fmt.Sprintf("%q and %q are named together in %s, with no tie between them yet. If a passage states one, set type (%s) and status, and delete this note; otherwise delete the line.",
			from.EntityBase().Name, to.EntityBase().Name, locatorList(p.Citations), typeList(types))
		if len(back) > 0 {
			note += fmt.Sprintf(" For a tie the other way, swap from and to (%s).", typeList(back))
		}
		if err := enc.CandidateRelationship(from.EntityID(), to.EntityID(), first(p.Citations), note); err != nil {
			return ties, err
		}
		ties++
	}
	for _, n := range names {
		note := fmt.Sprintf("%q is named in %s and matches no entity. If it is one, set record (actor, place, agreement, meeting, event) and its kind, check the id, and delete this note; if it is another name of a known entity, add it as an alias instead; otherwise delete the line.",
			n.Name, locatorList(n.Citations))
		if err := enc.CandidateEntity(n.ID, n.Name, n.Citations, note); err != nil {
			return ties, err
		}
	}
	return ties, nil
}

func first(cs []coop.Citation) []coop.Citation { return cs[:min(len(cs), maxCitations)] }

func locatorList(cs []coop.Citation) string {
	parts := make([]string, 0, len(cs))
	for _, c := range first(cs) {
		parts = append(parts, c.Locator)
	}
	s := strings.Join(parts, ", ")
	if len(cs) > maxCitations {
		s += fmt.Sprintf(" and %d more", len(cs)-maxCitations)
	}
	return s
}

func typeList(ts []coop.RelationType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = string(t)
	}
	return strings.Join(parts, ", ")
}
