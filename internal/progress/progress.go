// Package progress reports how far a long load has got: a live bar on a
// terminal (drawn by schollz/progressbar), plain lines every tenth
// elsewhere (logs, CI). Either way it ends with one line: the total, the
// time taken and the rate, with no estimate left on it.
package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar reports progress towards a total.
type Bar struct {
	w       io.Writer
	label   string
	total   int
	done    int
	start   time.Time
	lastPct int
	live    *progressbar.ProgressBar // on a terminal
}

// New starts a bar of total units on w.
func New(w io.Writer, label string, total int) *Bar {
	f, ok := w.(*os.File)
	return newBar(w, label, total, ok && term.IsTerminal(int(f.Fd())))
}

func newBar(w io.Writer, label string, total int, terminal bool) *Bar {
	b := &Bar{w: w, label: label, total: total, start: time.Now()}
	if terminal {
		b.live = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(label),
			progressbar.OptionSetWidth(30), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	return b
}

// Add records n more units done.
func (b *Bar) Add(n int) {
	b.done += n
	if b.live != nil {
		b.live.Add(n)
		return
	}
	if pct := 100 * b.done / max(b.total, 1); pct >= b.lastPct+10 && b.done < b.total {
		b.lastPct = pct - pct%10
		fmt.Fprintf(b.w, "%s: %d%% %d/%d %.0f/s, about %s left\n", b.label, pct, b.done, b.total, b.rate(),
			time.Duration(float64(b.total-b.done)/max(b.rate(), 1e-9)*float64(time.Second)).Round(time.Second))
	}
}

func (b *Bar) rate() float64 {
	secs := time.Since(b.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(b.done) / secs
}

// Finish ends the bar with its summary line and returns the average rate
// per second.
func (b *Bar) Finish() float64 {
	r := b.rate()
	if b.live != nil {
		b.live.Finish() // clears the bar: the summary takes its line
	}
	fmt.Fprintf(b.w, "%s: %d%% %d/%d %.0f/s in %s\n", b.label, 100*b.done/max(b.total, 1), b.done, b.total, r,
		time.Since(b.start).Round(time.Millisecond))
	return r
}
