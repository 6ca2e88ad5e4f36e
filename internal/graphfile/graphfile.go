// Package graphfile writes a graph in the formats graph tools open: GraphML
// (Gephi, yEd) and Cytoscape.js JSON. Both carry, for each entity and
// relationship, what an analyst filters and styles on, under the names the
// GraphQL API uses (name, kind, since, status, ...). A value that is not
// there is left out, never written empty. The record formats that import
// reads back (JSON Lines and CSV) are package dataset's.
package graphfile

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Graph is what a file holds.
type Graph struct {
	Entities      []coop.Entity
	Relationships []*coop.Relationship
	// CitedOnly marks entities that are there only because the rest cites
	// them (the sources of a -network export): shown as citedOnly.
	CitedOnly map[string]bool
}

// attr is one attribute of a node or an edge; typ is its GraphML type.
type attr struct {
	key, typ string
	value    any
}

// attrs collects attributes, leaving out empty ones.
type attrs []attr

func (a *attrs) text(key, v string) {
	if v != "" {
		*a = append(*a, attr{key, "string", v})
	}
}

func (a *attrs) date(key string, d coop.Date) { a.text(key, d.String()) }

func (a *attrs) list(key string, xs []string) { a.text(key, strings.Join(xs, "; ")) }

// nodeKeys and edgeKeys declare every attribute, in file order.
var nodeKeys = []attr{
	{"name", "string", nil}, {"type", "string", nil}, {"kind", "string", nil}, {"aliases", "string", nil},
	{"description", "string", nil}, {"country", "string", nil}, {"status", "string", nil}, {"proposed", "string", nil},
	{"signed", "string", nil}, {"inForce", "string", nil}, {"ended", "string", nil}, {"date", "string", nil},
	{"endDate", "string", nil}, {"topics", "string", nil}, {"outcomes", "string", nil}, {"subEventType", "string", nil},
	{"fatalities", "int", nil}, {"indicator", "string", nil}, {"value", "double", nil}, {"unit", "string", nil},
	{"periodStart", "string", nil}, {"periodEnd", "string", nil}, {"publisher", "string", nil}, {"published", "string", nil},
	{"url", "string", nil}, {"synthetic", "boolean", false}, {"citedOnly", "boolean", false}, {"citations", "string", nil},
	{"editorialAliases", "string", nil}, {"basis", "string", nil}, {"inference", "string", nil}, {"bound", "string", nil},
}

var edgeKeys = []attr{
	{"type", "string", nil}, {"since", "string", nil}, {"until", "string", nil}, {"asOf", "string", nil},
	{"role", "string", nil}, {"status", "string", nil}, {"description", "string", nil}, {"citations", "string", nil},
	{"basis", "string", nil}, {"inference", "string", nil},
}

func nodeAttrs(e coop.Entity, citedOnly bool) attrs {
	b := e.EntityBase()
	var a attrs
	a.text("name", b.Name)
	a.text("type", string(e.EntityType()))
	a.text("kind", coop.KindOf(e))
	a.list("aliases", b.Aliases)
	a.text("description", b.Description)
	a.text("country", coop.CountryOf(e))
	switch x := e.(type) {
	case *coop.Agreement:
		a.text("status", string(x.Status))
		a.date("proposed", x.Proposed)
		a.date("signed", x.Signed)
		a.date("inForce", x.InForce)
		a.date("ended", x.Ended)
	case *coop.Meeting:
		a.date("date", x.Date)
		a.list("topics", x.Topics)
		a.list("outcomes", x.Outcomes)
	case *coop.Event:
		a.text("subEventType", x.SubEventType)
		a.date("date", x.Date)
		a.date("endDate", x.EndDate)
		if x.Fatalities != nil {
			a = append(a, attr{"fatalities", "int", *x.Fatalities})
		}
	case *coop.Statistic:
		a.text("indicator", x.Indicator)
		a = append(a, attr{"value", "double", x.Value})
		a.text("unit", x.Unit)
		a.date("periodStart", x.PeriodStart)
		a.date("periodEnd", x.PeriodEnd)
	case *coop.Source:
		a.text("publisher", x.Publisher)
		a.date("published", x.Published)
		a.text("url", x.URL)
	}
	if b.Synthetic {
		a = append(a, attr{"synthetic", "boolean", true})
	}
	if citedOnly {
		a = append(a, attr{"citedOnly", "boolean", true})
	}
	a.text("citations", citeText(b.Citations))
	a.list("editorialAliases", b.EditorialAliases)
	a.provenance(b.Provenance)
	if x, ok := e.(*coop.Statistic); ok {
		a.text("bound", string(x.Bound.OrExact()))
	}
	return a
}

// provenance writes a fact's basis, and the inference of an inferred one.
func (a *attrs) provenance(p coop.Provenance) {
	a.text("basis", string(p.Basis.OrStated()))
	a.text("inference", p.Inference)
}

func edgeAttrs(r *coop.Relationship) attrs {
	var a attrs
	a.text("type", string(r.Type))
	a.date("since", r.Since)
	a.date("until", r.Until)
	a.date("asOf", r.AsOf)
	a.text("role", r.Role)
	a.text("status", string(r.Status))
	a.text("description", r.Description)
	a.text("citations", citeText(r.Citations))
	a.provenance(r.Provenance)
	return a
}

// citeText writes citations as "SOURCE LOCATOR; SOURCE LOCATOR (STATUS)":
// what a source says of a tie, where recorded, in parentheses as CSV
// writes it.
func citeText(cs []coop.Citation) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.SourceID + " " + c.Locator
		if c.Status != "" {
			parts[i] += " (" + string(c.Status) + ")"
		}
	}
	return strings.Join(parts, "; ")
}

func graphmlValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// GraphML writes a directed GraphML document. Node and edge attributes are
// declared as keys named like the API's fields (attr.name), typed (string,
// int, double, boolean).
func GraphML(w io.Writer, g Graph) error {
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
		ID      string  `xml:"id,attr"`
		For     string  `xml:"for,attr"`
		Name    string  `xml:"attr.name,attr"`
		Type    string  `xml:"attr.type,attr"`
		Default *string `xml:"default,omitempty"`
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
	for _, set := range []struct {
		prefix, of string
		keys       []attr
	}{{"n_", "node", nodeKeys}, {"e_", "edge", edgeKeys}} {
		for _, k := range set.keys {
			gk := key{ID: set.prefix + k.key, For: set.of, Name: k.key, Type: k.typ}
			if k.value != nil {
				def := graphmlValue(k.value)
				gk.Default = &def
			}
			d.Keys = append(d.Keys, gk)
		}
	}
	for _, e := range g.Entities {
		n := node{ID: e.EntityID()}
		for _, a := range nodeAttrs(e, g.CitedOnly[e.EntityID()]) {
			n.Data = append(n.Data, data{"n_" + a.key, graphmlValue(a.value)})
		}
		d.Graph.Nodes = append(d.Graph.Nodes, n)
	}
	for _, r := range g.Relationships {
		ed := edge{ID: r.ID, Source: r.FromID, Target: r.ToID}
		for _, a := range edgeAttrs(r) {
			ed.Data = append(ed.Data, data{"e_" + a.key, graphmlValue(a.value)})
		}
		d.Graph.Edges = append(d.Graph.Edges, ed)
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

// CytoscapeDocument is the JSON Cytoscape writes: Cytoscape.js's
// elements, each with its data.
type CytoscapeDocument struct {
	Elements struct {
		Nodes []CytoscapeElement `json:"nodes"`
		Edges []CytoscapeElement `json:"edges"`
	} `json:"elements"`
}

// CytoscapeElement is one node or edge: its id and attributes.
type CytoscapeElement struct {
	Data map[string]any `json:"data"`
}

// Cytoscape writes Cytoscape.js elements JSON: {"elements": {"nodes": [...],
// "edges": [...]}}, each element's data holding its attributes (citations
// as a list of {source, locator}).
func Cytoscape(w io.Writer, g Graph) error {
	type el = CytoscapeElement
	var out CytoscapeDocument
	out.Elements.Nodes, out.Elements.Edges = []el{}, []el{}
	for _, e := range g.Entities {
		data := map[string]any{"id": e.EntityID()}
		for _, a := range nodeAttrs(e, g.CitedOnly[e.EntityID()]) {
			data[a.key] = a.value
		}
		if b := e.EntityBase(); len(b.Aliases) > 0 {
			data["aliases"] = b.Aliases
		}
		data["citations"] = nonNil(e.EntityBase().Citations)
		out.Elements.Nodes = append(out.Elements.Nodes, el{data})
	}
	for _, r := range g.Relationships {
		data := map[string]any{"id": r.ID, "source": r.FromID, "target": r.ToID}
		for _, a := range edgeAttrs(r) {
			data[a.key] = a.value
		}
		data["citations"] = nonNil(r.Citations)
		out.Elements.Edges = append(out.Elements.Edges, el{data})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNil(cs []coop.Citation) []coop.Citation {
	if cs == nil {
		return []coop.Citation{}
	}
	return cs
}
