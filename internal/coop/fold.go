package coop

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name to the form name matching compares: lower case,
// accents removed, spaces collapsed. "Loffredo Rendón" and "loffredo rendon"
// fold alike.
func Fold(s string) string {
	if isASCII(s) { // most names: no accents to remove, and cheaper by far
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// NameKeys are the folded forms of an entity's name and aliases.
func NameKeys(b *Base) []string {
	keys := []string{Fold(b.Name)}
	seen := map[string]bool{keys[0]: true}
	for _, a := range b.Aliases {
		if k := Fold(a); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}
