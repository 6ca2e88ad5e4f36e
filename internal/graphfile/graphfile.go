// Package graphfile writes a graph in the formats analysts' tools open:
// GraphML (Gephi, yEd), Cytoscape.js JSON, and CSV (one file of nodes, one
// of edges). JSON Lines, the format coopgraph reads back, is package
// dataset's.
package graphfile

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Node is what every format keeps of an entity.
type Node struct {
	ID, Name, Type, Kind string
	Aliases              []string
	Citations            []coop.Citation
}

// NodeOf reduces an entity to a Node.
func NodeOf(e coop.Entity) Node {
	b := e.EntityBase()
	n := Node{ID: b.ID, Name: b.Name, Type: string(e.EntityType()), Aliases: b.Aliases, Citations: b.Citations}
	switch x := e.(type) {
	case *coop.Actor:
		n.Kind = string(x.Kind)
	case *coop.Place:
		n.Kind = string(x.Kind)
	case *coop.Agreement:
		n.Kind = string(x.Kind)
	case *coop.Event:
		n.Kind = string(x.EventType)
	case *coop.Source:
		n.Kind = string(x.Kind)
	}
	return n
}

func citeText(cs []coop.Citation) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.SourceID + " " + c.Locator
	}
	return strings.Join(parts, "; ")
}

// GraphML writes a directed GraphML document.
func GraphML(w io.Writer, nodes []Node, edges []*coop.Relationship) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type node struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type edge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Data   []data `xml:"data"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []node `xml:"node"`
		Edges       []edge `xml:"edge"`
	}
	type doc struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   graph    `xml:"graph"`
	}
	d := doc{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graph{EdgeDefault: "directed"}}
	for _, k := range []string{"label", "type", "kind", "aliases", "citations"} {
		d.Keys = append(d.Keys, key{ID: "n_" + k, For: "node", Name: k, Type: "string"})
	}
	for _, k := range []string{"type", "since", "until", "status", "role", "citations"} {
		d.Keys = append(d.Keys, key{ID: "e_" + k, For: "edge", Name: k, Type: "string"})
	}
	for _, n := range nodes {
		d.Graph.Nodes = append(d.Graph.Nodes, node{ID: n.ID, Data: []data{{"n_label", n.Name}, {"n_type", n.Type}, {"n_kind", n.Kind},
			{"n_aliases", strings.Join(n.Aliases, "; ")}, {"n_citations", citeText(n.Citations)}}})
	}
	for _, e := range edges {
		d.Graph.Edges = append(d.Graph.Edges, edge{ID: e.ID, Source: e.FromID, Target: e.ToID, Data: []data{{"e_type", string(e.Type)},
			{"e_since", e.Since.String()}, {"e_until", e.Until.String()}, {"e_status", string(e.Status)}, {"e_role", e.Role},
			{"e_citations", citeText(e.Citations)}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("graphml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Cytoscape writes Cytoscape.js elements JSON: {"elements": {"nodes": [...], "edges": [...]}}.
func Cytoscape(w io.Writer, nodes []Node, edges []*coop.Relationship) error {
	type el struct {
		Data map[string]any `json:"data"`
	}
	out := struct {
		Elements struct {
			Nodes []el `json:"nodes"`
			Edges []el `json:"edges"`
		} `json:"elements"`
	}{}
	out.Elements.Nodes, out.Elements.Edges = []el{}, []el{}
	for _, n := range nodes {
		out.Elements.Nodes = append(out.Elements.Nodes, el{map[string]any{"id": n.ID, "label": n.Name, "type": n.Type, "kind": n.Kind,
			"aliases": n.Aliases, "citations": n.Citations}})
	}
	for _, e := range edges {
		out.Elements.Edges = append(out.Elements.Edges, el{map[string]any{"id": e.ID, "source": e.FromID, "target": e.ToID,
			"type": e.Type, "since": e.Since.String(), "until": e.Until.String(), "status": e.Status, "role": e.Role, "citations": e.Citations}})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// CSV writes the nodes to nw and the edges to ew, each with a header row.
func CSV(nw, ew io.Writer, nodes []Node, edges []*coop.Relationship) error {
	n := csv.NewWriter(nw)
	n.Write([]string{"id", "name", "type", "kind", "aliases", "citations"})
	for _, x := range nodes {
		n.Write([]string{x.ID, x.Name, x.Type, x.Kind, strings.Join(x.Aliases, "; "), citeText(x.Citations)})
	}
	n.Flush()
	if err := n.Error(); err != nil {
		return err
	}
	e := csv.NewWriter(ew)
	e.Write([]string{"id", "source", "target", "type", "since", "until", "status", "role", "citations"})
	for _, r := range edges {
		e.Write([]string{r.ID, r.FromID, r.ToID, string(r.Type), r.Since.String(), r.Until.String(), string(r.Status), r.Role, citeText(r.Citations)})
	}
	e.Flush()
	return e.Error()
}
