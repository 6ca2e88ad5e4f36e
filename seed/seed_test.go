package seed

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

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

// Every citation of the seed points to a passage of its source, which says
// in the project's own words what the passage holds: a reader can see what
// each fact rests on. Summaries, never the sources' sentences.
func TestEveryCitationResolvesToAPassage(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	passages := map[string]coop.Passage{}
	for _, p := range ds.Passages {
		passages[p.Key()] = p
		if p.Kind != coop.PassageSummary {
			t.Errorf("passage %s is a %s: the seed ships summaries only", p.Key(), p.Kind)
		}
	}
	check := func(what string, cs []coop.Citation) {
		for _, c := range cs {
			if p, ok := passages[coop.PassageKey(c.SourceID, c.Locator)]; !ok || p.Heading || strings.TrimSpace(p.Text) == "" {
				t.Errorf("%s cites %s %s, which no passage of the seed holds", what, c.SourceID, c.Locator)
			}
		}
	}
	for _, e := range ds.Entities {
		check(fmt.Sprintf("%s %s", e.EntityType(), e.EntityID()), e.EntityBase().Citations)
	}
	for _, r := range ds.Relationships {
		check("relationship "+r.ID, r.Citations)
	}
	for _, s := range ds.Entities {
		if src, ok := s.(*coop.Source); ok {
			n := 0
			for _, p := range ds.Passages {
				if p.SourceID == src.ID {
					n++
					if p.Order != n {
						t.Errorf("passage %s is number %d of its source; want %d", p.Key(), p.Order, n)
					}
				}
			}
			if n == 0 {
				t.Errorf("source %s has no passages", src.ID)
			}
		}
	}
}
