// Command coopgraph serves the security-cooperation knowledge graph over
// GraphQL and manages its data.
//
//	coopgraph serve [flags]   run the API (applies the schema; -seed loads the seed graph)
//	coopgraph seed  [flags]   apply the schema and load the seed graph, idempotently
//	coopgraph gen   [flags]   load a synthetic graph for benchmarks
//	coopgraph bench [flags]   measure the API against the direct Cypher floor
//	coopgraph compare [flags] measure the API against the official Neo4j GraphQL Library
//	coopgraph export [flags]  write the graph (jsonl, graphml, cytoscape, csv)
//	coopgraph import FILE...  validate, then load JSON Lines or CSV files
//	coopgraph ingest FILE -source ID ...  store a document's passages; write candidate facts to review
//	coopgraph keys ...        create, list and revoke API keys
//
// Neo4j is configured from the environment: NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_DATABASE.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal starts a clean shutdown, a second one kills.
	go func() { <-ctx.Done(); stop() }()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "coopgraph:", describe(err))
	}
	os.Exit(exitCode(err))
}

// exitCode is 0 for success and for -h (the usage asked for), 1 otherwise.
func exitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// describe is an error as people read it: a coded error (bad input, a
// conflict, an unknown id) is its message alone, without the Go names of
// the functions it passed through.
func describe(err error) string {
	var ce *coop.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	// The operator at the command line is not an API client: where the
	// message alone would not tell what went wrong, the cause goes with it.
	if (ce.Code == coop.CodeUnavailable || ce.Code == coop.CodeInternal || ce.Code == coop.CodeTimeout) && ce.Err != nil {
		return ce.Error() + " (" + ce.Err.Error() + ")"
	}
	return ce.Error()
}

const usage = `usage: coopgraph <command> [flags]

commands:
  serve   run the GraphQL API (GraphQL at /graphql, IDE at /, explorer at /explore, /healthz, /readyz)
  seed    apply the schema and load the seed graph (idempotent)
  gen     load a synthetic graph of any size (reproducible from -seed), for benchmarks
  bench   generate graphs of several sizes and measure the API against the Cypher floor
  compare measure the API against @neo4j/graphql on Apollo Server, on the same Neo4j and graph
  export  write the whole graph: JSON Lines (what import reads), GraphML, Cytoscape.js JSON or CSV
  import  validate JSON Lines or CSV files whole, then load them in batches (idempotent)
  ingest  store a document (plain text or Markdown) as a source's passages, and write a review
          file of candidate facts for a curator to complete and import
  keys    create, list and revoke API keys (create -name NAME -role reader|editor|admin)
  soak    run mixed reads and writes against a running service for a while, and print p50/p99,
          errors by code and the API's memory over time
  version print the version of this build

Neo4j connection (environment): NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USER (default neo4j), NEO4J_PASSWORD, NEO4J_DATABASE (default: the server's default).
Run "coopgraph <command> -h" for a command's flags.
`

// command runs one of coopgraph's commands with its arguments.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// commands are coopgraph's commands by name (see usage).
var commands = map[string]command{
	"serve": func(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) error {
		return serve(ctx, args, getenv, stderr)
	},
	"seed":    seedCommand,
	"gen":     genCommand,
	"bench":   benchCommand,
	"compare": compareCommand,
	"export":  exportCommand,
	"import":  importCommand,
	"ingest":  ingestCommand,
	"soak":    soakCommand,
	"keys":    keysCommand,
}

// run is the whole program, so tests can drive it like a user.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	if cmd, ok := commands[args[0]]; ok {
		return cmd(ctx, args[1:], getenv, stdout, stderr)
	}
	switch args[0] {
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, versionText())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// version is set at build time (make build: git describe) where the Go
// toolchain does not stamp the commit itself (-buildvcs=false).
var version string

// versionText names this build: the version make stamped, or the module
// version (or the commit it was built from, and whether the tree held
// uncommitted changes), and Go's.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "coopgraph " + cmp.Or(version, "(version unknown)")
	}
	if version != "" {
		return fmt.Sprintf("coopgraph %s, built with %s", version, info.GoVersion)
	}
	v := info.Main.Version
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		v += " commit " + rev[:min(12, len(rev))]
		if t := settings["vcs.time"]; t != "" {
			v += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			v += " with uncommitted changes"
		}
	}
	return fmt.Sprintf("coopgraph %s, built with %s", v, info.GoVersion)
}

// common holds the settings every command shares.
type common struct {
	neo4j     neo4jstore.Config
	wait      time.Duration
	logFormat string
	logLevel  string
}

// newCommand starts a command's flags: the common ones (see register),
// with -wait defaulting to a minute, and errors written to stderr.
func newCommand(name string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	c.register(fs, getenv, time.Minute)
	return fs, c
}

// register adds the flags every command that needs Neo4j takes (their
// environment variables apply in parseFlags). wait is the command's default for -wait: how long it waits for
// Neo4j to answer (0: as long as it takes).
func (c *common) register(fs *flag.FlagSet, getenv func(string) string, wait time.Duration) {
	fs.DurationVar(&c.wait, "wait", wait, "how long to wait for Neo4j to answer before giving up; 0 waits as long as it takes (env COOPGRAPH_NEO4J_WAIT)")
	fs.StringVar(&c.neo4j.URI, "neo4j-uri", "bolt://127.0.0.1:7687", "Neo4j URI (env NEO4J_URI)")
	fs.StringVar(&c.neo4j.User, "neo4j-user", "neo4j", "Neo4j user (env NEO4J_USER)")
	c.neo4j.Password = getenv("NEO4J_PASSWORD") // never a flag: flags show in process lists
	fs.StringVar(&c.neo4j.Database, "neo4j-database", "", "Neo4j database (env NEO4J_DATABASE)")
	fs.DurationVar(&c.neo4j.QueryTimeout, "query-timeout", 10*time.Second, "server-side limit on each query (env COOPGRAPH_QUERY_TIMEOUT)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json (env COOPGRAPH_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error (env COOPGRAPH_LOG_LEVEL)")
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format must be text or json, not %q", c.logFormat)
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// envInHelp finds the environment variable a flag's help names at its end:
// "(env NAME)", or "(env NAME=true)" for a switch.
var envInHelp = regexp.MustCompile(`\(env ([A-Z][A-Z0-9_]*)(?:=[a-z]+)?\)$`)

// parseFlags gives a command's flags their environment variables'
// values (setFromEnv), then the command line's: the command line wins, and
// a malformed variable stops the command before it does anything.
func parseFlags(fs *flag.FlagSet, getenv func(string) string, args []string) error {
	if err := setFromEnv(fs, getenv); err != nil {
		return err
	}
	return fs.Parse(args)
}

// setFromEnv gives each flag of fs whose help names an environment
// variable (envInHelp) that variable's value, when it is set, parsed as
// the command line's would be: the variable means what the flag means,
// and a malformed value is an error that names the variable. Call it
// before fs.Parse, so that the command line overrides the environment;
// setting a flag again from the same variable changes nothing.
func setFromEnv(fs *flag.FlagSet, getenv func(string) string) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		m := envInHelp.FindStringSubmatch(f.Usage)
		if m == nil {
			return
		}
		v := getenv(m[1])
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s=%q is not %s (it sets -%s): %w", m[1], v, expected(f.Value), f.Name, err))
		}
	})
	return errors.Join(errs...)
}

// expected says what a flag's value must be, for errors.
func expected(v flag.Value) string {
	g, ok := v.(flag.Getter)
	if !ok {
		return "a valid value"
	}
	switch g.Get().(type) {
	case time.Duration:
		return "a duration such as 30s or 2m"
	case float64:
		return "a number"
	case int, int64, uint, uint64:
		return "a whole number"
	case bool:
		return "true or false"
	}
	return "a valid value"
}

// open makes the logger, opens the store and waits up to -wait for Neo4j
// to answer: what every command but serve starts with. The caller closes
// the store.
func (c *common) open(ctx context.Context, stderr io.Writer) (*neo4jstore.Store, *slog.Logger, error) {
	logger, err := c.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	store, err := neo4jstore.Open(c.neo4j)
	if err != nil {
		return nil, nil, err
	}
	wctx, cancel := ctx, context.CancelFunc(func() {})
	if c.wait > 0 {
		wctx, cancel = context.WithTimeout(ctx, c.wait)
	}
	defer cancel()
	if err := waitForNeo4j(wctx, store, c.neo4j.URI, c.wait, logger); err != nil {
		store.Close(context.WithoutCancel(ctx))
		return nil, nil, err
	}
	return store, logger, nil
}

// waitForNeo4j pings until Neo4j answers or ctx ends, logging while it
// waits (for how long at most: wait, 0 for as long as it takes). Neo4j
// refusing the credentials ends it at once: waiting cannot mend them.
func waitForNeo4j(ctx context.Context, store *neo4jstore.Store, uri string, wait time.Duration, logger *slog.Logger) error {
	delay := 500 * time.Millisecond
	limit := "as long as it takes"
	if wait > 0 {
		limit = "up to " + wait.String() + " (-wait)"
	}
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := store.Ping(pctx)
		cancel()
		if err == nil {
			return nil
		}
		if errors.Is(err, neo4jstore.ErrCredentials) {
			return fmt.Errorf("Neo4j at %s: %w", uri, neo4jstore.ErrCredentials)
		}
		if attempt == 1 || attempt%10 == 0 {
			logger.Warn("waiting for Neo4j to answer", "uri", uri, "waiting", limit, "attempt", attempt, "error", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("Neo4j at %s did not answer: %w", uri, err)
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments ("ingest report.md -source x"), which the flag
// package alone stops at; "--" ends the flags. It returns the positional
// arguments.
func parseInterspersed(fs *flag.FlagSet, getenv func(string) string, args []string) ([]string, error) {
	if err := setFromEnv(fs, getenv); err != nil {
		return nil, err
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}
