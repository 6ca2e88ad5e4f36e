// Package bench measures coopgraph's GraphQL API against the floor of the
// same Cypher sent straight through the Go driver: latency percentiles and
// throughput per scenario, and the ratio of the two.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgraph/coopgraph/internal/gqlclient"
)

// Scenario is one kind of request, measured two ways.
type Scenario struct {
	Name string
	// GraphQL makes the i-th request: a query and its variables.
	GraphQL func(i int) (string, map[string]any)
	// Floor sends the same Cypher for the i-th request through the driver.
	Floor func(ctx context.Context, i int) error
}

// Options size a run.
type Options struct {
	URL         string // the GraphQL endpoint
	Warmup      int
	Iterations  int
	Concurrency int
	Duration    time.Duration // of each throughput run
}

// Stats are one measurement series.
type Stats struct {
	P50, P99   time.Duration
	Throughput float64 // requests per second at Options.Concurrency
}

// Result is one scenario's numbers.
type Result struct {
	Name         string
	API, Floor   Stats
	Ratio        float64 // API p50 / floor p50
	Errors       int
	ResponseSize int // bytes of one API answer
}

// Run measures every scenario, one after another.
func Run(ctx context.Context, o Options, scenarios []Scenario) ([]Result, error) {
	// No gzip: the floor has none either. (Answers are compressed for clients that ask.)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency * 2, DisableCompression: true}}
	var out []Result
	for _, sc := range scenarios {
		res := Result{Name: sc.Name}
		var errs atomic.Int64
		api := func(ctx context.Context, i int) error {
			q, vars := sc.GraphQL(i)
			n, err := post(ctx, client, o.URL, q, vars)
			if err != nil {
				errs.Add(1)
			}
			if res.ResponseSize == 0 {
				res.ResponseSize = n
			}
			return err
		}
		if err := api(ctx, 0); err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Name, err)
		}
		if err := sc.Floor(ctx, 0); err != nil {
			return nil, fmt.Errorf("%s floor: %w", sc.Name, err)
		}
		// Alternate the two so that drift in the machine hits both alike.
		res.API, res.Floor = measurePair(ctx, o, api, sc.Floor)
		res.Errors = int(errs.Load())
		if res.Floor.P50 > 0 {
			res.Ratio = float64(res.API.P50) / float64(res.Floor.P50)
		}
		out = append(out, res)
	}
	return out, nil
}

func measurePair(ctx context.Context, o Options, api, floor func(context.Context, int) error) (Stats, Stats) {
	for i := range o.Warmup {
		api(ctx, i)
		floor(ctx, i)
	}
	var a, f []time.Duration
	for i := range o.Iterations {
		t := time.Now()
		api(ctx, i)
		a = append(a, time.Since(t))
		t = time.Now()
		floor(ctx, i)
		f = append(f, time.Since(t))
	}
	sa, sf := percentiles(a), percentiles(f)
	sa.Throughput = throughput(ctx, o, api)
	sf.Throughput = throughput(ctx, o, floor)
	return sa, sf
}

func percentiles(ds []time.Duration) Stats {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return Stats{P50: at(0.50), P99: at(0.99)}
}

func throughput(ctx context.Context, o Options, do func(context.Context, int) error) float64 {
	var n atomic.Int64
	deadline := time.Now().Add(o.Duration)
	var wg sync.WaitGroup
	for w := range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * 100000; time.Now().Before(deadline); i++ {
				if do(ctx, i) == nil {
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / o.Duration.Seconds()
}

// post sends one query and fails on HTTP or GraphQL errors; it returns
// the size of the answer.
func post(ctx context.Context, c *http.Client, url, query string, vars map[string]any) (int, error) {
	a, err := gqlclient.Post(ctx, c, url, gqlclient.Request{Query: query, Variables: vars})
	if err != nil {
		return 0, err
	}
	return len(a.Body), a.Err()
}

// PeakRSS is this process's peak resident memory in bytes (VmHWM), 0 if unknown.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// Markdown writes results as a table.
func Markdown(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| scenario | API p50 | API p99 | API req/s | floor p50 | floor p99 | floor req/s | p50 ratio | answer bytes | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %s | %s | %.0f | %s | %s | %.0f | %.2f | %d | %d |\n", r.Name,
			ms(r.API.P50), ms(r.API.P99), r.API.Throughput, ms(r.Floor.P50), ms(r.Floor.P99), r.Floor.Throughput, r.Ratio, r.ResponseSize, r.Errors)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
