package subgraph

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// store is a graph in memory; the errors, when set, are what its methods fail with.
type store struct {
	net                          coop.Network
	entities                     map[string]coop.Entity
	passages                     map[string][]coop.Passage // by source, in order
	netErr, entitiesErr, passErr error
}

func (s *store) Network(context.Context, coop.NetworkQuery) (coop.Network, error) {
	return s.net, s.netErr
}

func (s *store) Entities(_ context.Context, ids []string) (map[string]coop.Entity, error) {
	out := map[string]coop.Entity{}
	for _, id := range ids {
		if e, ok := s.entities[id]; ok {
			out[id] = e
		}
	}
	return out, s.entitiesErr
}

func (s *store) PassagesOf(_ context.Context, sourceID string, after, first int) (coop.PassagePage, error) {
	var page coop.PassagePage
	for _, p := range s.passages[sourceID] {
		if p.Order <= after {
			continue
		}
		if len(page.Passages) == first {
			page.HasNextPage = true
			break
		}
		page.Passages = append(page.Passages, p)
	}
	return page, s.passErr
}

func cites(ids ...string) []coop.Citation {
	var cs []coop.Citation
	for _, id := range ids {
		cs = append(cs, coop.Citation{SourceID: id, Locator: "¶1"})
	}
	return cs
}

func actor(id, country string, sources ...string) *coop.Actor {
	return &coop.Actor{Base: coop.Base{ID: id, Name: id, Citations: cites(sources...)}, Kind: coop.ActorCartel, CountryID: country}
}

func country(id string, sources ...string) *coop.Actor {
	return &coop.Actor{Base: coop.Base{ID: id, Name: id, Citations: cites(sources...)}, Kind: coop.ActorCountry}
}

func source(id string) *coop.Source { return &coop.Source{Base: coop.Base{ID: id, Name: id}} }

func tie(id, from, to string, sources ...string) *coop.Relationship {
	return &coop.Relationship{ID: id, Type: coop.RelAlliedWith, FromID: from, ToID: to, Citations: cites(sources...)}
}

func passages(sourceID string, n int) []coop.Passage {
	ps := make([]coop.Passage, n)
	for i := range ps {
		ps[i] = coop.Passage{SourceID: sourceID, Locator: fmt.Sprintf("¶%d", i+1), Order: i + 1}
	}
	return ps
}

func byID(es ...coop.Entity) map[string]coop.Entity {
	m := map[string]coop.Entity{}
	for _, e := range es {
		m[e.EntityID()] = e
	}
	return m
}

// want is what a subgraph holds, by id.
type want struct {
	entities, relationships []string
	passages                int
	citedOnly               []string
	truncated               bool
}

func got(s *Subgraph) want {
	w := want{passages: len(s.Passages), truncated: s.Truncated}
	for _, e := range s.Entities {
		w.entities = append(w.entities, e.EntityID())
	}
	for _, r := range s.Relationships {
		w.relationships = append(w.relationships, r.ID)
	}
	for _, e := range s.Entities {
		if s.CitedOnly[e.EntityID()] {
			w.citedOnly = append(w.citedOnly, e.EntityID())
		}
	}
	return w
}

func TestNetwork(t *testing.T) {
	a, b := actor("a", ""), actor("b", "")
	inEC := actor("in-ec", "ec")
	ec := country("ec", "s-ec")
	for _, tc := range []struct {
		name  string
		store *store
		want  want
	}{
		{
			name:  "a network that refers to nothing outside it is itself, in export order",
			store: &store{net: coop.Network{Nodes: []coop.Entity{b, a}, Edges: []*coop.Relationship{tie("r2", "a", "b"), tie("r1", "b", "a")}}},
			want:  want{entities: []string{"a", "b"}, relationships: []string{"r1", "r2"}},
		},
		{
			name: "the sources a tie or an entity cites join it, cited only, with all their passages",
			store: &store{
				net:      coop.Network{Nodes: []coop.Entity{actor("a", "", "s2"), b}, Edges: []*coop.Relationship{tie("r1", "a", "b", "s1")}},
				entities: byID(source("s1"), source("s2")),
				passages: map[string][]coop.Passage{"s1": passages("s1", 2*passagePage+1), "s2": passages("s2", 1)},
			},
			want: want{entities: []string{"s1", "s2", "a", "b"}, relationships: []string{"r1"}, passages: 2*passagePage + 2, citedOnly: []string{"s1", "s2"}},
		},
		{
			name: "a source in the network is not cited only, and brings its passages",
			store: &store{
				net:      coop.Network{Nodes: []coop.Entity{source("s1"), actor("a", "", "s1")}},
				passages: map[string][]coop.Passage{"s1": passages("s1", 3)},
			},
			want: want{entities: []string{"s1", "a"}, passages: 3},
		},
		{
			name: "a country joins with its tie, and brings the sources it cites",
			store: &store{
				net:      coop.Network{Nodes: []coop.Entity{inEC}},
				entities: byID(ec, source("s-ec")),
			},
			want: want{entities: []string{"s-ec", "ec", "in-ec"}, relationships: []string{coop.CountryTie(inEC).ID}, citedOnly: []string{"s-ec"}},
		},
		{
			name: "a country tie the network holds is not added again",
			store: &store{
				net:      coop.Network{Nodes: []coop.Entity{inEC, ec}, Edges: []*coop.Relationship{coop.CountryTie(inEC)}},
				entities: byID(source("s-ec")),
			},
			want: want{entities: []string{"s-ec", "ec", "in-ec"}, relationships: []string{coop.CountryTie(inEC).ID}, citedOnly: []string{"s-ec"}},
		},
		{
			name:  "a reference to an entity the store does not hold is left out",
			store: &store{net: coop.Network{Nodes: []coop.Entity{actor("a", "gone-country", "gone-source")}}},
			want:  want{entities: []string{"a"}, relationships: []string{coop.CountryTie(actor("a", "gone-country")).ID}},
		},
		{
			name:  "a network a limit cut says so",
			store: &store{net: coop.Network{Nodes: []coop.Entity{a}, Truncated: true}},
			want:  want{entities: []string{"a"}, truncated: true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := Network(context.Background(), tc.store, coop.NetworkQuery{IDs: []string{"a"}, Depth: 1})
			if err != nil {
				t.Fatal(err)
			}
			if g := got(sub); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("got  %+v\nwant %+v", g, tc.want)
			}
		})
	}
}

func TestNetworkPassesOnTheStoresErrors(t *testing.T) {
	failed := errors.New("the store failed")
	net := coop.Network{Nodes: []coop.Entity{actor("a", "", "s1")}}
	for _, tc := range []struct {
		name  string
		store *store
	}{
		{"network", &store{netErr: failed}},
		{"entities", &store{net: net, entitiesErr: failed}},
		{"passages", &store{net: net, entities: byID(source("s1")), passErr: failed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sub, err := Network(context.Background(), tc.store, coop.NetworkQuery{}); !errors.Is(err, failed) || sub != nil {
				t.Errorf("got %v, %v; want nil and the store's error", sub, err)
			}
		})
	}
}

func TestEachHandsOverTheWholeSubgraph(t *testing.T) {
	s := &store{
		net:      coop.Network{Nodes: []coop.Entity{actor("a", "", "s1")}, Edges: []*coop.Relationship{tie("r1", "a", "a")}},
		entities: byID(source("s1")),
		passages: map[string][]coop.Passage{"s1": passages("s1", 2)},
	}
	sub, err := Network(context.Background(), s, coop.NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var es []coop.Entity
	var ps []coop.Passage
	var rs []*coop.Relationship
	err = errors.Join(
		sub.EachEntity(ctx, 1, func(b []coop.Entity) error { es = append(es, b...); return nil }),
		sub.EachPassage(ctx, 1, func(b []coop.Passage) error { ps = append(ps, b...); return nil }),
		sub.EachRelationship(ctx, 1, func(b []*coop.Relationship) error { rs = append(rs, b...); return nil }))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(es, sub.Entities) || !reflect.DeepEqual(ps, sub.Passages) || !reflect.DeepEqual(rs, sub.Relationships) {
		t.Errorf("handed over %d entities, %d passages, %d relationships; the subgraph holds %d, %d, %d",
			len(es), len(ps), len(rs), len(sub.Entities), len(sub.Passages), len(sub.Relationships))
	}
}
