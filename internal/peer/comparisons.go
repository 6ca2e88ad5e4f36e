package peer

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// Comparison is one question asked of both servers: coopgraph's query,
// the peer's query that answers the same, and how to tell whether the two
// answers agree.
type Comparison struct {
	Name string
	// How says how the peer answers: with what its library generates, or
	// with a @cypher field.
	How       string
	Coopgraph func(i int) Request
	Peer      func(i int) Request
	// Same says how the answers (the data member of each) to the i-th
	// requests differ; nil when they agree.
	Same func(coopgraph, peer json.RawMessage) error
	// Overlap, where answers may agree without being equal, counts how
	// many of coopgraph's items the peer gave too, of how many.
	Overlap func(coopgraph, peer json.RawMessage) (shared, of int, err error)
}

// Targets are the entities the comparisons ask about, picked from the
// generated graph.
type Targets struct {
	People []string // ordinary people
	Names  []string // full names of people, to search for
	Hub    string   // the largest hub
	After  []string // ids after which the pages of people start
}

// searchFirst is how many hits both servers are asked for.
const searchFirst = 10

// Comparisons are the questions, in the order measured. The coopgraph
// queries are those of coopgraph bench where it has them (search,
// network, nested list).
func Comparisons(t Targets) ([]Comparison, error) {
	if len(t.People) == 0 || len(t.Names) == 0 || len(t.After) == 0 || t.Hub == "" {
		return nil, fmt.Errorf("no entities to ask about: people, names, pages and a hub are all needed")
	}
	pick := func(xs []string, i int) string { return xs[i%len(xs)] }
	type lucene struct{ every, any string }
	var searches []lucene
	scan := int64(0)
	for _, name := range t.Names {
		// The same full-text queries coopgraph sends for the text.
		st, _, err := neo4jstore.SearchStatement(coop.SearchQuery{Text: name, First: searchFirst})
		if err != nil {
			return nil, fmt.Errorf("search for %q: %w", name, err)
		}
		every, ok1 := st.Params["every"].(string)
		anyWord, ok2 := st.Params["any"].(string)
		scan, _ = st.Params["scan"].(int64)
		if !ok1 || !ok2 || scan == 0 {
			return nil, fmt.Errorf("coopgraph's search statement no longer takes $every, $any and $scan: the peer's search needs updating")
		}
		searches = append(searches, lucene{every, anyWord})
	}

	network := func(name string, id func(i int) string, depth int) Comparison {
		return Comparison{Name: name,
			How: fmt.Sprintf("`networkDepth%d`, a @cypher field holding coopgraph's own network statement (the library has no "+
				"capped neighbourhood), projected to nodes and edges", depth),
			Coopgraph: func(i int) Request {
				return Request{`query($id: ID!, $d: Int) { network(ids: [$id], depth: $d, limit: 200, perNode: 50) {
  truncated nodes { id name kind } edges { id source target type since until status } } }`,
					map[string]any{"id": id(i), "d": depth}}
			},
			Peer: func(i int) Request {
				return Request{fmt.Sprintf(`query($id: String!) { networkDepth%d(ids: [$id], limit: 200, perNode: 50, perNodeProbe: 51) {
  truncated nodes { id name kind } edges { id source target type since until status } } }`, depth),
					map[string]any{"id": id(i)}}
			},
			Same: func(c, p json.RawMessage) error { return sameNetwork(c, p, fmt.Sprintf("networkDepth%d", depth)) },
		}
	}
	person := func(i int) string { return pick(t.People, i) }
	hub := func(int) string { return t.Hub }

	return []Comparison{
		{Name: "actor by id",
			How: "generated `actors(where: {id: {eq}})`; `country` is an IN_COUNTRY @relationship",
			Coopgraph: func(i int) Request {
				return Request{`query($id: ID!) { actor(id: $id) { id name kind aliases country { id name } } }`,
					map[string]any{"id": person(i)}}
			},
			Peer: func(i int) Request {
				return Request{`query($id: String!) { actors(where: {id: {eq: $id}}) { id name kind aliases country { id name } } }`,
					map[string]any{"id": person(i)}}
			},
			Same: sameActor},
		{Name: "nested list (20 people x 10 ties)",
			How: "generated `actors(where: {kind: {eq}, id: {gt}}, sort: [{id: ASC}], limit: 20)`; `relationships(first)` is a @cypher " +
				"field (every allow-listed type, both directions, by relationship id), all in one statement",
			Coopgraph: func(i int) Request {
				return Request{`query($after: String) { actors(kinds: [PERSON], first: 20, after: $after) { nodes { id name
  relationships(first: 10) { nodes { id type since other: to { id name } } } } } }`,
					map[string]any{"after": base64.RawURLEncoding.EncodeToString([]byte(pick(t.After, i)))}}
			},
			Peer: func(i int) Request {
				return Request{`query($after: String!) { actors(where: {kind: {eq: "PERSON"}, id: {gt: $after}}, sort: [{id: ASC}], limit: 20) {
  id name relationships(first: 10) { id type since other: to { id name } } } }`,
					map[string]any{"after": pick(t.After, i)}}
			},
			Same: samePeople},
		network("network depth 1 (ordinary person)", person, 1),
		network("network depth 2 (ordinary person)", person, 2),
		{Name: "search (a person's full name)",
			How: "a @cypher field over the same full-text index with the Lucene queries coopgraph builds from the text " +
				"(every word, then any word), ranked by score",
			Coopgraph: func(i int) Request {
				return Request{`query($t: String!) { search(text: $t, first: 10) { score match matched entity { id name } } }`,
					map[string]any{"t": pick(t.Names, i)}}
			},
			Peer: func(i int) Request {
				s := searches[i%len(searches)]
				return Request{`query($every: String!, $any: String!, $scan: Int!) { search(every: $every, any: $any, first: 10, scan: $scan) {
  score strict entity { id name } } }`,
					map[string]any{"every": s.every, "any": s.any, "scan": scan}}
			},
			Same: sameSearch, Overlap: searchOverlap},
		network("network depth 1 (hub, 50 ties)", hub, 1),
		{Name: "hub, OPERATES_IN ties (first 50 by id)",
			How: "generated `operatesInConnection(first: 50, sort: [{edge: {id: ASC}}])` of an undirected OPERATES_IN @relationship " +
				"to actors and places, with @relationshipProperties",
			Coopgraph: func(int) Request {
				return Request{`query($id: ID!) { actor(id: $id) { id relationships(types: [OPERATES_IN], first: 50) {
  nodes { id type since from { id } to { id } } } } }`,
					map[string]any{"id": t.Hub}}
			},
			Peer: func(int) Request {
				return Request{`query($id: String!) { actors(where: {id: {eq: $id}}) { id operatesInConnection(first: 50, sort: [{edge: {id: ASC}}]) {
  edges { properties { id since } node { id } } } } }`,
					map[string]any{"id": t.Hub}}
			},
			Same: sameTypedTies},
	}, nil
}
