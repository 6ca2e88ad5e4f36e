package neo4jstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/synth"
)

// relevance is a search text and the entity an analyst typing it means.
type relevance struct{ text, want string }

func checkRelevance(t *testing.T, search func(string) ([]coop.SearchHit, error), cases []relevance) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			hits, err := search(c.text)
			if err != nil {
				t.Errorf("search %q: %v", c.text, err)
				return
			}
			if len(hits) == 0 || hits[0].Entity.EntityID() != c.want {
				var got []string
				for _, h := range hits[:min(len(hits), 4)] {
					got = append(got, fmt.Sprintf("%s (%s by %q, %d ties)", h.Entity.EntityID(), h.Match, h.Matched, h.Ties))
				}
				t.Errorf("search %q: first %v; want %s", c.text, got, c.want)
			}
		})
	}
}

// The relevance suite over the seed: full names, aliases, acronyms, parts
// of names, accents, one typo, words in another order. Each text has the
// entity an analyst means, which must come first.
func TestSearchPutsTheEntityMeantFirstOnTheSeed(t *testing.T) {
	s := seeded(t)
	search := func(text string) ([]coop.SearchHit, error) {
		return s.Search(context.Background(), coop.SearchQuery{Text: text, First: 10})
	}
	checkRelevance(t, search, []relevance{
		// The country before ministries whose names hold its name.
		{"Ecuador", "ecuador"}, {"ecuador", "ecuador"}, {"Mexico", "mexico"}, {"Colombia", "colombia"},
		{"USA", "united-states"}, {"United States", "united-states"},
		// Full names, aliases, acronyms.
		{"Los Choneros", "los-choneros"}, {"choneros", "los-choneros"}, {"Lobos", "los-lobos"},
		{"CJNG", "cjng"}, {"cjng", "cjng"}, {"Jalisco Cartel", "cjng"}, {"Cartel Jalisco Nueva Generacion", "cjng"},
		{"Sinaloa", "sinaloa-cartel"}, {"Cártel de Sinaloa", "sinaloa-cartel"},
		{"Fito", "jose-adolfo-macias-villamar"}, {"Macias Villamar", "jose-adolfo-macias-villamar"},
		{"Pipo", "wilmer-geovanny-chavarria-barre"}, {"Daniel Noboa", "daniel-noboa"}, {"Noboa", "daniel-noboa"},
		{"Villavicencio", "fernando-villavicencio"}, {"OFAC", "ofac"}, {"Office of Foreign Assets Control", "ofac"},
		{"Treasury", "us-department-of-the-treasury"}, {"SOUTHCOM", "us-southern-command"}, {"DoD", "us-department-of-defense"},
		{"NDAA", "national-defense-authorization-act-1989"}, {"SOFA", "us-ecuador-sofa-2024"},
		{"Status of Forces Agreement", "us-ecuador-sofa-2024"}, {"Monroe Doctrine", "monroe-doctrine"},
		{"Guayaquil", "guayaquil"}, {"Quito", "quito"}, {"EO 14059", "executive-order-14059"},
		{"Reimberg", "john-reimberg"}, {"Alverson", "james-alverson"}, {"Brian Nelson", "brian-e-nelson"},
		{"Cold War interventions", "us-cold-war-interventions-western-hemisphere"}, {"Pentagon talks", "us-ecuador-defense-talks-2025-04-04"},
		// Parts of names, accents either way.
		{"rendon", "gian-carlo-loffredo-rendon"}, {"RENDÓN", "gian-carlo-loffredo-rendon"}, {"Loffredo", "gian-carlo-loffredo-rendon"},
		{"Gian Carlo Loffredo Rendon", "gian-carlo-loffredo-rendon"}, {"Chavarria", "wilmer-geovanny-chavarria-barre"},
		{"Monroe", "monroe-doctrine"}, {"14059", "executive-order-14059"}, {"chon", "los-choneros"},
		// Words in another order.
		{"Choneros Los", "los-choneros"}, {"Rendon Loffredo", "gian-carlo-loffredo-rendon"}, {"Sinaloa Cartel de", "sinaloa-cartel"},
		// One typo.
		{"Choneross", "los-choneros"}, {"Ecudor", "ecuador"}, {"Colmbia", "colombia"}, {"Guayaqil", "guayaquil"},
		{"Villavicenzio", "fernando-villavicencio"},
	})
}

// The same over a synthetic graph of 10,000 entities, whose names are
// made of a few syllables and a number: a full name, an alias, the words in
// another order, the number alone, and a typo in a long word.
func TestSearchPutsTheEntityMeantFirstOnASyntheticGraph(t *testing.T) {
	s := neo4jtest.MustOpen(t)
	neo4jtest.Reset(t)
	ctx := context.Background()
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	gen, err := synth.New(synth.DefaultConfig(10000, 13))
	if err != nil {
		t.Fatal(err)
	}
	var entities []coop.Entity
	err = gen.EachNodeBatch(func(ds coop.Dataset) error {
		entities = append(entities, ds.Entities...)
		_, err := s.LoadBatch(ctx, ds, coop.LoadFresh)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(5))
	var cases []relevance
	for len(cases) < 40 {
		e := entities[r.Intn(len(entities))]
		b := e.EntityBase()
		words := strings.Fields(b.Name)
		cases = append(cases, relevance{b.Name, b.ID}, relevance{words[len(words)-1] + " " + words[0], b.ID})
		if len(b.Aliases) > 0 {
			cases = append(cases, relevance{b.Aliases[0], b.ID})
		}
		if w := []rune(words[0]); len(w) >= 6 {
			w[2], w[3] = w[3], w[2]
			if w[2] != w[3] {
				cases = append(cases, relevance{string(w) + " " + words[len(words)-1], b.ID})
			}
		}
	}
	checkRelevance(t, func(text string) ([]coop.SearchHit, error) {
		return s.Search(ctx, coop.SearchQuery{Text: text, First: 10})
	}, cases)
}
