package progress

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// screen replays what a terminal shows of the output: \r goes back to the
// start of the line, which later characters overwrite; ANSI "erase line"
// sequences clear it; \n starts a new line.
func screen(out string) []string {
	var lines []string
	line := []rune{}
	col := 0
	erase := regexp.MustCompile(`^\x1b\[[0-9]*K`)
	other := regexp.MustCompile(`^\x1b\[[0-9;?]*[A-Za-z]`)
	for i := 0; i < len(out); {
		rest := out[i:]
		if m := erase.FindString(rest); m != "" {
			line, col, i = []rune{}, 0, i+len(m)
			continue
		}
		if m := other.FindString(rest); m != "" {
			i += len(m)
			continue
		}
		r := []rune(rest)[0]
		i += len(string(r))
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines, line, col = append(lines, string(line)), []rune{}, 0
		default:
			if col < len(line) {
				line[col] = r
			} else {
				line = append(line, r)
			}
			col++
		}
	}
	return append(lines, string(line))
}

// On a terminal, what stays on screen is the summary: no bar, no leftover
// characters of a longer line, no estimate.
func TestTheFinishedBarLeavesOnlyItsSummary(t *testing.T) {
	var out bytes.Buffer
	b := newBar(&out, "relationships", 1000, true)
	for range 10 {
		b.Add(100)
		time.Sleep(25 * time.Millisecond)
	}
	b.Finish()
	var shown []string
	for _, l := range screen(out.String()) {
		if strings.TrimSpace(l) != "" {
			shown = append(shown, strings.TrimRight(l, " "))
		}
	}
	if len(shown) != 1 || !regexp.MustCompile(`^relationships: 100% 1000/1000 \d+/s in [0-9.]+m?s$`).MatchString(shown[0]) {
		t.Errorf("the screen shows %q; want one summary line", shown)
	}
	if !strings.Contains(out.String(), "relationships") || !strings.Contains(out.String(), "\r") {
		t.Errorf("no live bar was drawn: %q", out.String())
	}
}

// Elsewhere, a line every tenth with an estimate, and the same summary.
func TestPlainLinesElsewhere(t *testing.T) {
	var out bytes.Buffer
	b := newBar(&out, "nodes", 1000, false)
	for range 20 {
		b.Add(50)
	}
	b.Finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines; want one per tenth and the summary:\n%s", len(lines), out.String())
	}
	for i, l := range lines[:9] {
		if !strings.HasPrefix(l, "nodes: ") || !strings.Contains(l, "left") || strings.Contains(l, "\r") {
			t.Errorf("line %d: %q", i, l)
		}
	}
	if last := lines[9]; !strings.HasPrefix(last, "nodes: 100% 1000/1000 ") || strings.Contains(last, "left") {
		t.Errorf("summary %q", last)
	}
}
