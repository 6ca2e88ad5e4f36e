package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/peer"
	"github.com/coopgraph/coopgraph/internal/synth"
)

const compareHelp = `usage: coopgraph compare [flags]

Measures coopgraph against a peer that answers the same questions over the
same Neo4j: the official Neo4j GraphQL Library (@neo4j/graphql) on Apollo
Server, at the versions pinned in internal/peer/app/package-lock.json.

NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD (or the flags) must point at a
database holding the graph that "coopgraph gen -nodes N -seed S" generated,
with the same -nodes and -seed here. compare changes no data: coopgraph
serve applies its schema, which changes nothing on a graph this coopgraph's
gen loaded, and compare refuses a graph whose layout would need migrating.

It installs the peer's packages once with npm ci --ignore-scripts (Node.js
20 or later and npm are needed) into the user's cache directory, starts
"coopgraph serve" (this binary) and the peer on free loopback ports, checks
that each pair of queries answers the same, then measures the two in
alternating rounds and writes a Markdown table to stdout. Both servers stop
at the end, and on Ctrl-C.

flags:
`

// compareOptions are compare's own flags.
type compareOptions struct {
	nodes    int
	seed     int64
	clients  int
	rounds   int
	duration time.Duration
	warmup   time.Duration
	samples  int
	timeout  time.Duration
	only     string
	check    bool
	node     string
	npm      string
	cache    string
}

func (o *compareOptions) register(fs *flag.FlagSet) {
	fs.IntVar(&o.nodes, "nodes", 100000, "nodes of the generated graph in the database (coopgraph gen -nodes)")
	fs.Int64Var(&o.seed, "seed", 1, "random seed the graph was generated with (coopgraph gen -seed)")
	fs.IntVar(&o.clients, "clients", 16, "concurrent clients in each timed round")
	fs.IntVar(&o.rounds, "rounds", 3, "timed rounds per server and scenario, alternating coopgraph and the peer")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each timed round")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "untimed load on each server before a scenario's rounds")
	fs.IntVar(&o.samples, "samples", 5, "requests per scenario whose answers are checked equal before timing")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "longest a request may take")
	fs.StringVar(&o.only, "only", "", "compare only scenarios whose name contains this")
	fs.BoolVar(&o.check, "check", false, "only check that the answers agree; measure nothing")
	fs.StringVar(&o.node, "node", "node", "the Node.js binary that runs the peer")
	fs.StringVar(&o.npm, "npm", "npm", "the npm binary that installs the peer's packages")
	fs.StringVar(&o.cache, "peer-cache", "", "directory for the peer's installed packages (default: coopgraph in the user's cache directory)")
}

// validate checks the flags before anything starts.
func (o *compareOptions) validate() error {
	switch {
	case o.nodes < 500:
		return fmt.Errorf("-nodes must be at least 500, the smallest graph coopgraph gen makes, not %d", o.nodes)
	case o.clients < 1 || o.clients > 256:
		return fmt.Errorf("-clients must be between 1 and 256 (coopgraph refuses more than 256 requests in flight), not %d", o.clients)
	case o.rounds < 1:
		return fmt.Errorf("-rounds must be at least 1, not %d", o.rounds)
	case o.duration < 100*time.Millisecond:
		return fmt.Errorf("-duration must be at least 100ms, not %s", o.duration)
	case o.warmup < 0:
		return fmt.Errorf("-warmup must not be negative, not %s", o.warmup)
	case o.samples < 1:
		return fmt.Errorf("-samples must be at least 1: answers are checked before anything is timed, not %d", o.samples)
	case o.timeout < time.Second:
		return fmt.Errorf("-timeout must be at least 1s, not %s", o.timeout)
	}
	return nil
}

func compareCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("compare", getenv, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), compareHelp)
		fs.PrintDefaults()
	}
	var o compareOptions
	o.register(fs)
	if err := parseFlags(fs, getenv, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("compare takes no arguments, only flags: %q", fs.Args())
	}
	if err := o.validate(); err != nil {
		return err
	}
	logger, err := c.logger(stderr)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { logger.Info(fmt.Sprintf(format, a...)) }

	// What runs the peer first: it fails fast and costs nothing.
	nodeVersion, err := peer.NodeVersion(ctx, o.node)
	if err != nil {
		return err
	}
	packages, err := peer.Packages()
	if err != nil {
		return err
	}
	if o.cache == "" {
		if o.cache, err = peer.DefaultCacheDir(); err != nil {
			return err
		}
	}
	script, err := peer.Install(ctx, o.npm, o.cache, logf)
	if err != nil {
		return err
	}

	store, _, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	// coopgraph serve migrates an older graph, which would write: refuse.
	stored, err := store.StoredGraphVersion(ctx)
	if err != nil {
		return err
	}
	if stored != neo4jstore.GraphVersion {
		return fmt.Errorf("the graph's layout is at version %d, this coopgraph's at %d: compare does not change the database; "+
			"load the graph again with this coopgraph's gen", stored, neo4jstore.GraphVersion)
	}
	neo4jVersion, err := peer.Neo4jVersion(ctx, c.neo4j)
	if err != nil {
		return err
	}
	targets, err := compareTargets(ctx, store, o.nodes, o.seed)
	if err != nil {
		return err
	}
	comparisons, err := peer.Comparisons(targets)
	if err != nil {
		return err
	}
	comparisons = slices.DeleteFunc(comparisons, func(c peer.Comparison) bool { return !strings.Contains(c.Name, o.only) })
	if len(comparisons) == 0 {
		return fmt.Errorf("-only %q matches no scenario", o.only)
	}

	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary to run coopgraph serve: %w", err)
	}
	env := serverEnv(os.Environ(), c.neo4j)
	logf("starting coopgraph serve")
	coopgraph, err := peer.StartCoopgraph(ctx, exe, env)
	if err != nil {
		return err
	}
	defer coopgraph.Stop()
	logf("starting the peer (%s)", strings.Join(packages, ", "))
	other, err := peer.StartPeer(ctx, o.node, script, env)
	if err != nil {
		return err
	}
	defer other.Stop()

	cClient, pClient := peer.NewClient(o.clients), peer.NewClient(o.clients)
	rows := make([]peer.Row, len(comparisons))
	for k, comp := range comparisons {
		rows[k].Name, rows[k].How = comp.Name, comp.How
		shared, of := 0, 0
		for i := range o.samples {
			cData, cBytes, err := peer.Ask(ctx, cClient, coopgraph.URL, comp.Coopgraph(i))
			if err != nil {
				return fmt.Errorf("%s: coopgraph: %w", comp.Name, err)
			}
			pData, pBytes, err := peer.Ask(ctx, pClient, other.URL, comp.Peer(i))
			if err != nil {
				return fmt.Errorf("%s: the peer: %w", comp.Name, err)
			}
			if err := comp.Same(cData, pData); err != nil {
				vars, _ := json.Marshal(comp.Coopgraph(i).Variables)
				return fmt.Errorf("the answers differ: %s, request %d (coopgraph's variables %s): %w", comp.Name, i, vars, err)
			}
			if i == 0 {
				rows[k].Coopgraph.AnswerBytes, rows[k].Peer.AnswerBytes = cBytes, pBytes
			}
			if comp.Overlap != nil {
				s, n, err := comp.Overlap(cData, pData)
				if err != nil {
					return fmt.Errorf("%s: %w", comp.Name, err)
				}
				shared, of = shared+s, of+n
			}
		}
		if comp.Overlap != nil {
			rows[k].Note = fmt.Sprintf("the best hit and the hits holding every word agreed on all %d requests checked; "+
				"of coopgraph's %d hits in all, the peer gave %d too. Below those, coopgraph ranks by how a name matches "+
				"(whole words, prefixes, typos, some words), then fewer other words, then more ties; the peer by the index's score, "+
				"and among the many hits of equal score the two pick different ones.", o.samples, of, shared)
		}
		logf("answers agree: %s (%d requests)", comp.Name, o.samples)
	}
	if o.check {
		fmt.Fprintf(stdout, "The answers agree: %d scenarios, %d requests each.\n", len(comparisons), o.samples)
		return nil
	}

	for k, comp := range comparisons {
		logf("measuring %s: %s of %s each way", comp.Name, plural(o.rounds, "round"), o.duration)
		sides := []struct {
			srv     *peer.Server
			c       *http.Client
			request func(int) peer.Request
			side    *peer.Side
		}{{coopgraph, cClient, comp.Coopgraph, &rows[k].Coopgraph}, {other, pClient, comp.Peer, &rows[k].Peer}}
		for _, s := range sides {
			peer.Measure(ctx, s.c, s.srv.URL, s.request, o.clients, o.warmup, o.timeout)
		}
		for range o.rounds {
			for _, s := range sides {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := s.srv.Exited(); err != nil {
					return err
				}
				s.c.CloseIdleConnections() // the other side's round may have outlasted the server's keep-alive
				r := peer.Measure(ctx, s.c, s.srv.URL, s.request, o.clients, o.duration, o.timeout)
				if r.Errors > 0 && ctx.Err() == nil {
					logger.Warn("requests failed", "scenario", comp.Name, "server", s.srv.Name, "errors", r.Errors, "first", r.FirstError)
				}
				s.side.Rounds = append(s.side.Rounds, r)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	writeComparison(stdout, comparisonReport{
		When: time.Now(), Args: args, Cores: runtime.NumCPU(), Options: o,
		Coopgraph: versionText(), Peer: strings.Join(packages, ", ") + " on Node.js " + nodeVersion, Neo4j: neo4jVersion,
		Hub: targets.Hub, CoopgraphRSS: coopgraph.PeakRSS(), PeerRSS: other.PeakRSS(), Rows: rows,
	})
	return nil
}

// serverEnv is the environment both servers run with: this one, with the
// Neo4j settings compare uses (-query-timeout too), and coopgraph serve
// neither seeding nor asking readers for a credential.
func serverEnv(environ []string, cfg neo4jstore.Config) []string {
	env := slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		return strings.HasPrefix(kv, "NEO4J_") || strings.HasPrefix(kv, "COOPGRAPH_")
	})
	env = append(env, "NEO4J_URI="+cfg.URI, "NEO4J_USER="+cfg.User, "NEO4J_PASSWORD="+cfg.Password,
		"COOPGRAPH_SEED=false", "COOPGRAPH_READ_ACCESS=open", "COOPGRAPH_QUERY_TIMEOUT="+cfg.QueryTimeout.String())
	if cfg.Database != "" {
		env = append(env, "NEO4J_DATABASE="+cfg.Database)
	}
	return env
}

// compareTargets picks the entities to ask about from the generated graph,
// as coopgraph bench does: ordinary people, their names, the largest hub,
// and ids where pages of people start.
func compareTargets(ctx context.Context, store *neo4jstore.Store, nodes int, seed int64) (peer.Targets, error) {
	g, err := synth.New(synth.DefaultConfig(nodes, seed))
	if err != nil {
		return peer.Targets{}, err
	}
	r := rand.New(rand.NewSource(99))
	var t peer.Targets
	for range 50 {
		t.People = append(t.People, g.Ordinary(r))
	}
	for range 20 {
		t.After = append(t.After, g.Ordinary(r))
	}
	t.Hub = g.Hubs()[0]
	ents, err := store.Entities(ctx, append(slices.Clone(t.People), t.Hub))
	if err != nil {
		return peer.Targets{}, err
	}
	for _, id := range t.People {
		if e, ok := ents[id]; ok {
			t.Names = append(t.Names, e.EntityBase().Name)
		}
	}
	if len(t.Names) < len(t.People) || ents[t.Hub] == nil {
		return peer.Targets{}, fmt.Errorf("the database does not hold the graph coopgraph gen -nodes %d -seed %d makes: "+
			"%d of %d people and the hub %s are missing (load it with coopgraph gen, or give the -nodes and -seed it was made with)",
			nodes, seed, len(t.People)-len(t.Names), len(t.People), t.Hub)
	}
	return t, nil
}

// comparisonReport is what compare writes.
type comparisonReport struct {
	When                  time.Time
	Args                  []string
	Cores                 int
	Options               compareOptions
	Coopgraph, Peer       string
	Neo4j                 string
	Hub                   string
	CoopgraphRSS, PeerRSS int64
	Rows                  []peer.Row
}

func writeComparison(w io.Writer, r comparisonReport) {
	o := r.Options
	fmt.Fprintf(w, "## coopgraph and @neo4j/graphql on the same Neo4j (%s nodes)\n\n", thousands(o.nodes))
	fmt.Fprintf(w, "Measured %s on %d cores, shared by Neo4j, both servers and the load generator.\n\n",
		r.When.UTC().Format("2006-01-02 15:04 MST"), r.Cores)
	fmt.Fprintf(w, "- coopgraph: %s, as `coopgraph serve` (log level warn)\n", r.Coopgraph)
	fmt.Fprintf(w, "- peer: %s\n", r.Peer)
	fmt.Fprintf(w, "- database: %s, holding `coopgraph gen -nodes %d -seed %d` (hub: %s)\n", r.Neo4j, o.nodes, o.seed, r.Hub)
	fmt.Fprintf(w, "- load: %d clients; per scenario, %s of warm-up on each server, then %s of %s on each, alternating "+
		"(coopgraph, peer, coopgraph, ...); answers checked equal on %s per scenario first\n\n",
		o.clients, o.warmup, plural(o.rounds, "round"), o.duration, plural(o.samples, "request"))
	fmt.Fprintf(w, "```sh\ncoopgraph compare%s\n```\n\n", quoteArgs(r.Args))
	peer.WriteTable(w, r.Rows)
	fmt.Fprintf(w, "\nreq/s: median of the rounds; p50 and p99: over every request of every round; ratios: coopgraph over the peer. "+
		"Errors and answer bytes: coopgraph / peer.\n\n")
	fmt.Fprintf(w, "Peak RSS (VmHWM) over the run: coopgraph serve %s, the peer (node) %s.\n", mib(r.CoopgraphRSS), mib(r.PeerRSS))
	fmt.Fprintf(w, "\nHow the peer answers (internal/peer/app/server.mjs; the library compiles each root field into one Cypher statement):\n\n")
	for _, row := range r.Rows {
		if row.How != "" {
			fmt.Fprintf(w, "- %s: %s\n", row.Name, row.How)
		}
	}
}

func mib(b int64) string {
	if b == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// quoteArgs writes arguments back as a shell would take them.
func quoteArgs(args []string) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteByte(' ')
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			b.WriteString("'" + strings.ReplaceAll(a, "'", `'\''`) + "'")
		} else {
			b.WriteString(a)
		}
	}
	return b.String()
}
