package coop

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name to the form name matching compares: lower case,
// accents removed, spaces collapsed. "Loffredo Rendón" and "loffredo rendon"
// fold alike.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
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
