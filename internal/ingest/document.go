// Package ingest turns a document a user holds (plain text or Markdown)
// into a source's passages, and the passages, once stored, into a review
// file of candidate facts for a curator. It never asserts a fact itself.
package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Format is how a document is written.
type Format int

const (
	// PlainText is paragraphs separated by blank lines.
	PlainText Format = iota
	// Markdown has headings, lists, quotes and inline markup too.
	Markdown
)

// FormatOf tells a document's format by its file name: .md and .markdown
// are Markdown, anything else plain text.
func FormatOf(name string) Format {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown") {
		return Markdown
	}
	return PlainText
}

// Document is a document cut into passages.
type Document struct {
	// Title is the text of a Markdown document's leading level-1 heading,
	// which is the document's title rather than one of its passages.
	Title    string
	Passages []coop.Passage // numbered prefix1, prefix2, ... in order; Kind QUOTE
}

// Split cuts text into passages, as the seed's sources are: each
// paragraph, list item and heading is one passage, numbered in order after
// prefix ("¶" gives ¶1, ¶2, ...; "A" gives A1, A2, ... as in an itemised
// release). Passages take the source's own words (coop.PassageQuote).
func Split(text string, format Format, sourceID, prefix string) (Document, error) {
	if !utf8.ValidString(text) {
		return Document{}, fmt.Errorf("the document is not UTF-8 text")
	}
	var blocks []block
	if format == Markdown {
		blocks = markdownBlocks(text)
	} else {
		blocks = plainBlocks(text)
	}
	var doc Document
	if format == Markdown && len(blocks) > 0 && blocks[0].level == 1 {
		doc.Title, blocks = blocks[0].text, blocks[1:]
	}
	for _, b := range blocks {
		n := len(doc.Passages) + 1
		p := coop.Passage{SourceID: sourceID, Locator: fmt.Sprintf("%s%d", prefix, n), Order: n,
			Kind: coop.PassageQuote, Heading: b.level > 0, Text: b.text}
		if utf8.RuneCountInString(p.Text) > coop.MaxPassageText {
			return Document{}, fmt.Errorf("passage %s is longer than %d characters: split it with a blank line", p.Locator, coop.MaxPassageText)
		}
		doc.Passages = append(doc.Passages, p)
	}
	if len(doc.Passages) == 0 {
		return Document{}, fmt.Errorf("the document holds no text")
	}
	return doc, nil
}

// block is one passage's worth of a document: a heading (level 1 to 6) or
// a paragraph, list item or quote (level 0).
type block struct {
	level int
	text  string
}

// lines splits text into lines, whatever their endings.
func lines(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	return strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n")
}

// plainBlocks are paragraphs: runs of non-blank lines, joined by spaces.
func plainBlocks(text string) []block {
	var out []block
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, block{text: joinLines(cur)})
			cur = nil
		}
	}
	for _, l := range lines(text) {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return out
}

func joinLines(ls []string) string {
	parts := make([]string, 0, len(ls))
	for _, l := range ls {
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextLine = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	listItem   = regexp.MustCompile(`^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+`)
	rule       = regexp.MustCompile(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	fence      = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	quoteMark  = regexp.MustCompile(`^ {0,3}>[ \t]?`)
)

// markdownBlocks reads the block structure of Markdown (CommonMark's
// common part): ATX and setext headings, paragraphs, list items (each its
// own passage), block quotes and fenced code; front matter and thematic
// breaks are left out. Inline markup is reduced to its text.
func markdownBlocks(text string) []block {
	ls := lines(text)
	// Front matter: a leading block between two --- lines.
	if len(ls) > 0 && strings.TrimSpace(ls[0]) == "---" {
		for i := 1; i < len(ls); i++ {
			if t := strings.TrimSpace(ls[i]); t == "---" || t == "..." {
				ls = ls[i+1:]
				break
			}
		}
	}
	var out []block
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			if t := inline(joinLines(cur)); t != "" {
				out = append(out, block{text: t})
			}
			cur = nil
		}
	}
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch {
		case strings.TrimSpace(l) == "":
			flush()
		case fence.MatchString(l):
			flush()
			mark := strings.TrimSpace(fence.FindStringSubmatch(l)[1])
			var code []string
			for i++; i < len(ls) && !strings.HasPrefix(strings.TrimSpace(ls[i]), mark); i++ {
				code = append(code, ls[i])
			}
			if t := strings.TrimSpace(strings.Join(code, "\n")); t != "" {
				out = append(out, block{text: t})
			}
		case atxHeading.MatchString(l):
			flush()
			m := atxHeading.FindStringSubmatch(l)
			if t := inline(m[2]); t != "" {
				out = append(out, block{level: len(m[1]), text: t})
			}
		case len(cur) > 0 && setextLine.MatchString(l):
			level := 1
			if strings.Contains(l, "-") {
				level = 2
			}
			if t := inline(joinLines(cur)); t != "" {
				out = append(out, block{level: level, text: t})
			}
			cur = nil
		case rule.MatchString(l):
			flush()
		case listItem.MatchString(l):
			flush()
			cur = append(cur, listItem.ReplaceAllString(l, ""))
		case quoteMark.MatchString(l):
			rest := quoteMark.ReplaceAllString(l, "")
			if strings.TrimSpace(rest) == "" {
				flush()
			} else {
				cur = append(cur, rest)
			}
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return out
}

var (
	image    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	link     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	refLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	autoLink = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	htmlTag  = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	strong   = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	emphasis = regexp.MustCompile(`(^|[^\w*])[*_](\S(?:[^*_]*?\S)?)[*_]($|[^\w*])`)
	code     = regexp.MustCompile("`+([^`]*)`+")
	hardWrap = regexp.MustCompile(`\\$`)
)

// inline reduces Markdown inline markup to the text a reader sees: links
// and images to their text, emphasis and code to their content, HTML tags
// removed, backslash escapes resolved (an escaped character is set aside
// first, so no rule reads it as markup).
func inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0 {
			i++
			b.WriteRune(escapeBase + rune(s[i]))
			continue
		}
		b.WriteByte(s[i])
	}
	s = b.String()
	s = code.ReplaceAllString(s, "$1")
	s = image.ReplaceAllString(s, "$1")
	s = link.ReplaceAllString(s, "$1")
	s = refLink.ReplaceAllString(s, "$1")
	s = autoLink.ReplaceAllString(s, "$1")
	s = htmlTag.ReplaceAllString(s, "")
	s = strong.ReplaceAllString(s, "$2")
	s = emphasis.ReplaceAllString(s, "$1$2$3")
	s = hardWrap.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+128 {
			return r - escapeBase
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Escaped characters wait in a private-use range while markup is read.
const (
	escapable  = "\\`*_{}[]()#+-.!<>|"
	escapeBase = rune(0xE000)
)
