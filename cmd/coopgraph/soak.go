package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coopgraph/coopgraph/internal/gqlclient"
)

// soakReads are the reads a soak mixes, as users send them.
var soakReads = []struct{ name, query string }{
	{"actor", `query SoakActor { actor(id: "los-choneros") { name aliases country { name } relationships(first: 10) { nodes { type to { id name } } } } }`},
	{"search", `query SoakSearch { search(text: "choneros", first: 10) { match entity { id name } } }`},
	{"network", `query SoakNetwork { network(ids: ["ecuador"], depth: 1) { truncated nodes { id name kind } edges { id source target type } } }`},
	{"paths", `query SoakPaths { paths(from: "los-choneros", to: "the-pentagon", maxHops: 4) { length nodes { id } } }`},
	{"timeline", `query SoakTimeline { timeline(ids: ["ecuador"], first: 20) { nodes { date what entity { id } } } }`},
}

// soakProbe is the prefix of the entities a soak writes to, one per
// client: it creates them, then edits their descriptions over and over
// (each edit is in the audit trail).
const soakProbe = "soak-probe-"

func soakCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080", "the running service (env COOPGRAPH_URL)")
	duration := fs.Duration("duration", time.Minute, "how long to run")
	clients := fs.Int("clients", 8, "requests in flight at once")
	writes := fs.Float64("writes", 0.1, "share of requests that write (0 to 1); writes need -key")
	key := fs.String("key", "", "an editor's API key, for the writes (env COOPGRAPH_KEY)")
	every := fs.Duration("every", 5*time.Second, "how often to print progress and the API's memory")
	source := fs.String("cite", "ecuador-pentagon-2025 ¶1", "the source and locator the writes cite")
	if err := parseFlags(fs, getenv, args); err != nil {
		return err
	}
	if *clients < 1 || *writes < 0 || *writes > 1 || *duration <= 0 {
		return errors.New("soak needs -clients ≥ 1, -writes between 0 and 1 and a positive -duration")
	}
	if *writes > 0 && *key == "" {
		return errors.New("soak -writes needs -key (an editor's API key), or -writes 0")
	}
	src, loc, _ := strings.Cut(*source, " ")
	s := &soak{url: strings.TrimSuffix(*url, "/"), key: *key, client: &http.Client{Timeout: 30 * time.Second},
		byKind: map[string][]time.Duration{}, codes: map[string]int{}, cite: map[string]any{"source": src, "locator": loc}}
	versions := make([]int, *clients)
	if *writes > 0 {
		for i := range *clients {
			v, code := s.createProbe(ctx, i)
			if code != "" {
				return fmt.Errorf("creating the entity %s%d that the writes edit: %s", soakProbe, i, code)
			}
			versions[i] = v
		}
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each client goes round the reads in turn, and writes every
			// (1/writes)th request, from its second on: the mix is the same
			// every run, however few requests a short run makes.
			every := 0
			if *writes > 0 {
				every = max(int(math.Round(1 / *writes)), 1)
			}
			reads := i // clients start at different reads
			for n := 1; ctx.Err() == nil; n++ {
				if every > 0 && (every == 1 || n%every == 2%every) {
					versions[i] = s.write(ctx, i, versions[i], n)
					continue
				}
				q := soakReads[reads%len(soakReads)]
				reads++
				s.do(ctx, q.name, q.query, nil, "")
			}
		}()
	}
	fmt.Fprintf(stdout, "soak: %s for %v, %d clients, %.0f%% writes\n", s.url, *duration, *clients, *writes*100)
	fmt.Fprintf(stdout, "%8s %10s %9s %9s %12s %12s\n", "time", "requests", "p50 ms", "p99 ms", "rss MiB", "heap MiB")
	tick := time.NewTicker(*every)
	defer tick.Stop()
	report := func() {
		n, p50, p99 := s.sofar()
		rss, heap := s.memory()
		fmt.Fprintf(stdout, "%8s %10d %9.1f %9.1f %12s %12s\n", time.Since(start).Round(time.Second), n, ms(p50), ms(p99), rss, heap)
	}
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
			report()
		}
	}
	wg.Wait()
	report()
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "\n%-10s %10s %9s %9s %9s\n", "kind", "requests", "req/s", "p50 ms", "p99 ms")
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range s.byKind {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range kinds {
		d := s.byKind[k]
		slices.Sort(d)
		fmt.Fprintf(stdout, "%-10s %10d %9.1f %9.1f %9.1f\n", k, len(d), float64(len(d))/elapsed.Seconds(), ms(pct(d, 50)), ms(pct(d, 99)))
	}
	if len(s.codes) == 0 {
		fmt.Fprintln(stdout, "errors: none")
		return nil
	}
	var parts []string
	for _, c := range slices.Sorted(func(yield func(string) bool) {
		for c := range s.codes {
			if !yield(c) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%s %d", c, s.codes[c]))
	}
	fmt.Fprintln(stdout, "errors: "+strings.Join(parts, ", "))
	return nil
}

type soak struct {
	url    string
	key    string
	client *http.Client
	cite   map[string]any
	mu     sync.Mutex
	byKind map[string][]time.Duration
	all    []time.Duration
	codes  map[string]int
}

// do sends one request and records its time and outcome; it returns the
// outcome's code ("" for success).
func (s *soak) do(ctx context.Context, kind, query string, vars map[string]any, credential string) string {
	start := time.Now()
	a, err := s.post(ctx, query, vars, credential)
	took := time.Since(start)
	code := ""
	switch {
	case ctx.Err() != nil:
		return "" // the soak ended: not counted
	case err != nil:
		code = "CONNECTION"
	default:
		errs, _ := a.Decode(nil)
		switch {
		case len(errs) > 0:
			code = cmp.Or(errs[0].Code(), "UNCODED")
		case a.Status >= 400:
			code = "HTTP_" + strconv.Itoa(a.Status)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byKind[kind] = append(s.byKind[kind], took)
	s.all = append(s.all, took)
	if code != "" {
		s.codes[code]++
	}
	return code
}

// createProbe creates client i's entity (or finds it there from an
// earlier soak) and returns its version.
func (s *soak) createProbe(ctx context.Context, i int) (int, string) {
	id := soakProbe + strconv.Itoa(i)
	code := s.do(ctx, "setup", `mutation($id: ID!, $c: CitationInput!) { createActor(input: {id: $id, name: "Soak probe", kind: PERSON,
	  description: "Written by coopgraph soak: not a fact.", citations: [$c]}) { created } }`, map[string]any{"id": id, "c": s.cite}, s.key)
	if code != "" && code != "CONFLICT" {
		return 0, code
	}
	v, code := s.version(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byKind, "setup")
	delete(s.codes, "CONFLICT") // there from an earlier soak
	s.all = s.all[:0]
	return v, code
}

// post sends one GraphQL request.
func (s *soak) post(ctx context.Context, query string, vars map[string]any, credential string) (*gqlclient.Answer, error) {
	return gqlclient.Post(ctx, s.client, s.url+"/graphql", gqlclient.Request{Query: query, Variables: vars, Credential: credential})
}

func (s *soak) version(ctx context.Context, id string) (int, string) {
	a, err := s.post(ctx, `query($id: ID!) { actor(id: $id) { version } }`, map[string]any{"id": id}, s.key)
	if err != nil {
		return 0, "CONNECTION"
	}
	var data struct{ Actor *struct{ Version int } }
	if _, err := a.Decode(&data); err != nil || data.Actor == nil {
		return 0, "NOT_FOUND"
	}
	return data.Actor.Version, ""
}

// write edits client i's entity at version v and returns its next version.
func (s *soak) write(ctx context.Context, i, v, n int) int {
	id := soakProbe + strconv.Itoa(i)
	code := s.do(ctx, "write", `mutation SoakWrite($id: ID!, $v: Int!, $d: String!, $c: CitationInput!) {
	  updateActor(id: $id, expectedVersion: $v, set: {description: $d}, citations: [$c]) { entity { id } } }`,
		map[string]any{"id": id, "v": v, "d": "Written by coopgraph soak: not a fact (" + strconv.Itoa(n) + ").", "c": s.cite}, s.key)
	if code == "" {
		return v + 1
	}
	if next, c := s.version(ctx, id); c == "" {
		return next
	}
	return v
}

func (s *soak) sofar() (int, time.Duration, time.Duration) {
	s.mu.Lock()
	d := slices.Clone(s.all)
	s.mu.Unlock()
	slices.Sort(d)
	return len(d), pct(d, 50), pct(d, 99)
}

// memory reads the API's resident and heap memory from its /metrics.
func (s *soak) memory() (rss, heap string) {
	rss, heap = "-", "-"
	resp, err := s.client.Get(s.url + "/metrics")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			rss = fmt.Sprintf("%.1f", v/(1<<20))
		case "go_memstats_heap_inuse_bytes":
			heap = fmt.Sprintf("%.1f", v/(1<<20))
		}
	}
	return
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
