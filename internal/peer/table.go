package peer

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Side is what one server did in a comparison's timed rounds.
type Side struct {
	Rounds      []Round
	AnswerBytes int // of one answer to the first request
}

// PerSecond is the median of the rounds' throughputs.
func (s Side) PerSecond() float64 {
	var xs []float64
	for _, r := range s.Rounds {
		xs = append(xs, r.PerSecond())
	}
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

// Percentile is the latency below which the fraction p of all the rounds'
// answered requests fell; 0 without any.
func (s Side) Percentile(p float64) time.Duration {
	var all []time.Duration
	for _, r := range s.Rounds {
		all = append(all, r.Latencies...)
	}
	if len(all) == 0 {
		return 0
	}
	slices.Sort(all)
	return all[min(len(all)-1, int(p*float64(len(all))))]
}

// Errors counts the requests that failed in every round.
func (s Side) Errors() int {
	n := 0
	for _, r := range s.Rounds {
		n += r.Errors
	}
	return n
}

// Row is one comparison's measurements.
type Row struct {
	Name            string
	Coopgraph, Peer Side
	Note            string // what the table does not say, written below it
	How             string // how the peer answers (Comparison.How)
}

// WriteTable writes rows as a Markdown table: each side's throughput
// (median of its rounds), p50 and p99 (over all its requests), errors and
// answer size, and coopgraph's throughput and p99 over the peer's.
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| scenario | coopgraph req/s | peer req/s | req/s ratio | coopgraph p50 | coopgraph p99 | peer p50 | peer p99 | p99 ratio | errors | answer bytes |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rows {
		c, p := r.Coopgraph, r.Peer
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %d / %d | %d / %d |\n", r.Name,
			c.PerSecond(), p.PerSecond(), ratio(c.PerSecond(), p.PerSecond()),
			ms(c.Percentile(0.50)), ms(c.Percentile(0.99)), ms(p.Percentile(0.50)), ms(p.Percentile(0.99)),
			ratio(float64(c.Percentile(0.99)), float64(p.Percentile(0.99))),
			c.Errors(), p.Errors(), c.AnswerBytes, p.AnswerBytes)
	}
	first := true
	for _, r := range rows {
		if r.Note != "" {
			if first {
				fmt.Fprintln(w)
				first = false
			}
			fmt.Fprintf(w, "- %s: %s\n", r.Name, r.Note)
		}
	}
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func ms(d time.Duration) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}
