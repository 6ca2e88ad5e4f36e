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
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID string `xml:"id,attr"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("GraphML does not parse: %v\n%s", err, b.String())
	}
	if len(doc.Graph.Nodes) != 2 || len(doc.Graph.Edges) != 1 || doc.Graph.Edges[0].Source != "sinaloa-cartel" {
		t.Errorf("GraphML graph = %+v", doc.Graph)
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
	e := doc.Elements.Edges[0].Data
	if len(doc.Elements.Nodes) != 2 || e["source"] != "sinaloa-cartel" || e["target"] != "los-choneros" || e["since"] != "2024-02" {
		t.Errorf("cytoscape = %s", b.String())
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
