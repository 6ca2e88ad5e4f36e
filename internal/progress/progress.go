// Package progress draws a progress bar for long loads on a terminal, and
// plain periodic lines elsewhere (logs, CI).
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Bar reports progress towards a total.
type Bar struct {
	w       io.Writer
	label   string
	total   int
	done    int
	start   time.Time
	last    time.Time
	tty     bool
	lastPct int
}

// New starts a bar of total units on w.
func New(w io.Writer, label string, total int) *Bar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	now := time.Now()
	return &Bar{w: w, label: label, total: total, start: now, tty: tty, lastPct: -10}
}

// Add records n more units done.
func (b *Bar) Add(n int) {
	b.done += n
	now := time.Now()
	pct := 100 * b.done / max(b.total, 1)
	switch {
	case b.tty && (now.Sub(b.last) > 200*time.Millisecond || b.done >= b.total):
		b.last = now
		width := 30
		filled := width * b.done / max(b.total, 1)
		fmt.Fprintf(b.w, "\r%-14s [%s%s] %3d%% %d/%d %s", b.label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
			pct, b.done, b.total, b.rate())
	case !b.tty && pct >= b.lastPct+10:
		b.lastPct = pct - pct%10
		fmt.Fprintf(b.w, "%s: %d%% %d/%d %s\n", b.label, pct, b.done, b.total, b.rate())
	}
}

func (b *Bar) rate() string {
	secs := time.Since(b.start).Seconds()
	if secs <= 0 {
		return ""
	}
	r := float64(b.done) / secs
	eta := ""
	if r > 0 && b.done < b.total {
		eta = fmt.Sprintf(" ETA %s", time.Duration(float64(b.total-b.done)/r*float64(time.Second)).Round(time.Second))
	}
	return fmt.Sprintf("%.0f/s%s", r, eta)
}

// Finish ends the bar and returns the average rate per second.
func (b *Bar) Finish() float64 {
	if b.tty {
		fmt.Fprintln(b.w)
	}
	return float64(b.done) / time.Since(b.start).Seconds()
}
