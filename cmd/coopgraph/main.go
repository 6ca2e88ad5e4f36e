// Command coopgraph serves the security-cooperation knowledge graph over
// GraphQL and manages its data.
//
//	coopgraph serve [flags]   run the API (applies the schema; -seed loads the seed graph)
//	coopgraph seed  [flags]   apply the schema and load the seed graph, idempotently
//	coopgraph gen   [flags]   load a synthetic graph for benchmarks
//	coopgraph bench [flags]   measure the API against the direct Cypher floor
//	coopgraph export [flags]  write the graph (jsonl, graphml, cytoscape, csv)
//	coopgraph import FILE...  validate, then load JSON Lines or CSV files
//	coopgraph keys ...        create, list and revoke API keys
//
// Neo4j is configured from the environment: NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_DATABASE.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal starts a clean shutdown, a second one kills.
	go func() { <-ctx.Done(); stop() }()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "coopgraph:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: coopgraph <command> [flags]

commands:
  serve   run the GraphQL API (GraphQL at /graphql, IDE at /, /healthz, /readyz)
  seed    apply the schema and load the seed graph (idempotent)
  gen     load a synthetic graph of any size (reproducible from -seed), for benchmarks
  bench   generate graphs of several sizes and measure the API against the Cypher floor
  export  write the whole graph: JSON Lines (what import reads), GraphML, Cytoscape.js JSON or CSV
  import  validate JSON Lines or CSV files whole, then load them in batches (idempotent)
  keys    create, list and revoke API keys (create -name NAME -role reader|editor|admin)

Neo4j connection (environment): NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USER (default neo4j), NEO4J_PASSWORD, NEO4J_DATABASE (default: the server's default).
Run "coopgraph <command> -h" for a command's flags.
`

// run is the whole program, so tests can drive it like a user.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stderr)
	case "seed":
		return seedCommand(ctx, args[1:], getenv, stdout, stderr)
	case "gen":
		return genCommand(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return benchCommand(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return exportCommand(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return importCommand(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keysCommand(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// common holds the settings every command shares.
type common struct {
	neo4j     neo4jstore.Config
	logFormat string
	logLevel  string
}

func (c *common) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.neo4j.URI, "neo4j-uri", envOr(getenv, "NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI (env NEO4J_URI)")
	fs.StringVar(&c.neo4j.User, "neo4j-user", envOr(getenv, "NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	c.neo4j.Password = getenv("NEO4J_PASSWORD") // never a flag: flags show in process lists
	fs.StringVar(&c.neo4j.Database, "neo4j-database", getenv("NEO4J_DATABASE"), "Neo4j database (env NEO4J_DATABASE)")
	fs.DurationVar(&c.neo4j.QueryTimeout, "query-timeout", envDuration(getenv, "COOPGRAPH_QUERY_TIMEOUT", 10*time.Second), "server-side limit on each query (env COOPGRAPH_QUERY_TIMEOUT)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "COOPGRAPH_LOG_FORMAT", "text"), "log format: text or json (env COOPGRAPH_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", envOr(getenv, "COOPGRAPH_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env COOPGRAPH_LOG_LEVEL)")
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

func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(key)); err == nil && d > 0 {
		return d
	}
	return def
}

// open makes the logger, opens the store and waits up to wait for Neo4j to
// answer: what every command but serve starts with. The caller closes the
// store.
func (c *common) open(ctx context.Context, stderr io.Writer, wait time.Duration) (*neo4jstore.Store, *slog.Logger, error) {
	logger, err := c.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	store, err := neo4jstore.Open(c.neo4j)
	if err != nil {
		return nil, nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if err := waitForNeo4j(wctx, store, c.neo4j.URI, logger); err != nil {
		store.Close(context.WithoutCancel(ctx))
		return nil, nil, err
	}
	return store, logger, nil
}

// waitForNeo4j pings until Neo4j answers or ctx ends, logging while it waits.
func waitForNeo4j(ctx context.Context, store *neo4jstore.Store, uri string, logger *slog.Logger) error {
	delay := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := store.Ping(pctx)
		cancel()
		if err == nil {
			return nil
		}
		if attempt == 1 || attempt%10 == 0 {
			logger.Warn("waiting for Neo4j", "uri", uri, "attempt", attempt, "error", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("Neo4j at %s did not answer: %w", uri, err)
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}
