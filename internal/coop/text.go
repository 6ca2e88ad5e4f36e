package coop

import (
	"fmt"
	"strings"
	"unicode"
)

// UnsafeRune is the first rune of s that no name, alias, id, key name or
// other short text may hold, and whether there is one: control characters
// (line breaks and tabs among them), line and paragraph separators, and
// the bidirectional embeddings, overrides and isolates that make text
// read otherwise than it is stored ("U+202E" turns what follows around).
func UnsafeRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case unicode.IsControl(r), r == '\u2028', r == '\u2029',
			r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return r, true
		}
	}
	return 0, false
}

// CheckText is UnsafeRune as a coded error naming field.
func CheckText(field, s string) error {
	if r, bad := UnsafeRune(s); bad {
		return Invalidf(field, "holds %s, which no text here may hold", describeRune(r))
	}
	return nil
}

// CheckLongText refuses control characters in long text (descriptions,
// passages), where bidirectional marks are the writing's own: Arabic or
// Hebrew quoted in a Latin paragraph needs them.
func CheckLongText(field, s string) error {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return Invalidf(field, "holds %s, which no text here may hold", describeRune(r))
		}
	}
	return nil
}

func describeRune(r rune) string {
	if unicode.IsControl(r) {
		return fmt.Sprintf("a control character (U+%04X)", r)
	}
	return fmt.Sprintf("a line separator or a bidirectional control (U+%04X)", r)
}

// safeText replaces what UnsafeRune finds with U+FFFD.
func safeText(s string) string {
	if _, bad := UnsafeRune(s); !bad {
		return s
	}
	return strings.Map(func(r rune) rune {
		if _, bad := UnsafeRune(string(r)); bad {
			return '\uFFFD'
		}
		return r
	}, s)
}
