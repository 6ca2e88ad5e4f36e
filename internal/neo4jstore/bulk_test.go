package neo4jstore

import (
	"fmt"
	"strings"
	"testing"
)

// The bulk load writes a relationship's properties by the names of
// relRowKeys: they must be the keys relProps gives each value of relRow.
func TestBulkRelationshipKeysAreTheOnlineLoads(t *testing.T) {
	var parts []string
	for i, k := range relRowKeys {
		parts = append(parts, fmt.Sprintf("%s: row[%d]", k, i+2))
	}
	got := strings.Join(strings.Fields(relProps), " ")
	want := "{" + strings.Join(parts, ", ") + "}"
	if got != want {
		t.Errorf("relProps is\n%s\nbut the bulk load writes\n%s", got, want)
	}
}
