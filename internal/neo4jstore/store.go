// Package neo4jstore is coopgraph's storage adapter for Neo4j: the Cypher,
// the schema (constraints and indexes), loading records, and mapping what
// Neo4j returns onto the domain types of package coop.
//
// Every query is parameterised. Labels, relationship types and traversal
// bounds are spliced in only from the allow-listed constants of package coop.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/outcome"
)

// Config says how to reach Neo4j.
type Config struct {
	URI, User, Password, Database string
	// QueryTimeout bounds each transaction on the server (db.transaction.timeout for it).
	QueryTimeout time.Duration
}

// Store reads and writes the graph in Neo4j. It is safe for concurrent use.
type Store struct {
	driver neo4j.DriverWithContext
	// probeDriver is the outage probe's own small pool: a pool busy with
	// queries must not look like an outage.
	probeDriver neo4j.DriverWithContext
	db          string
	timeout     time.Duration
	trips       atomic.Int64
	outage      outage
	metrics     *metrics.Metrics
}

// SetMetrics makes the store count its round trips in m.
func (s *Store) SetMetrics(m *metrics.Metrics) { s.metrics = m }

var (
	_ coop.Store   = (*Store)(nil)
	_ coop.Analyst = (*Store)(nil)
)

// Open creates the driver. It does not contact the server: Neo4j may come up later.
func Open(cfg Config) (*Store, error) {
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	open := func(poolSize int) (neo4j.DriverWithContext, error) {
		return neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""),
			func(c *config.Config) {
				c.SocketConnectTimeout = time.Second
				c.ConnectionAcquisitionTimeout = 5 * time.Second
				c.MaxTransactionRetryTime = 3 * time.Second
				c.MaxConnectionPoolSize = poolSize
			})
	}
	driver, err := open(64)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Open: %w", err)
	}
	probe, err := open(probeAttempts)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Open: %w", err)
	}
	return &Store{driver: driver, probeDriver: probe, db: cfg.Database, timeout: cfg.QueryTimeout, outage: outage{closed: make(chan struct{})}}, nil
}

// Close closes the driver and its connections, and stops the outage probe.
func (s *Store) Close(ctx context.Context) error {
	s.outage.mu.Lock()
	select {
	case <-s.outage.closed:
	default:
		close(s.outage.closed)
	}
	s.outage.mu.Unlock()
	return errors.Join(s.probeDriver.Close(ctx), s.driver.Close(ctx))
}

// Ping checks that Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return classify(ctx, err)
	}
	return nil
}

// RoundTrips counts the queries sent to Neo4j since the store opened; tests
// use it to check that nested lists are batched.
func (s *Store) RoundTrips() int64 { return s.trips.Load() }

// Statement is one query as the store sends it to Neo4j.
type Statement struct {
	Cypher string
	Params map[string]any
}

// Run sends a statement as the store would and counts the records, mapping
// nothing: the floor that benchmarks compare the API against.
func (s *Store) Run(ctx context.Context, st Statement) (int, error) {
	recs, err := s.read(ctx, st.Cypher, st.Params)
	return len(recs), err
}

// read runs one read query in a managed transaction and returns its records.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if err := s.failFast(); err != nil {
		return nil, err
	}
	s.trips.Add(1)
	done := s.metrics.RoundTrip("read")
	sess := s.driver.NewSession(ctx, s.session(ctx, neo4j.AccessModeRead))
	defer sess.Close(context.WithoutCancel(ctx))
	out, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	}, neo4j.WithTxTimeout(s.timeout))
	done(err != nil)
	if err != nil {
		s.noticed(ctx, err)
		return nil, classify(ctx, err)
	}
	return out.([]*neo4j.Record), nil
}

// write runs work in one managed write transaction. work may run more than
// once (the driver retries transient failures), so it must be idempotent.
func (s *Store) write(ctx context.Context, timeout time.Duration, work func(tx neo4j.ManagedTransaction) error) error {
	if err := s.failFast(); err != nil {
		return err
	}
	s.trips.Add(1)
	done := s.metrics.RoundTrip("write")
	sess := s.driver.NewSession(ctx, s.session(ctx, neo4j.AccessModeWrite))
	defer sess.Close(context.WithoutCancel(ctx))
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, work(tx)
	}, neo4j.WithTxTimeout(timeout))
	done(err != nil)
	if err == nil {
		outcome.From(ctx).Wrote(neo4j.BookmarksToRawValues(sess.LastBookmarks()))
	}
	if err != nil {
		s.noticed(ctx, err)
		return classify(ctx, err)
	}
	return nil
}

// session configures a session for mode. A request that carries bookmarks
// (the client read its own write on another replica) waits for them: on a
// cluster, its transactions see those writes wherever they run.
func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionConfig {
	cfg := neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode}
	if after := outcome.From(ctx).After(); len(after) > 0 {
		cfg.Bookmarks = neo4j.BookmarksFromRawValues(after...)
	}
	return cfg
}

// ErrCredentials is the cause of an error when Neo4j refused the user and
// password: waiting or retrying cannot help (and retries trip Neo4j's
// authentication rate limit), so callers stop at once.
var ErrCredentials = errors.New("Neo4j refused the user name and password (NEO4J_USER, NEO4J_PASSWORD)")

// classify maps driver errors onto coded domain errors. The driver's text is
// kept only as the cause, for logs.
func classify(ctx context.Context, err error) error {
	var ce *coop.Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled) {
		// The client went away; nobody reads the answer.
		return &coop.Error{Code: coop.CodeTimeout, Message: "the request was cancelled", Err: err}
	}
	// Exhausted retries: what failed is the last attempt's error.
	var exhausted *neo4j.TransactionExecutionLimit
	if errors.As(err, &exhausted) && len(exhausted.Errors) > 0 {
		last := exhausted.Errors[len(exhausted.Errors)-1]
		var conn *neo4j.ConnectivityError
		if errors.As(last, &conn) {
			return coop.Unavailable(err)
		}
		if c := classify(context.WithoutCancel(ctx), last); coop.ErrorCode(c) != coop.CodeInternal {
			return &coop.Error{Code: coop.ErrorCode(c), Message: c.(*coop.Error).Message, Err: err}
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return coop.Timeout(err)
		}
		return coop.Unavailable(err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		// A query cut by the deadline may surface as a closed connection.
		return coop.Timeout(err)
	}
	if isConnectivity(err) {
		return coop.Unavailable(err)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
			ne.Code == "Neo.TransientError.Transaction.MaxExecutionTimeout":
			return coop.Timeout(err)
		case strings.HasPrefix(ne.Code, "Neo.TransientError.General.MemoryPoolOutOfMemoryError"),
			strings.HasPrefix(ne.Code, "Neo.TransientError.General.TransactionMemoryLimit"),
			ne.Code == "Neo.ClientError.General.TransactionOutOfMemoryError":
			return &coop.Error{Code: coop.CodeTooComplex, Message: "the query needed more memory than allowed", Err: err}
		case ne.Code == "Neo.ClientError.Security.Unauthorized",
			ne.Code == "Neo.ClientError.Security.AuthenticationRateLimit":
			return coop.Unavailable(fmt.Errorf("%w: %v", ErrCredentials, err))
		case strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.InvalidBookmark"):
			return &coop.Error{Code: coop.CodeInvalid, Field: "X-Coopgraph-Bookmark", Message: "the bookmark is not one this service gave", Err: err}
		case ne.Code == "Neo.ClientError.Database.DatabaseNotFound",
			strings.HasPrefix(ne.Code, "Neo.TransientError."):
			return coop.Unavailable(err)
		}
	}
	return fmt.Errorf("neo4j: %w", err)
}

func isConnectivity(err error) bool {
	var conn *neo4j.ConnectivityError // pool timeouts are wrapped in this too
	return errors.As(err, &conn)
}
