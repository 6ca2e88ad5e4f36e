package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// A statement that runs for minutes is cut by the server at the query
// timeout: the caller gets TIMEOUT soon after, and the server keeps no
// transaction running.
func TestSlowStatementIsCutByTheServerAtTheQueryTimeout(t *testing.T) {
	watcher := neo4jtest.MustOpen(t)
	cfg := neo4jtest.Config(t)
	cfg.QueryTimeout = 2 * time.Second
	s, err := neo4jstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	marker := fmt.Sprintf("slow_probe_%d", rand.Int64())
	// About 10^10 iterations: minutes of work without the timeout.
	slow := neo4jstore.Statement{Cypher: "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 1000003 = 7 RETURN count(x) AS " + marker}
	running := neo4jstore.Statement{Cypher: "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $marker RETURN currentQuery",
		Params: map[string]any{"marker": marker}}

	// The request's own deadline is far off: only the server's timeout can
	// end the statement in time.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type result struct {
		err  error
		took time.Duration
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		_, err := s.Run(ctx, slow)
		done <- result{err, time.Since(start)}
	}()
	// While it runs, the server lists it: the check below can see it.
	seen := false
	var res result
wait:
	for {
		select {
		case res = <-done:
			break wait
		default:
		}
		if !seen {
			n, err := watcher.Run(context.Background(), running)
			if err != nil {
				t.Fatal(err)
			}
			seen = n > 0
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !seen {
		t.Errorf("SHOW TRANSACTIONS never listed the slow statement while it ran: the check below proves nothing")
	}
	err, took := res.err, res.took
	if coop.ErrorCode(err) != coop.CodeTimeout {
		t.Fatalf("a slow statement ended after %v with %v (code %s); want TIMEOUT", took, err, coop.ErrorCode(err))
	}
	var ne *neo4j.Neo4jError
	if !errors.As(err, &ne) || ne.Code != "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration" {
		t.Errorf("the statement was not ended by the server's transaction timeout: %v", err)
	}
	if took > 20*time.Second {
		t.Errorf("TIMEOUT came after %v; want it soon after the %v query timeout", took, cfg.QueryTimeout)
	}
	// The server has rolled the transaction back: nothing runs the statement.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := watcher.Run(context.Background(), running)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the timed-out statement is still running on the server 10s later")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("cut after %v", took)
}
