package seed

import "testing"

// The seed must always pass the same validation as any import.
func TestSeedIsValid(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatalf("seed does not validate:\n%v", err)
	}
	if len(ds.Entities) == 0 || len(ds.Relationships) == 0 {
		t.Fatalf("seed has %d entities and %d relationships; want some of each", len(ds.Entities), len(ds.Relationships))
	}
}
