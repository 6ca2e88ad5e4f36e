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

	"github.com/coopgraph/coopgraph/internal/httpapi"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/server"
)

// serveFlags are serve's settings.
type serveFlags struct {
	common
	auth    authFlags
	addr    string
	seed    bool
	origins string
	http    httpapi.Config
}

// register adds serve's flags (their environment variables apply in
// parseFlags).
func (s *serveFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	s.common.register(fs, getenv, 0) // serve waits for Neo4j as long as it takes
	fs.StringVar(&s.addr, "addr", "127.0.0.1:8080", "listen address (env COOPGRAPH_ADDR)")
	fs.BoolVar(&s.seed, "seed", false, "load the seed graph once Neo4j answers (env COOPGRAPH_SEED=true)")
	s.http = httpapi.DefaultConfig
	fs.DurationVar(&s.http.RequestTimeout, "request-timeout", s.http.RequestTimeout, "deadline of each request (env COOPGRAPH_REQUEST_TIMEOUT)")
	fs.StringVar(&s.origins, "cors-origins", strings.Join(httpapi.DefaultCORSOrigins, ","),
		`browser origins allowed to call /graphql, comma-separated, or "*" (env COOPGRAPH_CORS_ORIGINS)`)
	fs.Float64Var(&s.http.RateLimit.PerSecond, "rate-limit", s.http.RateLimit.PerSecond,
		"requests per second each address may send to /graphql (set 0 behind a load balancer, where every caller has its address); 0: no limit (env COOPGRAPH_RATE_LIMIT)")
	fs.IntVar(&s.http.RateLimit.Burst, "rate-burst", s.http.RateLimit.Burst,
		"requests a caller may send at once before the rate applies (env COOPGRAPH_RATE_BURST)")
	fs.BoolVar(&s.http.RateLimit.Loopback, "rate-limit-loopback", false,
		"limit callers on the loopback interface too (env COOPGRAPH_RATE_LIMIT_LOOPBACK=true)")
	fs.DurationVar(&s.http.SlowRequest, "slow-request", s.http.SlowRequest,
		"log requests slower than this as slow, with their operation; 0: never (env COOPGRAPH_SLOW_REQUEST)")
	s.http.BookmarkSecret = []byte(getenv("COOPGRAPH_BOOKMARK_SECRET")) // from the environment only, as secrets are
	s.auth.register(fs, getenv)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s serveFlags
	s.register(fs, getenv)
	if err := parseFlags(fs, getenv, args); err != nil {
		return err
	}
	if s.http.RequestTimeout <= 0 {
		return fmt.Errorf("-request-timeout must be positive, not %s", s.http.RequestTimeout)
	}
	authCfg, err := s.auth.config()
	if err != nil {
		return err
	}
	s.http.CORSOrigins = httpapi.ParseOrigins(s.origins)
	logger, err := s.logger(stderr)
	if err != nil {
		return err
	}
	if s.neo4j.QueryTimeout > s.http.RequestTimeout {
		s.neo4j.QueryTimeout = s.http.RequestTimeout
	}
	store, err := neo4jstore.Open(s.neo4j)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	meter := metrics.New()
	store.SetMetrics(meter)
	s.http.Metrics = meter

	// Serve at once, even before Neo4j answers; /readyz says when queries can run.
	var prepared atomic.Bool
	prepCtx, stopPrep := context.WithCancel(ctx)
	defer stopPrep()
	// Credentials Neo4j refuses, and Neo4j not answering within -wait (when
	// one is given), end serve.
	fatal := make(chan error, 1)
	go func() {
		if err := prepare(prepCtx, store, s.neo4j.URI, s.wait, s.seed, logger); err != nil {
			if prepCtx.Err() == nil {
				fatal <- err
			}
			return
		}
		prepared.Store(true)
	}()

	if (authCfg.HS256Secret != nil || authCfg.RS256Key != nil) && authCfg.Audience == "" {
		logger.Warn("JWTs are accepted without an audience check: any token from the same issuer and key is valid here; set -jwt-audience")
	}
	cfg := server.DefaultConfig(logger)
	cfg.HTTP, cfg.Auth = s.http, authCfg
	cfg.GraphQL.Metrics = meter
	cfg.Prepared = func(context.Context) error {
		if !prepared.Load() {
			return errors.New("schema not applied yet: waiting for Neo4j")
		}
		return nil
	}
	handler := server.New(store, cfg)
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	// ReadTimeout bounds the body too: a client trickling a request cannot hold a connection.
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	logger.Info("serving", "graphql", fmt.Sprintf("http://%s/graphql", ln.Addr()), "ide", fmt.Sprintf("http://%s/", ln.Addr()), "neo4j", s.neo4j.URI,
		"read_access", s.auth.readAccess, "jwt_hs256", authCfg.HS256Secret != nil, "jwt_rs256", authCfg.RS256Key != nil)
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
	sctx, cancel := context.WithTimeout(context.Background(), s.http.RequestTimeout+5*time.Second)
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
