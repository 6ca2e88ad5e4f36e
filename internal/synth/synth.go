// Package synth generates synthetic coopgraph graphs of any size with the
// shape of the real thing: every entity type and actor kind, relationships
// of every allowed type between allowed kinds, heavy-tailed degrees with a
// few hubs of tens of thousands of ties, dated and cited facts. The same
// seed number always gives the same graph.
package synth

import (
	"fmt"
	"math/rand"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Config sizes a synthetic graph.
type Config struct {
	Nodes         int
	RelsPerNode   float64 // average relationships per node
	Seed          int64
	BatchSize     int
	IDPrefix      string  // ids start with this, e.g. "gen-"
	HubExponent   float64 // Zipf exponent of relationship ends: higher, heavier hubs
	RelationTypes []coop.RelationType
}

// DefaultConfig is five relationships per node, Zipf ends with exponent 1.2.
func DefaultConfig(nodes int, seed int64) Config {
	return Config{Nodes: nodes, RelsPerNode: 5, Seed: seed, BatchSize: 10000, IDPrefix: "gen-", HubExponent: 1.2}
}

// pool is a contiguous range of node indices of one entity type and kind.
type pool struct {
	typ   coop.EntityType
	kind  string
	first int
	size  int
}

// share of nodes for each pool, in layout order; countries and sources are
// fixed-size so that the hubs among them stay hubs as the graph grows.
var shares = []struct {
	typ   coop.EntityType
	kind  string
	share float64
}{
	{coop.TypeSource, "REPORT", 0.005},
	{coop.TypeActor, "COUNTRY", 0},
	{coop.TypeActor, "GOVERNMENT", 0},
	{coop.TypeActor, "PERSON", 0.40},
	{coop.TypeActor, "CRIMINAL_GROUP", 0.08},
	{coop.TypeActor, "CARTEL", 0.01},
	{coop.TypeActor, "MINISTRY", 0.04},
	{coop.TypeActor, "ARMED_FORCE", 0.02},
	{coop.TypeActor, "INTERNATIONAL_BODY", 0.005},
	{coop.TypePlace, "CITY", 0.15},
	{coop.TypeAgreement, "TREATY", 0.04},
	{coop.TypeMeeting, "", 0.08},
	{coop.TypeEvent, "DEPLOYMENT", 0.12},
	{coop.TypeStatistic, "", 0.04},
}

// Graph is the layout of a synthetic graph: which node index is what.
type Graph struct {
	cfg   Config
	pools []pool
	total int
}

// New lays out a graph of cfg.Nodes nodes.
func New(cfg Config) (*Graph, error) {
	if cfg.Nodes < 500 {
		return nil, fmt.Errorf("synth: at least 500 nodes, got %d", cfg.Nodes)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 10000
	}
	if cfg.HubExponent <= 1 {
		cfg.HubExponent = 1.2
	}
	countries := min(200, cfg.Nodes/50)
	g := &Graph{cfg: cfg}
	next := 0
	for _, s := range shares {
		size := int(s.share * float64(cfg.Nodes))
		if s.kind == "COUNTRY" || s.kind == "GOVERNMENT" {
			size = countries
		}
		size = max(size, 1)
		g.pools = append(g.pools, pool{typ: s.typ, kind: s.kind, first: next, size: size})
		next += size
	}
	// Whatever rounding left over goes to people.
	for i := range g.pools {
		if g.pools[i].kind == "PERSON" {
			g.pools[i].size += cfg.Nodes - next
			for j := i + 1; j < len(g.pools); j++ {
				g.pools[j].first += cfg.Nodes - next
			}
			break
		}
	}
	g.total = cfg.Nodes
	return g, nil
}

// Relationships is how many relationships the graph has.
func (g *Graph) Relationships() int { return int(g.cfg.RelsPerNode * float64(g.cfg.Nodes)) }

// Nodes is how many nodes the graph has.
func (g *Graph) Nodes() int { return g.total }

// ID is the id of node i.
func (g *Graph) ID(i int) string {
	p := g.poolOf(i)
	kind := p.kind
	if kind == "" {
		kind = string(p.typ)
	}
	return fmt.Sprintf("%s%s-%d", g.cfg.IDPrefix, slug(kind), i)
}

func slug(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '_':
			b[i] = '-'
		}
	}
	return string(b)
}

func (g *Graph) poolOf(i int) pool {
	for _, p := range g.pools {
		if i < p.first+p.size {
			return p
		}
	}
	return g.pools[len(g.pools)-1]
}

// Hubs returns the ids of the most-connected nodes: the first of each pool
// that relationship ends are drawn towards.
func (g *Graph) Hubs() []string {
	var out []string
	for _, p := range g.pools {
		if p.kind == "COUNTRY" || p.kind == "CARTEL" || p.kind == "MINISTRY" {
			out = append(out, g.ID(p.first))
		}
	}
	return out
}

// Ordinary returns the id of a typical node: a person far down the list.
func (g *Graph) Ordinary(r *rand.Rand) string {
	for _, p := range g.pools {
		if p.kind == "PERSON" {
			return g.ID(p.first + p.size/2 + r.Intn(p.size/2))
		}
	}
	return g.ID(g.total - 1)
}

// poolsFor lists the pools an End of a rule may draw from.
func (g *Graph) poolsFor(ends []coop.End) []pool {
	var out []pool
	for _, p := range g.pools {
		for _, e := range ends {
			if e.Type != p.typ {
				continue
			}
			if len(e.ActorKinds) == 0 {
				out = append(out, p)
				break
			}
			ok := false
			for _, k := range e.ActorKinds {
				if string(k) == p.kind {
					ok = true
				}
			}
			if ok {
				out = append(out, p)
				break
			}
		}
	}
	return out
}
