package synth

import (
	"fmt"
	"math"
	"math/rand"
	"unicode"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// weights says how common each relationship type is.
var weights = map[coop.RelationType]int{
	coop.RelHoldsOffice: 12, coop.RelMemberOf: 15, coop.RelLeads: 2, coop.RelPartOf: 3, coop.RelWorkedFor: 4,
	coop.RelAlliedWith: 4, coop.RelRivalOf: 4, coop.RelCooperatesWith: 3, coop.RelSplinterOf: 1, coop.RelSupports: 5,
	coop.RelDesignated: 2, coop.RelOperatesIn: 12, coop.RelLocatedIn: 4, coop.RelBorders: 1, coop.RelTraffickingRoute: 2,
	coop.RelPartyTo: 6, coop.RelParticipatedIn: 8, coop.RelHeldAt: 2, coop.RelDiscussed: 2, coop.RelInvolvedIn: 8,
	coop.RelOccurredIn: 4, coop.RelRespondsTo: 1, coop.RelMeasures: 3,
}

// EachNodeBatch calls f with the nodes in batches, in index order.
func (g *Graph) EachNodeBatch(f func(coop.Dataset) error) error {
	r := rand.New(rand.NewSource(g.cfg.Seed))
	var batch coop.Dataset
	for i := 0; i < g.total; i++ {
		batch.Entities = append(batch.Entities, g.node(i, r))
		if len(batch.Entities) == g.cfg.BatchSize || i == g.total-1 {
			if err := f(batch); err != nil {
				return err
			}
			batch = coop.Dataset{}
		}
	}
	return nil
}

func (g *Graph) citation(r *rand.Rand) []coop.Citation {
	src := g.pools[0]
	return []coop.Citation{{SourceID: g.ID(src.first + r.Intn(src.size)), Locator: fmt.Sprintf("¶%d", 1+r.Intn(40))}}
}

func (g *Graph) node(i int, r *rand.Rand) coop.Entity {
	p := g.poolOf(i)
	id := g.ID(i)
	b := coop.Base{ID: id, Name: fmt.Sprintf("%s %s %d", syllables(r), syllables(r), i), Citations: g.citation(r), Synthetic: true}
	if r.Intn(3) == 0 {
		b.Aliases = []string{fmt.Sprintf("%s %d", syllables(r), i)}
	}
	switch p.typ {
	case coop.TypeSource:
		b.Citations = nil
		return &coop.Source{Base: b, Kind: coop.SourceKind(p.kind), Publisher: "Synthetic Press", Published: randomDate(r)}
	case coop.TypeActor:
		a := &coop.Actor{Base: b, Kind: coop.ActorKind(p.kind)}
		if a.Kind != coop.ActorCountry {
			a.CountryID = g.country(r)
		}
		return a
	case coop.TypePlace:
		return &coop.Place{Base: b, Kind: coop.PlaceKind(p.kind), CountryID: g.country(r)}
	case coop.TypeAgreement:
		return &coop.Agreement{Base: b, Kind: coop.AgreementKind(p.kind), Status: "SIGNED", Signed: randomDate(r)}
	case coop.TypeMeeting:
		return &coop.Meeting{Base: b, Date: randomDate(r), Topics: []string{"security cooperation"}}
	case coop.TypeEvent:
		return &coop.Event{Base: b, EventType: coop.EventType(p.kind), Date: randomDate(r)}
	default:
		start := randomDate(r)
		return &coop.Statistic{Base: b, Indicator: "homicide rate", Value: float64(r.Intn(10000)) / 100, Unit: "per 100,000 people",
			PeriodStart: start, PeriodEnd: start}
	}
}

// country picks the country of an actor or place, skewed so that the
// first countries hold most of them, as a few countries do in real data.
func (g *Graph) country(r *rand.Rand) string {
	for _, p := range g.pools {
		if p.kind == string(coop.ActorCountry) {
			return g.ID(p.first + int(float64(p.size)*math.Pow(r.Float64(), 3)))
		}
	}
	return ""
}

var syl = []string{"ka", "lo", "me", "ri", "san", "tor", "vel", "qui", "mar", "des", "ño", "ga", "ber", "lin", "os"}

func syllables(r *rand.Rand) string {
	n := 2 + r.Intn(2)
	s := ""
	for range n {
		s += syl[r.Intn(len(syl))]
	}
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:]
}

func randomDate(r *rand.Rand) coop.Date {
	y := 1990 + r.Intn(35)
	switch r.Intn(3) {
	case 0:
		return coop.MustDate(fmt.Sprintf("%d", y))
	case 1:
		return coop.MustDate(fmt.Sprintf("%d-%02d", y, 1+r.Intn(12)))
	}
	return coop.MustDate(fmt.Sprintf("%d-%02d-%02d", y, 1+r.Intn(12), 1+r.Intn(28)))
}

// EachRelationshipBatch calls f with the relationships in batches. Ends are
// drawn uniformly for "from" and Zipf-skewed for "to", so the first nodes of
// each pool collect most ties: the hubs.
func (g *Graph) EachRelationshipBatch(f func(coop.Dataset) error) error {
	r := rand.New(rand.NewSource(g.cfg.Seed + 1))
	type choice struct {
		rule     coop.Rule
		from, to []pool
	}
	var choices []choice
	var cumulative []int
	total := 0
	for _, rule := range coop.Relations {
		if rule.Managed() || len(g.cfg.RelationTypes) > 0 && !contains(g.cfg.RelationTypes, rule.Type) {
			continue // country ties come from the entities' country fields
		}
		c := choice{rule: rule, from: g.poolsFor(rule.From), to: g.poolsFor(rule.To)}
		if len(c.from) == 0 || len(c.to) == 0 {
			continue
		}
		total += weights[rule.Type]
		choices = append(choices, c)
		cumulative = append(cumulative, total)
	}
	zipfs := map[int]*rand.Zipf{}
	zipf := func(size int) int {
		z, ok := zipfs[size]
		if !ok {
			z = rand.NewZipf(r, g.cfg.HubExponent, 1, uint64(size-1))
			zipfs[size] = z
		}
		return int(z.Uint64())
	}
	var batch coop.Dataset
	n := g.Relationships()
	for i := 0; i < n; {
		pick := r.Intn(total)
		c := choices[0]
		for j, cum := range cumulative {
			if pick < cum {
				c = choices[j]
				break
			}
		}
		fp := c.from[r.Intn(len(c.from))]
		tp := c.to[r.Intn(len(c.to))]
		from := fp.first + r.Intn(fp.size)
		to := tp.first + zipf(tp.size)
		if from == to {
			continue
		}
		rel := &coop.Relationship{ID: fmt.Sprintf("%sr-%d", g.cfg.IDPrefix, i), Type: c.rule.Type,
			FromID: g.ID(from), ToID: g.ID(to), Status: "REPORTED", Citations: g.citation(r)}
		if r.Intn(2) == 0 {
			rel.Since = randomDate(r)
			if r.Intn(4) == 0 {
				until := randomDate(r)
				if !until.Last().Before(rel.Since.First()) {
					rel.Until = until
					rel.Status = "ENDED"
				}
			}
		}
		batch.Relationships = append(batch.Relationships, rel)
		i++
		if len(batch.Relationships) == g.cfg.BatchSize || i == n {
			if err := f(batch); err != nil {
				return err
			}
			batch = coop.Dataset{}
		}
	}
	return nil
}

func contains(ts []coop.RelationType, t coop.RelationType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
