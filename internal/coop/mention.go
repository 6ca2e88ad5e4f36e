package coop

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A passage mentions an entity when one of the entity's names or aliases
// appears in its text as whole words. Most names match with case and
// accents aside ("los choneros"); a name that would match too much counts
// only where the text writes it as the name does, capitals and all: one
// whose only telling word (articles and prepositions aside) is short, of
// fewer than five letters, or an everyday word. "Fito", "CJNG", "US" and
// "the Treasury" are mentions; "us" and "the treasury of the town" are not.

// MentionForm is one name of an entity as mentions are found: its words,
// folded, and, when they must appear as written, as written.
type MentionForm struct {
	Words   []string
	Written []string // nil unless the name counts only as written
}

// AsWritten reports whether the form counts only as written.
func (f MentionForm) AsWritten() bool { return f.Written != nil }

// Equal reports whether f and g find the same mentions.
func (f MentionForm) Equal(g MentionForm) bool {
	return slices.Equal(f.Words, g.Words) && slices.Equal(f.Written, g.Written)
}

// functionWords are the articles and prepositions that tell no name from
// another: they never make a name telling, and match whatever their case.
var functionWords = map[string]bool{
	"the": true, "of": true, "a": true, "an": true, "and": true, "for": true, "in": true, "on": true,
	"de": true, "del": true, "la": true, "las": true, "el": true, "los": true, "y": true,
}

// commonWords are words that are also everyday words: a name whose only
// telling word is one of them counts only as written.
var commonWords = map[string]bool{
	"government": true, "ministry": true, "cartel": true, "command": true, "military": true, "treasury": true,
	"office": true, "agency": true, "department": true, "council": true, "police": true, "army": true,
	"navy": true, "state": true, "states": true, "union": true, "court": true, "prison": true, "group": true,
	"pentagon": true, "congress": true, "senate": true, "house": true, "defense": true, "defence": true,
}

// MentionForms lists the forms of an entity's name and aliases that count
// as mentions.
func MentionForms(b *Base) []MentionForm {
	var forms []MentionForm
	for _, name := range append([]string{b.Name}, b.Aliases...) {
		written, folded := mentionWords(name)
		if len(folded) == 0 {
			continue
		}
		f := MentionForm{Words: folded}
		if !telling(folded) {
			f.Written = written
		}
		if !slices.ContainsFunc(forms, f.Equal) {
			forms = append(forms, f)
		}
	}
	return forms
}

// FunctionWord reports whether a folded word is an article or preposition
// (the, of, los, de, ...): no name is mentioned by those alone.
func FunctionWord(w string) bool { return functionWords[w] }

// telling reports whether a name's folded words tell it from everyday text:
// two telling words or more, or one long and uncommon. Initials (words of
// one letter, as "U.S." has) tell nothing by themselves: "u s" is
// everywhere in folded text, "U.S." as written is not.
func telling(folded []string) bool {
	var tell []string
	for _, w := range folded {
		if !functionWords[w] && utf8.RuneCountInString(w) > 1 {
			tell = append(tell, w)
		}
	}
	switch len(tell) {
	case 0:
		return false
	case 1:
		return utf8.RuneCountInString(tell[0]) >= 5 && !commonWords[tell[0]]
	}
	return true
}

func mentionWords(text string) (written, folded []string) {
	for _, w := range strings.FieldsFunc(norm.NFC.String(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		if f := strings.Join(SearchWords(w), ""); f != "" {
			written, folded = append(written, w), append(folded, f)
		}
	}
	return written, folded
}

// MentionText is a text ready to be searched for mentions.
type MentionText struct{ written, folded []string }

// NewMentionText prepares text for Mentions.
func NewMentionText(text string) MentionText {
	written, folded := mentionWords(text)
	return MentionText{written: written, folded: folded}
}

// Mentions reports whether the text holds any of the forms.
func (t MentionText) Mentions(forms []MentionForm) bool {
	for _, f := range forms {
		if t.holds(f) {
			return true
		}
	}
	return false
}

// holds reports whether f appears in the text, word after word.
func (t MentionText) holds(f MentionForm) bool {
	n := len(f.Words)
	for i := 0; i+n <= len(t.folded); i++ {
		if !slices.Equal(t.folded[i:i+n], f.Words) {
			continue
		}
		if !f.AsWritten() || t.writtenAt(i, f) {
			return true
		}
	}
	return false
}

// writtenAt reports whether the words from i are written as f's are; a
// function word may be written any way ("The Treasury", "the Treasury").
func (t MentionText) writtenAt(i int, f MentionForm) bool {
	for k, w := range f.Written {
		if !functionWords[f.Words[k]] && t.written[i+k] != w {
			return false
		}
	}
	return true
}
