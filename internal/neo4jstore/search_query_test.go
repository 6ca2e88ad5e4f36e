package neo4jstore

import (
	"strings"
	"testing"
)

// The index drops stop words, so the query that requires every word leaves
// them out (requiring "of" would require another word starting with it);
// typos are tried only in the second query, and never for numbers.
func TestLuceneQueries(t *testing.T) {
	words := []string{"office", "of", "foreign", "assets", "control", "14059"}
	every, any := luceneQuery(words, true), luceneQuery(words, false)
	if strings.Contains(every, "+(of^3") || !strings.Contains(every, "+(office^3 OR office*)") || strings.Contains(every, "~1") {
		t.Errorf("every-word query %q", every)
	}
	if !strings.Contains(any, "(foreign^3 OR foreign* OR foreign~1)") || strings.Contains(any, "14059~1") || strings.Contains(any, "+") {
		t.Errorf("any-word query %q", any)
	}
	if q := luceneQuery([]string{"the", "of"}, true); q != luceneQuery([]string{"the", "of"}, false) {
		t.Errorf("stop words only: every-word query %q; want the any-word one", q)
	}
}
