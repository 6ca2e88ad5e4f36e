package neo4jstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Once a query fails because Neo4j cannot be reached, the store knows it
// is down: every query fails at once with SERVICE_UNAVAILABLE, instead of
// waiting out the driver's connection timeouts and retries, while a probe
// tries Neo4j every probeEvery. As soon as a read and a write transaction
// succeed again, queries go through.
const (
	probeEvery    = 100 * time.Millisecond
	probeTimeout  = time.Second
	probeAttempts = 10 // in flight at once, at most: probeTimeout / probeEvery
)

// errDown is the cause of the errors a known outage gives.
var errDown = errors.New("Neo4j is known to be unreachable; a probe is waiting for it")

type outage struct {
	mu      sync.Mutex
	down    bool
	probing bool
	closed  chan struct{}
}

// Down reports whether the store knows Neo4j to be unreachable.
func (s *Store) Down() bool {
	s.outage.mu.Lock()
	defer s.outage.mu.Unlock()
	return s.outage.down
}

// failFast is the error of a query made during a known outage, if any.
func (s *Store) failFast() error {
	if s.Down() {
		return coop.Unavailable(errDown)
	}
	return nil
}

// noticed records the outcome of a query. A connection failure, or a
// deadline met waiting on one (a Neo4j that accepts and never answers),
// starts the probe; only the probe, on a connection pool of its own (a
// busy pool is load, not an outage), decides that Neo4j is down.
func (s *Store) noticed(ctx context.Context, err error) {
	if errors.Is(ctx.Err(), context.Canceled) || !unreachable(err) {
		return // the client went away: that says nothing of Neo4j
	}
	o := &s.outage
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.probing {
		o.probing = true
		go s.probe()
	}
}

// probe asks Neo4j, on its own connections, whether it runs a read and a
// write transaction: Neo4j is down from the first failed answer until the
// first good one. A new attempt starts every probeEvery, without waiting
// for the last (one that reaches a Neo4j still starting can hang for its
// whole timeout), so the good answer comes within probeEvery of Neo4j's.
func (s *Store) probe() {
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	results := make(chan error, probeAttempts)
	inFlight := 0
	attempt := func() {
		inFlight++
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
			defer cancel()
			results <- ready(ctx, s.probeDriver, s.db)
		}()
	}
	attempt()
	for {
		select {
		case <-s.outage.closed:
			return
		case err := <-results:
			inFlight--
			s.outage.mu.Lock()
			s.outage.down = err != nil
			if err == nil {
				s.outage.probing = false
			}
			s.outage.mu.Unlock()
			if err == nil {
				return // attempts still running report to the buffered channel
			}
		case <-t.C:
			if inFlight < probeAttempts {
				attempt()
			}
		}
	}
}

// Serving reports whether queries would be served now: not during a known
// outage, and only when Neo4j runs a read and a write transaction. It is
// what /readyz answers.
func (s *Store) Serving(ctx context.Context) error {
	if err := s.failFast(); err != nil {
		return err
	}
	return s.Ready(ctx)
}

// Ready reports whether Neo4j would run a read and a write transaction
// now, known outage or not.
func (s *Store) Ready(ctx context.Context) error { return ready(ctx, s.driver, s.db) }

// ready runs one read and one write transaction, without the driver's
// retries (which would wait out backoffs while Neo4j is away).
func ready(ctx context.Context, driver neo4j.DriverWithContext, db string) error {
	for _, mode := range []neo4j.AccessMode{neo4j.AccessModeRead, neo4j.AccessModeWrite} {
		sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db, AccessMode: mode})
		err := func() error {
			tx, err := sess.BeginTransaction(ctx, neo4j.WithTxTimeout(probeTimeout))
			if err != nil {
				return err
			}
			defer tx.Close(context.WithoutCancel(ctx))
			res, err := tx.Run(ctx, "RETURN 1", nil)
			if err == nil {
				_, err = res.Consume(ctx)
			}
			if err == nil {
				err = tx.Commit(ctx)
			}
			return err
		}()
		sess.Close(context.WithoutCancel(ctx))
		if err != nil {
			return classify(ctx, err)
		}
	}
	return nil
}

// unreachable reports whether err says Neo4j could not be reached (also
// after the driver's retries), rather than that a query failed.
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	var exhausted *neo4j.TransactionExecutionLimit
	if errors.As(err, &exhausted) && len(exhausted.Errors) > 0 {
		return unreachable(exhausted.Errors[len(exhausted.Errors)-1])
	}
	return isConnectivity(err)
}
