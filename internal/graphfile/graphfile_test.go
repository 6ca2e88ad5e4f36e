package graphfile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

var (
	nodes = []Node{
		NodeOf(&coop.Actor{Base: coop.Base{ID: "los-choneros", Name: "Los Choneros", Citations: []coop.Citation{{SourceID: "s", Locator: "¶2"}}}, Kind: coop.ActorCriminalGroup}),
		NodeOf(&coop.Actor{Base: coop.Base{ID: "sinaloa-cartel", Name: `Cártel "de" Sinaloa & co <x>`}, Kind: coop.ActorCartel}),
	}
	edges = []*coop.Relationship{{ID: "r1", Type: coop.RelSupports, FromID: "sinaloa-cartel", ToID: "los-choneros",
		Since: coop.MustDate("2024-02"), Status: "CONFIRMED", Citations: []coop.Citation{{SourceID: "s", Locator: "A3"}}}}
)

func TestGraphMLIsWellFormedWithEveryNodeAndEdge(t *testing.T) {
	var b bytes.Buffer
	if err := GraphML(&b, nodes, edges); err != nil {
		t.Fatal(err)
	}
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []data `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				ID     string `xml:"id,attr"`
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []data `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("GraphML does not parse: %v\n%s", err, b.String())
	}
	values := func(ds []data) map[string]string {
		m := map[string]string{}
		for _, d := range ds {
			m[d.Key] = d.Value
		}
		return m
	}
	if len(doc.Graph.Nodes) != 2 || len(doc.Graph.Edges) != 1 {
		t.Fatalf("GraphML graph = %+v", doc.Graph)
	}
	for i, want := range []map[string]string{
		{"id": "los-choneros", "n_label": "Los Choneros", "n_type": "Actor", "n_kind": "CRIMINAL_GROUP", "n_citations": "s ¶2"},
		{"id": "sinaloa-cartel", "n_label": `Cártel "de" Sinaloa & co <x>`, "n_type": "Actor", "n_kind": "CARTEL", "n_citations": ""},
	} {
		got := values(doc.Graph.Nodes[i].Data)
		got["id"] = doc.Graph.Nodes[i].ID
		for k, v := range want {
			if got[k] != v {
				t.Errorf("node %d: %s = %q; want %q", i, k, got[k], v)
			}
		}
	}
	e := doc.Graph.Edges[0]
	got := values(e.Data)
	want := map[string]string{"e_type": "SUPPORTS", "e_since": "2024-02", "e_until": "", "e_status": "CONFIRMED", "e_citations": "s A3"}
	if e.ID != "r1" || e.Source != "sinaloa-cartel" || e.Target != "los-choneros" {
		t.Errorf("edge %s: %s -> %s; want r1: sinaloa-cartel -> los-choneros", e.ID, e.Source, e.Target)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("edge: %s = %q; want %q", k, got[k], v)
		}
	}
	if !strings.Contains(b.String(), "Cártel &#34;de&#34; Sinaloa &amp; co &lt;x&gt;") {
		t.Errorf("names are not escaped as XML:\n%s", b.String())
	}
}

func TestCytoscapeElements(t *testing.T) {
	var b bytes.Buffer
	if err := Cytoscape(&b, nodes, edges); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Elements struct {
			Nodes []struct{ Data map[string]any } `json:"nodes"`
			Edges []struct{ Data map[string]any } `json:"edges"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Elements.Nodes) != 2 || len(doc.Elements.Edges) != 1 {
		t.Fatalf("cytoscape = %s", b.String())
	}
	for i, want := range []map[string]any{
		{"id": "los-choneros", "label": "Los Choneros", "type": "Actor", "kind": "CRIMINAL_GROUP"},
		{"id": "sinaloa-cartel", "label": `Cártel "de" Sinaloa & co <x>`, "type": "Actor", "kind": "CARTEL"},
	} {
		for k, v := range want {
			if got := doc.Elements.Nodes[i].Data[k]; got != v {
				t.Errorf("node %d: %s = %v; want %v", i, k, got, v)
			}
		}
	}
	e := doc.Elements.Edges[0].Data
	for k, v := range map[string]any{"id": "r1", "source": "sinaloa-cartel", "target": "los-choneros", "type": "SUPPORTS", "since": "2024-02", "status": "CONFIRMED"} {
		if e[k] != v {
			t.Errorf("edge: %s = %v; want %v", k, e[k], v)
		}
	}
	if cs := e["citations"].([]any); len(cs) != 1 || cs[0].(map[string]any)["locator"] != "A3" {
		t.Errorf("edge citations = %v", e["citations"])
	}
}

func TestCSVHasHeadersAndOneRowEach(t *testing.T) {
	var nb, eb bytes.Buffer
	if err := CSV(&nb, &eb, nodes, edges); err != nil {
		t.Fatal(err)
	}
	nr, err := csv.NewReader(&nb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	er, err := csv.NewReader(&eb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(nr) != 3 || nr[0][0] != "id" || nr[2][1] != `Cártel "de" Sinaloa & co <x>` || len(er) != 2 || er[1][8] != "s A3" {
		t.Errorf("nodes %v\nedges %v", nr, er)
	}
}
