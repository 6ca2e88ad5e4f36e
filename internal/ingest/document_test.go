package ingest

import (
	"fmt"
	"strings"
	"testing"
)

func TestMarkdownIsCutIntoPassagesAsTheSeedsSourcesAre(t *testing.T) {
	md := "---\nlayout: post\n---\n# A Field Report\r\n\r\n## What happened\n\nThe *first* paragraph,\nwrapped over **two** lines, cites [a release](https://example.org/x) and `EO 14059`.\n\n" +
		"- one item\n  carried on\n- another item\n\n> a quoted\n> sentence\n\n***\n\nClosing words\n---\n\nLast paragraph with an escaped \\*star\\* and <b>bold</b>.\n"
	doc, err := Split(md, Markdown, "field-report", "¶")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "A Field Report" {
		t.Errorf("title %q", doc.Title)
	}
	var got []string
	for _, p := range doc.Passages {
		h := ""
		if p.Heading {
			h = "#"
		}
		got = append(got, fmt.Sprintf("%s%d%s %s", p.Locator, p.Order, h, p.Text))
		if p.Kind != "QUOTE" || p.SourceID != "field-report" {
			t.Errorf("passage %s: kind %s, source %s", p.Locator, p.Kind, p.SourceID)
		}
	}
	want := []string{
		"¶11# What happened",
		"¶22 The first paragraph, wrapped over two lines, cites a release and EO 14059.",
		"¶33 one item carried on",
		"¶44 another item",
		"¶55 a quoted sentence",
		"¶66# Closing words",
		"¶77 Last paragraph with an escaped *star* and bold.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("passages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlainTextIsParagraphsAndItemsTakeTheirPrefix(t *testing.T) {
	doc, err := Split("First line\nsame paragraph.\n\n\n# not a heading in plain text\n\nThird.", PlainText, "r", "A")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range doc.Passages {
		got = append(got, p.Locator+" "+p.Text)
		if p.Heading {
			t.Errorf("%s is a heading in plain text", p.Locator)
		}
	}
	if want := "[A1 First line same paragraph. A2 # not a heading in plain text A3 Third.]"; fmt.Sprint(got) != want {
		t.Errorf("%v; want %s", got, want)
	}
	if doc.Title != "" {
		t.Errorf("plain text has no title: %q", doc.Title)
	}
	for name, bad := range map[string]string{
		"empty": "", "only blank lines": "\n\n  \n", "not UTF-8": "bad \xff bytes", "a passage too long": strings.Repeat("word ", 5000),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Split(bad, PlainText, "r", "¶"); err == nil {
				t.Errorf("Split(%.20q...) gave no error", bad)
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.md": Markdown, "B.MARKDOWN": Markdown, "c.txt": PlainText, "d": PlainText} {
		t.Run(name, func(t *testing.T) {
			if got := FormatOf(name); got != want {
				t.Errorf("FormatOf(%q) = %v", name, got)
			}
		})
	}
}
