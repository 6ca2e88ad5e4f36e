package neo4jstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/seed"
)

// A country is a tie every traversal follows: Los Choneros are backed by
// the Sinaloa Cartel, which the seed says is Mexican, so a path leads from
// them to Mexico, its last hop citing what the cartel's record cites.
func TestCountriesAreTiesThatTraversalsFollow(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	neo4jtest.MustHoldCountryTies(t, s)
	records, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var cartel coop.Entity
	mexicans := 0
	for _, e := range records.Entities {
		if e.EntityID() == "sinaloa-cartel" {
			cartel = e
		}
		if coop.CountryOf(e) == "mexico" {
			mexicans++
		}
	}
	if coop.CountryOf(cartel) != "mexico" || mexicans < 2 {
		t.Fatalf("the seed no longer says the Sinaloa Cartel is Mexican (%d Mexican entities): this test needs it", mexicans)
	}

	paths, err := s.Paths(ctx, coop.PathQuery{From: "los-choneros", To: "mexico", MaxHops: 6, First: 10, MaxDegree: coop.DefaultPathDegree})
	if err != nil {
		t.Fatal(err)
	}
	var via *coop.Path
	for i, p := range paths {
		if len(p.Nodes) == 3 && p.Nodes[1].EntityID() == "sinaloa-cartel" {
			via = &paths[i]
		}
	}
	if via == nil {
		t.Fatalf("no path los-choneros → sinaloa-cartel → mexico among %d paths", len(paths))
	}
	last := via.Edges[1]
	if last.Type != coop.RelInCountry || last.FromID != "sinaloa-cartel" || last.ToID != "mexico" ||
		last.ID != coop.CountryTie(cartel).ID || !equalCitations(last.Citations, cartel.EntityBase().Citations) {
		t.Errorf("the last hop is %+v; want the cartel's IN_COUNTRY tie citing %v", last, cartel.EntityBase().Citations)
	}

	// Mexico has ties now: one from each Mexican entity.
	counts, err := s.RelationshipCounts(ctx, []string{"mexico"})
	if err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, c := range counts["mexico"] {
		if c.Type == coop.RelInCountry {
			in = c.Count
		}
	}
	if in != mexicans {
		t.Errorf("mexico has %d IN_COUNTRY ties; the seed names %d Mexican entities", in, mexicans)
	}
	// The list filter by country finds the same entities.
	page, err := s.ListEntities(ctx, coop.EntityFilter{Type: coop.TypeActor, CountryID: "mexico", Page: coop.PageArgs{First: 100}})
	if err != nil || len(page.Entities) == 0 {
		t.Fatalf("actors in mexico: %v, %v", page.Entities, err)
	}
	for _, e := range page.Entities {
		if coop.CountryOf(e) != "mexico" {
			t.Errorf("actors(country: mexico) lists %s of country %q", e.EntityID(), coop.CountryOf(e))
		}
	}
}

func equalCitations(a, b []coop.Citation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A database made before country ties existed (country fields only, no
// recorded version) is migrated when the schema is applied: once, and
// applying it again changes nothing.
func TestOlderGraphsGetCountryTiesOnceWhenTheSchemaIsApplied(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	neo4jtest.MustWrite(t, `MATCH ()-[t:IN_COUNTRY]->() DELETE t`, nil)
	neo4jtest.MustWrite(t, `MATCH (v:CoopgraphSchema) DELETE v`, nil)
	if v, err := s.StoredGraphVersion(ctx); err != nil || v != 1 {
		t.Fatalf("a graph without a recorded version is at %d (%v); want 1", v, err)
	}
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := s.StoredGraphVersion(ctx); err != nil || v != neo4jstore.GraphVersion {
		t.Errorf("after migrating, the graph is at version %d (%v); want %d", v, err, neo4jstore.GraphVersion)
	}
	neo4jtest.MustHoldCountryTies(t, s)
	ties := func() map[string]string {
		out := map[string]string{}
		s.EachRelationship(ctx, 1000, func(rs []*coop.Relationship) error {
			for _, r := range rs {
				if r.Type == coop.RelInCountry {
					out[r.ID] = fmt.Sprintf("%s v%d", dataset.RelationshipJSON(r), r.Version)
				}
			}
			return nil
		})
		return out
	}
	before := ties()
	records, _ := seed.Dataset()
	if len(before) != len(neo4jtest.Ties(records))-len(records.Relationships) {
		t.Errorf("%d country ties after migrating; the seed has %d entities with a country", len(before), len(neo4jtest.Ties(records))-len(records.Relationships))
	}
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	// Linking again, and an edit that leaves the country and the citations
	// as they are, change no tie.
	if _, err := s.LinkCountries(ctx); err != nil {
		t.Fatal(err)
	}
	edit := func(e coop.Entity) (coop.Entity, error) { e.EntityBase().Description = "edited"; return e, nil }
	if _, err := s.UpdateEntity(ctx, "los-lobos", 0, coop.ActionUpdate, edit, coop.Edit{Author: coop.Principal{Name: "t", Via: "cli"}}); err != nil {
		t.Fatal(err)
	}
	after := ties()
	for id, b := range before {
		if after[id] != b {
			t.Errorf("applying the schema again changed tie %s: %s → %s", id, b, after[id])
		}
	}
	if len(after) != len(before) {
		t.Errorf("applying the schema again left %d ties; before %d", len(after), len(before))
	}
}

// A load naming a country that is not there fails whole: the field would
// say more than the graph.
func TestALoadNamingAMissingCountryFails(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	before, _ := s.Contents(ctx)
	ds := coop.Dataset{Entities: []coop.Entity{&coop.Actor{Base: coop.Base{ID: "banda-de-ningun-lado", Name: "Banda",
		Citations: []coop.Citation{{SourceID: "ecuador-pentagon-2025", Locator: "¶2"}}}, Kind: coop.ActorCriminalGroup, CountryID: "atlantis"}}}
	if _, err := s.LoadBatch(ctx, ds, coop.LoadReplace); err == nil {
		t.Fatal("a load naming a missing country succeeded")
	}
	if after, _ := s.Contents(ctx); after != before {
		t.Errorf("the failed load changed the graph: %+v → %+v", before, after)
	}
}

// An actor's timeline holds its own facts and its neighbours', not those
// of the whole country it belongs to; a country's holds its actors'.
func TestTimelinesDoNotFollowAnActorIntoItsCountry(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	items := func(id string) map[string]bool {
		page, err := s.Timeline(ctx, coop.TimelineQuery{IDs: []string{id}, Page: coop.PageArgs{First: 100}})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, it := range page.Items {
			out[it.Entity.EntityID()] = true
		}
		return out
	}
	// John Reimberg is Ecuadorian, tied to Ecuador by his country tie only;
	// Fito's sentencing is tied to Fito and to Ecuador.
	reimberg, ecuador := items("john-reimberg"), items("ecuador")
	const onlyEcuador = "macias-villamar-sentencing-2011"
	if reimberg[onlyEcuador] {
		t.Errorf("John Reimberg's timeline holds %s, a fact of his country", onlyEcuador)
	}
	if !ecuador[onlyEcuador] || !reimberg["us-ecuador-defense-talks-2025-04-04"] {
		t.Errorf("timelines lack their own facts: Ecuador %v, Reimberg %v", ecuador, reimberg)
	}
}

// A database whose passages came before mentions (no indexed words, no
// MENTIONS ties, no entity mention words, version 2) gets them all when
// the schema is applied.
func TestOlderGraphsGetMentionsWhenTheSchemaIsApplied(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	neo4jtest.MustWrite(t, `MATCH (:Passage)-[m:MENTIONS]->() DELETE m`, nil)
	neo4jtest.MustWrite(t, `MATCH (p:Passage) REMOVE p.words`, nil)
	neo4jtest.MustWrite(t, `MATCH (n:Entity) REMOVE n.mentionWords`, nil)
	neo4jtest.MustWrite(t, `MATCH (v:CoopgraphSchema) SET v.version = 2`, nil)
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := s.StoredGraphVersion(ctx); err != nil || v != neo4jstore.GraphVersion {
		t.Errorf("after migrating, the graph is at version %d (%v); want %d", v, err, neo4jstore.GraphVersion)
	}
	neo4jtest.MustHoldMentions(t, s)
	pages, err := s.PassagesMentioning(ctx, coop.MentionQuery{IDs: []string{"ecuador"}, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	// The article names Ecuador in ten passages (¶5, ¶11 and ¶12 only as
	// "Ecuador's"), the releases in five (A2 to A5, B2).
	if n := len(pages["ecuador"].Passages); n != 15 {
		t.Errorf("after migrating, %d passages mention Ecuador", n)
	}
}
