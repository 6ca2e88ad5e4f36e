package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/httpapi"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, getenv, 0) // serve waits for Neo4j as long as it takes
	addr := fs.String("addr", envOr(getenv, "COOPGRAPH_ADDR", "127.0.0.1:8080"), "listen address (env COOPGRAPH_ADDR)")
	withSeed := fs.Bool("seed", getenv("COOPGRAPH_SEED") == "true", "load the seed graph once Neo4j answers (env COOPGRAPH_SEED=true)")
	httpCfg := httpapi.DefaultConfig
	fs.DurationVar(&httpCfg.RequestTimeout, "request-timeout", envDuration(getenv, "COOPGRAPH_REQUEST_TIMEOUT", httpCfg.RequestTimeout), "deadline of each request (env COOPGRAPH_REQUEST_TIMEOUT)")
	origins := fs.String("cors-origins", envOr(getenv, "COOPGRAPH_CORS_ORIGINS", strings.Join(httpapi.DefaultCORSOrigins, ",")),
		`browser origins allowed to call /graphql, comma-separated, or "*" (env COOPGRAPH_CORS_ORIGINS)`)
	fs.Float64Var(&httpCfg.RateLimit.PerSecond, "rate-limit", envFloat(getenv, "COOPGRAPH_RATE_LIMIT", httpCfg.RateLimit.PerSecond),
		"requests per second each address may send to /graphql (set 0 behind a load balancer, where every caller has its address); 0: no limit (env COOPGRAPH_RATE_LIMIT)")
	fs.IntVar(&httpCfg.RateLimit.Burst, "rate-burst", int(envFloat(getenv, "COOPGRAPH_RATE_BURST", float64(httpCfg.RateLimit.Burst))),
		"requests a caller may send at once before the rate applies (env COOPGRAPH_RATE_BURST)")
	fs.BoolVar(&httpCfg.RateLimit.Loopback, "rate-limit-loopback", getenv("COOPGRAPH_RATE_LIMIT_LOOPBACK") == "true",
		"limit callers on the loopback interface too (env COOPGRAPH_RATE_LIMIT_LOOPBACK=true)")
	fs.DurationVar(&httpCfg.SlowRequest, "slow-request", envDuration(getenv, "COOPGRAPH_SLOW_REQUEST", httpCfg.SlowRequest),
		"log requests slower than this as slow, with their operation (env COOPGRAPH_SLOW_REQUEST)")
	var af authFlags
	af.register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	authCfg, err := af.config()
	if err != nil {
		return err
	}
	httpCfg.CORSOrigins = httpapi.ParseOrigins(*origins)
	logger, err := c.logger(stderr)
	if err != nil {
		return err
	}
	if c.neo4j.QueryTimeout > httpCfg.RequestTimeout {
		c.neo4j.QueryTimeout = httpCfg.RequestTimeout
	}
	store, err := neo4jstore.Open(c.neo4j)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	httpCfg.BookmarkSecret = []byte(getenv("COOPGRAPH_BOOKMARK_SECRET")) // from the environment only, as secrets are
	meter := metrics.New()
	store.SetMetrics(meter)
	httpCfg.Metrics = meter

	// Serve at once, even before Neo4j answers; /readyz says when queries can run.
	var prepared atomic.Bool
	prepCtx, stopPrep := context.WithCancel(ctx)
	defer stopPrep()
	// Credentials Neo4j refuses, and Neo4j not answering within -wait (when
	// one is given), end serve.
	fatal := make(chan error, 1)
	go func() {
		if err := prepare(prepCtx, store, c.neo4j.URI, c.wait, *withSeed, logger); err != nil {
			if prepCtx.Err() == nil {
				fatal <- err
			}
			return
		}
		prepared.Store(true)
	}()
	ready := func(ctx context.Context) error {
		if !prepared.Load() {
			return errors.New("schema not applied yet: waiting for Neo4j")
		}
		if err := store.Serving(ctx); err != nil {
			return errors.New("Neo4j does not run a read and a write transaction")
		}
		return nil
	}
	httpCfg.Outage = store.Down

	if (authCfg.HS256Secret != nil || authCfg.RS256Key != nil) && authCfg.Audience == "" {
		logger.Warn("JWTs are accepted without an audience check: any token from the same issuer and key is valid here; set -jwt-audience")
	}
	authn := auth.New(authCfg, store)
	gqlOpts := graph.DefaultOptions(logger)
	gqlOpts.Metrics = meter
	api := authn.Middleware(logger, graph.NewHandler(store, gqlOpts))
	handler := httpapi.NewServer(httpCfg, logger, api, ready)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// ReadTimeout bounds the body too: a client trickling a request cannot hold a connection.
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	logger.Info("serving", "graphql", fmt.Sprintf("http://%s/graphql", ln.Addr()), "ide", fmt.Sprintf("http://%s/", ln.Addr()), "neo4j", c.neo4j.URI,
		"read_access", af.readAccess, "jwt_hs256", authCfg.HS256Secret != nil, "jwt_rs256", authCfg.RS256Key != nil)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case err := <-fatal:
		srv.Close()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), httpCfg.RequestTimeout+5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// prepare waits for Neo4j, applies the schema and, if asked, loads the seed.
// It retries until it succeeds or ctx ends, but for refused credentials,
// invalid seed data and, with a -wait, Neo4j not answering in time.
func prepare(ctx context.Context, store *neo4jstore.Store, uri string, wait time.Duration, withSeed bool, logger *slog.Logger) error {
	for {
		wctx, cancel := ctx, context.CancelFunc(func() {})
		if wait > 0 {
			wctx, cancel = context.WithTimeout(ctx, wait)
		}
		err := waitForNeo4j(wctx, store, uri, wait, logger)
		cancel()
		if err != nil && (wait > 0 || errors.Is(err, neo4jstore.ErrCredentials)) {
			return err
		}
		if err == nil {
			err = store.ApplySchema(ctx)
		}
		if err == nil && withSeed {
			var problems strings.Builder
			_, _, err = loadSeed(ctx, store, &problems)
			if errors.Is(err, importer.ErrInvalid) {
				return fmt.Errorf("seed data is invalid:\n%s", problems.String())
			}
		}
		if err == nil {
			logger.Info("graph ready", "schema", "applied", "seeded", withSeed)
			return nil
		}
		logger.Warn("preparing the graph failed; retrying", "error", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}
