package neo4jstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

func TestClassifyMapsDriverErrorsToCodes(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want coop.Code
	}{
		{"server timeout", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"}, coop.CodeTimeout},
		{"deadline", expired, context.DeadlineExceeded, coop.CodeTimeout},
		{"connectivity", context.Background(), &neo4j.ConnectivityError{Inner: errors.New("refused")}, coop.CodeUnavailable},
		{"retries exhausted on a dead server", context.Background(), &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{&neo4j.ConnectivityError{Inner: errors.New("refused")}}}, coop.CodeUnavailable},
		{"retries exhausted on memory", context.Background(), &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{&neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError"}}}, coop.CodeTooComplex},
		{"transaction memory", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.General.TransactionOutOfMemoryError"}, coop.CodeTooComplex},
		{"bad credentials", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized"}, coop.CodeUnavailable},
		{"memory", context.Background(), &neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError"}, coop.CodeTooComplex},
		{"syntax", context.Background(), &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "Invalid input"}, coop.CodeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := coop.ErrorCode(classify(tc.ctx, tc.err)); got != tc.want {
				t.Errorf("classify(%s) = %s; want %s", tc.name, got, tc.want)
			}
		})
	}
}
