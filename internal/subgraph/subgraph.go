// Package subgraph cuts a piece out of the graph that stands on its own: a
// network and everything its records refer to, so that it imports into an
// empty graph and draws without loose ends. Export's -network flag writes
// one (as records, or as a file for graph tools).
package subgraph

import (
	"context"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// Store is what a subgraph is read from.
type Store interface {
	Network(context.Context, coop.NetworkQuery) (coop.Network, error)
	Entities(context.Context, []string) (map[string]coop.Entity, error)
	PassagesOf(ctx context.Context, sourceID string, after, first int) (coop.PassagePage, error)
}

// Subgraph is a network and what its records refer to: the countries of
// its actors and places (with the country ties that join them: nothing
// unconnected), and the sources its facts cite, marked as cited only, with
// their passages.
type Subgraph struct {
	Entities      []coop.Entity // in export order (dataset.ExportOrder, then id): every reference points backwards
	Passages      []coop.Passage
	Relationships []*coop.Relationship // by id
	CitedOnly     map[string]bool      // entities there only because the rest cites them
	Truncated     bool                 // a limit of the query cut the network
}

// passagePage is how many passages are read at a time.
const passagePage = 100

// Network reads the network q asks for and what it refers to.
func Network(ctx context.Context, store Store, q coop.NetworkQuery) (*Subgraph, error) {
	net, err := store.Network(ctx, q)
	if err != nil {
		return nil, err
	}
	sub := &Subgraph{Relationships: slices.Clone(net.Edges), CitedOnly: map[string]bool{}, Truncated: net.Truncated}
	have, haveRel := map[string]bool{}, map[string]bool{}
	for _, e := range net.Nodes {
		have[e.EntityID()] = true
	}
	for _, r := range net.Edges {
		haveRel[r.ID] = true
	}
	var refs []string
	need := func(id string, cited bool) {
		if id != "" && !have[id] {
			have[id] = true
			refs = append(refs, id)
			if cited {
				sub.CitedOnly[id] = true
			}
		}
	}
	cite := func(cs []coop.Citation) {
		for _, c := range cs {
			need(c.SourceID, true)
		}
	}
	for _, r := range net.Edges {
		cite(r.Citations)
	}
	all := slices.Clone(net.Nodes)
	// What the entities refer to, and what that refers to (a country's sources).
	for fresh := all; len(fresh) > 0; {
		for _, e := range fresh {
			cite(e.EntityBase().Citations)
			if tie := coop.CountryTie(e); tie != nil {
				need(tie.ToID, false)
				if !haveRel[tie.ID] {
					haveRel[tie.ID] = true
					sub.Relationships = append(sub.Relationships, tie)
				}
			}
		}
		extra, err := store.Entities(ctx, refs)
		if err != nil {
			return nil, err
		}
		fresh = nil
		for _, id := range refs {
			if e, ok := extra[id]; ok {
				fresh = append(fresh, e)
			}
		}
		all, refs = append(all, fresh...), nil
	}
	slices.SortStableFunc(all, func(a, b coop.Entity) int {
		if d := dataset.ExportOrder(a) - dataset.ExportOrder(b); d != 0 {
			return d
		}
		return strings.Compare(a.EntityID(), b.EntityID())
	})
	slices.SortFunc(sub.Relationships, func(a, b *coop.Relationship) int { return strings.Compare(a.ID, b.ID) })
	sub.Entities = all
	// The evidence travels with the subgraph: its sources' passages.
	for _, e := range all {
		if e.EntityType() != coop.TypeSource {
			continue
		}
		for after := 0; ; {
			page, err := store.PassagesOf(ctx, e.EntityID(), after, passagePage)
			if err != nil {
				return nil, err
			}
			sub.Passages = append(sub.Passages, page.Passages...)
			if !page.HasNextPage {
				break
			}
			after = page.Passages[len(page.Passages)-1].Order
		}
	}
	return sub, nil
}

// EachPassage hands every passage to f at once: a subgraph is in memory.
func (s *Subgraph) EachPassage(_ context.Context, _ int, f func([]coop.Passage) error) error {
	return f(s.Passages)
}

// EachEntity hands every entity to f at once, in export order.
func (s *Subgraph) EachEntity(_ context.Context, _ int, f func([]coop.Entity) error) error {
	return f(s.Entities)
}

// EachRelationship hands every relationship to f at once, by id.
func (s *Subgraph) EachRelationship(_ context.Context, _ int, f func([]*coop.Relationship) error) error {
	return f(s.Relationships)
}
