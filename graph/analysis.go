package graph

import (
	"context"
	"regexp"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// idsArg checks a list of ids: at most max, none empty, duplicates dropped.
func idsArg(name string, ids []string, max int) ([]string, error) {
	if len(ids) > max {
		return nil, coop.Invalidf(name, "has %d ids; at most %d are allowed", len(ids), max)
	}
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || len(id) > maxArgText {
			return nil, coop.Invalidf(name, "holds an empty or overlong id")
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
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

// networkQuery checks the arguments of network.
func networkQuery(ids []string, depth *int, types []coop.RelationType, activeAt *coop.Date, limit, perNode *int) (coop.NetworkQuery, error) {
	ids, err := idsArg("ids", ids, coop.MaxQueryIDs)
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

// timelineCursor is the form of a coop.TimelineItem's Key: first day|kind|id|what.
var timelineCursor = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}\|[A-Z_]+\|[a-z0-9-]+\|[a-z ]*$`)

// pointersTo is a slice of pointers to the elements of xs, as gqlgen
// binds lists of structs.
func pointersTo[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}
