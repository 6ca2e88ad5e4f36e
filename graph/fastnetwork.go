package graph

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// The network field's answer is the largest the API writes: thousands of
// nodes and edges, each a handful of plain values. gqlgen's executor spends
// a goroutine, a field context and a field collection on every element of
// a list, which on such answers costs more than reading them from Neo4j.
// When a network selection asks only for plain values (no entity, no
// citations), the answer is written here in one pass over the elements,
// with the selection collected once. Anything else, and every error, goes
// through the executor as before. TestTheFastNetworkAnswersAsTheExecutor
// holds the two to the same output.

// networkNodeFields write the plain fields of a NetworkNode.
var networkNodeFields = map[string]func(w io.Writer, n model.NetworkNode){
	"id":        func(w io.Writer, n model.NetworkNode) { graphql.MarshalID(n.ID()).MarshalGQL(w) },
	"name":      func(w io.Writer, n model.NetworkNode) { graphql.MarshalString(n.Name()).MarshalGQL(w) },
	"kind":      func(w io.Writer, n model.NetworkNode) { graphql.MarshalString(n.Kind()).MarshalGQL(w) },
	"type":      func(w io.Writer, n model.NetworkNode) { graphql.MarshalString(n.Type()).MarshalGQL(w) },
	"synthetic": func(w io.Writer, n model.NetworkNode) { graphql.MarshalBoolean(n.Synthetic()).MarshalGQL(w) },
}

// networkEdgeFields write the plain fields of a NetworkEdge. Unknown
// values of nullable fields are null (see NewHandler).
var networkEdgeFields = map[string]func(w io.Writer, r *coop.Relationship){
	"id":     func(w io.Writer, r *coop.Relationship) { graphql.MarshalID(r.ID).MarshalGQL(w) },
	"source": func(w io.Writer, r *coop.Relationship) { graphql.MarshalID(r.FromID).MarshalGQL(w) },
	"target": func(w io.Writer, r *coop.Relationship) { graphql.MarshalID(r.ToID).MarshalGQL(w) },
	"type":   func(w io.Writer, r *coop.Relationship) { model.MarshalRelationType(r.Type).MarshalGQL(w) },
	"since":  func(w io.Writer, r *coop.Relationship) { model.MarshalDate(r.Since).MarshalGQL(w) },
	"until":  func(w io.Writer, r *coop.Relationship) { model.MarshalDate(r.Until).MarshalGQL(w) },
	"status": func(w io.Writer, r *coop.Relationship) { model.MarshalStatus(r.Status).MarshalGQL(w) },
	"basis":  func(w io.Writer, r *coop.Relationship) { model.MarshalBasis(r.Basis).MarshalGQL(w) },
	"role": func(w io.Writer, r *coop.Relationship) {
		if r.Role == "" {
			graphql.Null.MarshalGQL(w)
			return
		}
		graphql.MarshalString(r.Role).MarshalGQL(w)
	},
}

// networkRead is a network read by the fast path and handed to the
// executor, when the fast path cannot write it, through the context.
type networkRead struct {
	net *model.Network
	err error
}

type networkReadKey struct{}

// fastNetworks counts the answers written here (for the tests).
var fastNetworks atomic.Int64

// fastNetwork answers a root network field whose selection it can write
// (ok true), or leaves it to the executor (ok false), with the read done so
// far passed along in the returned context so that nothing is read twice.
func fastNetwork(ctx context.Context, store coop.Store) (graphql.Marshaler, context.Context, bool) {
	rfc := graphql.GetRootFieldContext(ctx)
	op := graphql.GetOperationContext(ctx)
	if rfc == nil || op.Operation.Operation != ast.Query || rfc.Field.Name != "network" {
		return nil, ctx, false
	}
	plan, ok := planNetwork(op, rfc.Field.Selections)
	if !ok {
		return nil, ctx, false
	}
	q, ok := networkArgs(rfc.Field.ArgumentMap(op.Variables))
	if !ok {
		return nil, ctx, false // the executor reports what is wrong
	}
	net, err := readNetwork(ctx, store, q)
	if err != nil {
		return nil, context.WithValue(ctx, networkReadKey{}, networkRead{err: err}), false
	}
	var buf bytes.Buffer
	plan.write(&buf, net)
	fastNetworks.Add(1)
	return graphql.WriterFunc(func(w io.Writer) { w.Write(buf.Bytes()) }), ctx, true
}

// networkPlan is a network selection, collected once for every element.
type networkPlan struct {
	fields []graphql.CollectedField // of Network
	nodes  map[string][]graphql.CollectedField
	edges  map[string][]graphql.CollectedField
}

// planNetwork collects a network selection; ok is false when it asks for
// anything but plain values.
func planNetwork(op *graphql.OperationContext, sel ast.SelectionSet) (networkPlan, bool) {
	p := networkPlan{nodes: map[string][]graphql.CollectedField{}, edges: map[string][]graphql.CollectedField{}}
	p.fields = graphql.CollectFields(op, sel, []string{"Network"})
	for _, f := range p.fields {
		switch f.Name {
		case "__typename", "truncated":
		case "nodes":
			fs, ok := plainSelection(op, f.Selections, "NetworkNode", networkNodeFields)
			if !ok {
				return p, false
			}
			p.nodes[f.Alias] = fs
		case "edges":
			fs, ok := plainSelection(op, f.Selections, "NetworkEdge", networkEdgeFields)
			if !ok {
				return p, false
			}
			p.edges[f.Alias] = fs
		default:
			return p, false
		}
	}
	return p, true
}

// plainSelection collects a selection on typeName; ok is false when it
// asks for a field that fields cannot write.
func plainSelection[T any](op *graphql.OperationContext, sel ast.SelectionSet, typeName string, fields map[string]func(io.Writer, T)) ([]graphql.CollectedField, bool) {
	fs := graphql.CollectFields(op, sel, []string{typeName})
	for _, f := range fs {
		if _, plain := fields[f.Name]; !plain && f.Name != "__typename" {
			return nil, false
		}
	}
	return fs, true
}

func (p networkPlan) write(w *bytes.Buffer, net *model.Network) {
	w.WriteByte('{')
	for i, f := range p.fields {
		if i > 0 {
			w.WriteByte(',')
		}
		graphql.MarshalString(f.Alias).MarshalGQL(w)
		w.WriteByte(':')
		switch f.Name {
		case "__typename":
			graphql.MarshalString("Network").MarshalGQL(w)
		case "truncated":
			graphql.MarshalBoolean(net.Truncated).MarshalGQL(w)
		case "nodes":
			writeList(w, net.Nodes, p.nodes[f.Alias], "NetworkNode", networkNodeFields)
		case "edges":
			writeList(w, net.Edges, p.edges[f.Alias], "NetworkEdge", networkEdgeFields)
		}
	}
	w.WriteByte('}')
}

// writeList writes a list of elements of one GraphQL type.
func writeList[T any](w *bytes.Buffer, items []T, fs []graphql.CollectedField, typeName string, fields map[string]func(io.Writer, T)) {
	w.WriteByte('[')
	for i, item := range items {
		if i > 0 {
			w.WriteByte(',')
		}
		writeObject(w, fs, typeName, func(name string) { fields[name](w, item) })
	}
	w.WriteByte(']')
}

// writeObject writes one element: its fields in selection order, under
// their aliases.
func writeObject(w *bytes.Buffer, fs []graphql.CollectedField, typeName string, value func(name string)) {
	w.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			w.WriteByte(',')
		}
		graphql.MarshalString(f.Alias).MarshalGQL(w)
		w.WriteByte(':')
		if f.Name == "__typename" {
			graphql.MarshalString(typeName).MarshalGQL(w)
			continue
		}
		value(f.Name)
	}
	w.WriteByte('}')
}

// networkArgs reads network's arguments as the generated code would and
// checks them as the resolver does; ok is false on anything wrong, left to
// the executor to report.
func networkArgs(args map[string]any) (coop.NetworkQuery, bool) {
	a := rawArgs{args: args, ok: true}
	ids, types, activeAt := a.ids("ids"), a.types("types"), a.date("activeAt")
	depth, limit, perNode := a.int("depth"), a.int("limit"), a.int("perNode")
	if !a.ok {
		return coop.NetworkQuery{}, false
	}
	q, err := networkQuery(ids, depth, types, activeAt, limit, perNode)
	return q, err == nil
}
