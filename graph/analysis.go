package graph

import (
	"context"
	"regexp"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// intArg returns *p or def, checked against [lo, hi].
func intArg(name string, p *int, def, lo, hi int) (int, error) {
	return coop.Range{Default: def, Min: lo, Max: hi}.Take(name, p)
}

// idsArg checks a list of ids: at most max, none empty, duplicates dropped.
func idsArg(name string, ids []string, max int) ([]string, error) {
	if len(ids) > max {
		return nil, coop.Invalidf(name, "has %d ids; at most %d are allowed", len(ids), max)
	}
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || len(id) > 200 {
			return nil, coop.Invalidf(name, "holds an empty or overlong id")
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

func (r *queryResolver) search(ctx context.Context, text string, kinds []model.SearchKind, first *int) ([]*coop.SearchHit, error) {
	n, err := intArg("first", first, 10, 0, coop.MaxSearchResults)
	if err != nil {
		return nil, err
	}
	if len([]rune(text)) > 200 {
		return nil, coop.Invalidf("text", "is longer than 200 characters")
	}
	q := coop.SearchQuery{Text: text, First: n}
	for _, k := range kinds {
		if t := coop.EntityType(titleCase(string(k))); t.Valid() {
			q.Types = append(q.Types, t)
		} else {
			q.ActorKinds = append(q.ActorKinds, coop.ActorKind(k))
		}
	}
	if n == 0 {
		return []*coop.SearchHit{}, nil
	}
	hits, err := r.Store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	return pointersTo(hits), nil
}

// titleCase turns ACTOR into Actor.
func titleCase(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	for i := 1; i < len(b); i++ {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

func (r *queryResolver) network(ctx context.Context, ids []string, depth *int, types []coop.RelationType, activeAt *coop.Date, limit, perNode *int) (*model.Network, error) {
	if read, ok := ctx.Value(networkReadKey{}).(networkRead); ok {
		return read.net, read.err // read already by the fast path (fastnetwork.go)
	}
	q, err := networkQuery(ids, depth, types, activeAt, limit, perNode)
	if err != nil {
		return nil, err
	}
	return readNetwork(ctx, r.Store, q)
}

// networkQuery checks the arguments of network.
func networkQuery(ids []string, depth *int, types []coop.RelationType, activeAt *coop.Date, limit, perNode *int) (coop.NetworkQuery, error) {
	ids, err := idsArg("ids", ids, coop.MaxNetworkIDs)
	if err != nil {
		return coop.NetworkQuery{}, err
	}
	q, err := coop.NewNetworkQuery(ids, depth, limit, perNode)
	if err != nil {
		return q, err
	}
	q.Types = types
	if activeAt != nil {
		q.ActiveAt = *activeAt
	}
	return q, nil
}

// readNetwork reads a neighbourhood as the API answers it.
func readNetwork(ctx context.Context, store coop.Store, q coop.NetworkQuery) (*model.Network, error) {
	net, err := store.Network(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &model.Network{Nodes: make([]model.NetworkNode, len(net.Nodes)), Edges: net.Edges, Truncated: net.Truncated}
	for i, n := range net.Nodes {
		out.Nodes[i] = model.NetworkNode{Entity: n}
	}
	if out.Edges == nil {
		out.Edges = []*coop.Relationship{}
	}
	return out, nil
}

func (r *queryResolver) paths(ctx context.Context, from, to string, maxHops *int, types []coop.RelationType, activeAt *coop.Date, first, maxDegree *int) ([]*model.Path, error) {
	q := coop.PathQuery{From: from, To: to, Types: types}
	var err error
	if q.MaxHops, err = intArg("maxHops", maxHops, coop.DefaultPathHops, 1, coop.MaxPathHops); err != nil {
		return nil, err
	}
	if q.First, err = intArg("first", first, coop.DefaultPaths, 1, coop.MaxPaths); err != nil {
		return nil, err
	}
	if q.MaxDegree, err = intArg("maxDegree", maxDegree, coop.DefaultPathDegree, 1, coop.MaxPathDegree); err != nil {
		return nil, err
	}
	if from == to {
		return nil, coop.Invalidf("to", "is the same entity as from")
	}
	if activeAt != nil {
		q.ActiveAt = *activeAt
	}
	paths, err := r.Store.Paths(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Path, 0, len(paths))
	for _, p := range paths {
		mp := &model.Path{Length: len(p.Edges), Nodes: p.Nodes}
		for i, e := range p.Edges {
			dir := model.PathDirectionForward
			if e.FromID != p.Nodes[i].EntityID() {
				dir = model.PathDirectionBackward
			}
			mp.Edges = append(mp.Edges, &model.PathEdge{Relationship: e, Direction: dir, Citations: e.Citations})
		}
		out = append(out, mp)
	}
	return out, nil
}

// timelineCursor is the form of a coop.TimelineItem's Key: first day|kind|id|what.
var timelineCursor = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}\|[A-Z_]+\|[a-z0-9-]+\|[a-z ]*$`)

func (r *queryResolver) timeline(ctx context.Context, ids []string, from, to *coop.Date, first *int, after *string) (*model.TimelineConnection, error) {
	var q coop.TimelineQuery
	var err error
	if q.IDs, err = idsArg("ids", ids, 50); err != nil {
		return nil, err
	}
	if q.Page.First, err = intArg("first", first, coop.DefaultPageSize, 0, coop.MaxPageSize); err != nil {
		return nil, err
	}
	if q.Page.After, err = cursorArg("after", after, textKey(timelineCursor.MatchString)); err != nil {
		return nil, err
	}
	if from != nil {
		q.From = *from
	}
	if to != nil {
		q.To = *to
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Last().Before(q.From.First()) {
		return nil, coop.Invalidf("to", "is before from")
	}
	page, err := r.Store.Timeline(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &model.TimelineConnection{Edges: []*model.TimelineEdge{}, Nodes: []coop.TimelineItem{}}
	last := ""
	for _, it := range page.Items {
		last = encodeCursor(it.Key)
		c.Edges = append(c.Edges, &model.TimelineEdge{Cursor: last, Node: it})
		c.Nodes = append(c.Nodes, it)
	}
	c.PageInfo = &model.PageInfo{HasNextPage: page.HasNextPage}
	if last != "" {
		c.PageInfo.EndCursor = &last
	}
	return c, nil
}

// pointersTo is a slice of pointers to the elements of xs, as gqlgen
// binds lists of structs.
func pointersTo[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}
