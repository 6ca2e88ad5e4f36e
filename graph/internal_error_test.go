package graph_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
)

// When something fails inside (here: records damaged outside coopgraph, one
// that makes Neo4j fail mid-query and one the store cannot map), the client
// gets INTERNAL with a request id to quote, the same id as the
// X-Request-Id header, and nothing of the cause; the log has the cause
// under that id.
func TestInternalFailuresAreCodedLoggedAndNeverLeaked(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	neo4jtest.MustWrite(t, `CREATE (:Entity:Event {id: "damaged-event", name: "Damaged event", date: 2024, kind: "RIOTS",
  citeSources: ["ecuador-pentagon-2025"], citeLocators: ["¶2"]})
CREATE (:Entity {id: "typeless-entity", name: "An entity of no type", citeSources: ["ecuador-pentagon-2025"], citeLocators: ["¶2"]})`, nil)
	for _, tc := range []struct {
		name, query string
		logSays     *regexp.Regexp // the cause, as the log must give it
	}{
		{"Neo4j fails mid-query", `{ timeline(ids: ["damaged-event"]) { nodes { date } } }`, regexp.MustCompile(`Neo\.ClientError\.Statement\.\w+`)},
		{"a record the store cannot map", `{ entity(id: "typeless-entity") { id name } }`, regexp.MustCompile(`has no entity type label`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.as(t, "", tc.query, nil)
			rid := r.Header.Get("X-Request-Id")
			if rid == "" {
				t.Fatalf("no X-Request-Id header: %v", r.Header)
			}
			if len(r.Errors) != 1 || r.ErrorCode() != "INTERNAL" {
				t.Fatalf("errors %s; want one INTERNAL", r.Raw)
			}
			e := r.Errors[0]
			if e.Extensions["requestId"] != rid || !strings.Contains(e.Message, rid) {
				t.Errorf("the error %q (requestId %v) does not give the request id %s", e.Message, e.Extensions["requestId"], rid)
			}
			for _, leak := range []string{"Neo", "neo4j", "Cypher", "MATCH", "CALL", "size(", "mismatch", "label", "driver", "goroutine", ".go:"} {
				if strings.Contains(r.Raw, leak) {
					t.Errorf("the answer leaks %q: %s", leak, r.Raw)
				}
			}
			var logged string
			for _, line := range strings.Split(w.logs.String(), "\n") {
				if strings.Contains(line, "request_id="+rid) && strings.Contains(line, "level=ERROR") {
					logged = line
				}
			}
			if logged == "" {
				t.Fatalf("no error logged under request_id=%s:\n%s", rid, w.logs.String())
			}
			if !tc.logSays.MatchString(logged) {
				t.Errorf("the log line does not give the cause (%s): %s", tc.logSays, logged)
			}
		})
	}
}
