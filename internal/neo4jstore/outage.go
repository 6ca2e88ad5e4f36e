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
	probeEvery   = 100 * time.Millisecond
	probeTimeout = time.Second
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

// noticed records the outcome of a query: a connection failure marks
// Neo4j down and starts the probe.
func (s *Store) noticed(err error) {
	if !unreachable(err) {
		return
	}
	o := &s.outage
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = true
	if !o.probing {
		o.probing = true
		go s.probe()
	}
}

// probe tries Neo4j until a read and a write transaction succeed.
func (s *Store) probe() {
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for {
		select {
		case <-s.outage.closed:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		err := s.Ready(ctx)
		cancel()
		if err == nil {
			s.outage.mu.Lock()
			s.outage.down, s.outage.probing = false, false
			s.outage.mu.Unlock()
			return
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
// now, known outage or not (the probe asks it).
func (s *Store) Ready(ctx context.Context) error {
	for _, mode := range []neo4j.AccessMode{neo4j.AccessModeRead, neo4j.AccessModeWrite} {
		sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
		run := sess.ExecuteRead
		if mode == neo4j.AccessModeWrite {
			run = sess.ExecuteWrite
		}
		_, err := run(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, "RETURN 1", nil)
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		}, neo4j.WithTxTimeout(probeTimeout))
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
