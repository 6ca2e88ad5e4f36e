package synth

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
)

func generate(t *testing.T, cfg Config) (map[string]coop.Entity, []*coop.Relationship, string) {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	nodes := map[string]coop.Entity{}
	var rels []*coop.Relationship
	g.EachNodeBatch(func(ds coop.Dataset) error {
		for _, e := range ds.Entities {
			nodes[e.EntityID()] = e
			fmt.Fprintf(h, "%s|%s|%v\n", e.EntityID(), e.EntityBase().Name, e.EntityBase().Citations)
		}
		return nil
	})
	g.EachRelationshipBatch(func(ds coop.Dataset) error {
		rels = append(rels, ds.Relationships...)
		for _, r := range ds.Relationships {
			fmt.Fprintf(h, "%s|%s|%s|%s|%s\n", r.ID, r.Type, r.FromID, r.ToID, r.Since)
		}
		return nil
	})
	return nodes, rels, fmt.Sprintf("%x", h.Sum(nil))
}

func TestGeneratedGraphHasTheRealShape(t *testing.T) {
	cfg := DefaultConfig(20000, 7)
	cfg.BatchSize = 3000
	nodes, rels, _ := generate(t, cfg)
	if len(nodes) != 20000 || len(rels) != 100000 {
		t.Fatalf("%d nodes, %d relationships; want 20000 and 100000", len(nodes), len(rels))
	}
	kinds := map[string]bool{}
	for _, e := range nodes {
		k := string(e.EntityType())
		if a, ok := e.(*coop.Actor); ok {
			k = string(a.Kind)
		}
		kinds[k] = true
		if e.EntityType() != coop.TypeSource && len(e.EntityBase().Citations) == 0 {
			t.Fatalf("%s has no citation", e.EntityID())
		}
		for _, name := range append([]string{e.EntityBase().Name}, e.EntityBase().Aliases...) {
			if !utf8.ValidString(name) || !unicode.IsUpper([]rune(name)[0]) {
				t.Fatalf("%s is named %q: not valid text starting with a capital", e.EntityID(), name)
			}
		}
	}
	for _, want := range []string{"PERSON", "GOVERNMENT", "MINISTRY", "ARMED_FORCE", "INTERNATIONAL_BODY", "CRIMINAL_GROUP", "CARTEL", "COUNTRY",
		"Place", "Agreement", "Meeting", "Event", "Statistic", "Source"} {
		if !kinds[want] {
			t.Errorf("no %s in the graph", want)
		}
	}
	degree := map[string]int{}
	types := map[coop.RelationType]int{}
	ids := map[string]bool{}
	dated := 0
	for _, r := range rels {
		rule, _ := coop.RuleFor(r.Type)
		from, to := nodes[r.FromID], nodes[r.ToID]
		if from == nil || to == nil {
			t.Fatalf("%s joins unknown nodes", r.ID)
		}
		if err := rule.Check(from, to); err != nil {
			t.Fatalf("%s breaks its rule: %v", r.ID, err)
		}
		if ids[r.ID] {
			t.Fatalf("relationship id %s twice", r.ID)
		}
		ids[r.ID] = true
		degree[r.FromID]++
		degree[r.ToID]++
		types[r.Type]++
		if !r.Since.IsZero() {
			dated++
		}
	}
	// Country ties stand for the country field: every actor and place but
	// countries has one, to a COUNTRY.
	for _, e := range nodes {
		var country string
		switch x := e.(type) {
		case *coop.Actor:
			if x.Kind == coop.ActorCountry {
				continue
			}
			country = x.CountryID
		case *coop.Place:
			country = x.CountryID
		default:
			continue
		}
		if c, ok := nodes[country].(*coop.Actor); !ok || c.Kind != coop.ActorCountry {
			t.Fatalf("%s has country %q, which is no COUNTRY", e.EntityID(), country)
		}
		types[coop.RelInCountry]++
	}
	if len(types) != len(coop.Relations) {
		t.Errorf("%d relationship types used; want all %d", len(types), len(coop.Relations))
	}
	maxDegree := 0
	for _, d := range degree {
		maxDegree = max(maxDegree, d)
	}
	// Average degree is 10; a heavy tail puts thousands on the top hub.
	if maxDegree < 2000 {
		t.Errorf("top degree %d; want a hub of thousands", maxDegree)
	}
	if dated < len(rels)/3 {
		t.Errorf("%d of %d relationships dated; want about half", dated, len(rels))
	}
}

func TestSameSeedSameGraph(t *testing.T) {
	_, _, a := generate(t, DefaultConfig(2000, 42))
	_, _, b := generate(t, DefaultConfig(2000, 42))
	_, _, c := generate(t, DefaultConfig(2000, 43))
	if a != b {
		t.Errorf("seed 42 gave two different graphs")
	}
	if a == c {
		t.Errorf("seeds 42 and 43 gave the same graph")
	}
}
