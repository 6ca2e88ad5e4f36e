package graphfile

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

var (
	fatalities = 3
	g          = Graph{
		Entities: []coop.Entity{
			&coop.Actor{Base: coop.Base{ID: "los-choneros", Name: "Los Choneros", Description: "A gang.", Citations: []coop.Citation{{SourceID: "s", Locator: "¶2"}}},
				Kind: coop.ActorCriminalGroup, CountryID: "ecuador"},
			&coop.Actor{Base: coop.Base{ID: "sinaloa-cartel", Name: `Cártel "de" Sinaloa & co <x>`}, Kind: coop.ActorCartel},
			&coop.Meeting{Base: coop.Base{ID: "talks", Name: "Talks", Synthetic: true}, Date: coop.MustDate("2025-04-04")},
			&coop.Statistic{Base: coop.Base{ID: "rate", Name: "Rate"}, Indicator: "homicide rate", Value: 38.76, Unit: "per 100,000 people"},
			&coop.Event{Base: coop.Base{ID: "raid", Name: "Raid"}, EventType: coop.EventType("DEPLOYMENT"), Fatalities: &fatalities},
			&coop.Source{Base: coop.Base{ID: "s", Name: "A source"}, Kind: coop.SourceKind("NEWS")},
		},
		Relationships: []*coop.Relationship{{ID: "r1", Type: coop.RelSupports, FromID: "sinaloa-cartel", ToID: "los-choneros",
			Since: coop.MustDate("2024-02"), Status: "CONFIRMED", Role: "backer", Citations: []coop.Citation{{SourceID: "s", Locator: "A3"}}}},
		CitedOnly: map[string]bool{"s": true},
	}
	// What every format must say of them, by the API's names; absent: left out.
	wantNodes = map[string]map[string]string{
		"los-choneros":   {"name": "Los Choneros", "type": "Actor", "kind": "CRIMINAL_GROUP", "country": "ecuador", "description": "A gang.", "citations": "s ¶2"},
		"sinaloa-cartel": {"name": `Cártel "de" Sinaloa & co <x>`, "kind": "CARTEL", "country": "", "description": ""},
		"talks":          {"kind": "MEETING", "date": "2025-04-04", "synthetic": "true"},
		"rate":           {"kind": "STATISTIC", "indicator": "homicide rate", "value": "38.76", "unit": "per 100,000 people"},
		"raid":           {"kind": "DEPLOYMENT", "fatalities": "3"},
		"s":              {"kind": "NEWS", "citedOnly": "true", "synthetic": ""},
	}
	wantEdge = map[string]string{"type": "SUPPORTS", "since": "2024-02", "until": "", "status": "CONFIRMED", "role": "backer", "citations": "s A3"}
)

func TestGraphMLCarriesWhatAnalystsFilterOn(t *testing.T) {
	var b bytes.Buffer
	if err := GraphML(&b, g); err != nil {
		t.Fatal(err)
	}
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	var doc struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			Name string `xml:"attr.name,attr"`
		} `xml:"key"`
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
	names := map[string]string{}
	for _, k := range doc.Keys {
		names[k.ID] = k.Name
	}
	values := func(ds []data) map[string]string {
		m := map[string]string{}
		for _, d := range ds {
			if d.Value == "" {
				t.Errorf("key %s is written empty", d.Key)
			}
			m[names[d.Key]] = d.Value
		}
		return m
	}
	if len(doc.Graph.Nodes) != len(g.Entities) || len(doc.Graph.Edges) != 1 {
		t.Fatalf("GraphML graph = %+v", doc.Graph)
	}
	for _, n := range doc.Graph.Nodes {
		got := values(n.Data)
		for k, v := range wantNodes[n.ID] {
			if got[k] != v {
				t.Errorf("node %s: %s = %q; want %q", n.ID, k, got[k], v)
			}
		}
	}
	e := doc.Graph.Edges[0]
	if e.ID != "r1" || e.Source != "sinaloa-cartel" || e.Target != "los-choneros" {
		t.Errorf("edge %s: %s -> %s; want r1: sinaloa-cartel -> los-choneros", e.ID, e.Source, e.Target)
	}
	got := values(e.Data)
	for k, v := range wantEdge {
		if got[k] != v {
			t.Errorf("edge: %s = %q; want %q", k, got[k], v)
		}
	}
	if !strings.Contains(b.String(), "Cártel &#34;de&#34; Sinaloa &amp; co &lt;x&gt;") {
		t.Errorf("names are not escaped as XML:\n%s", b.String())
	}
}

func TestCytoscapeCarriesTheSame(t *testing.T) {
	var b bytes.Buffer
	if err := Cytoscape(&b, g); err != nil {
		t.Fatal(err)
	}
	var doc CytoscapeDocument
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Elements.Nodes) != len(g.Entities) || len(doc.Elements.Edges) != 1 {
		t.Fatalf("cytoscape = %s", b.String())
	}
	text := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case string:
			return x
		case []any:
			var parts []string
			for _, c := range x {
				m := c.(map[string]any)
				parts = append(parts, m["source"].(string)+" "+m["locator"].(string))
			}
			return strings.Join(parts, "; ")
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	for _, n := range doc.Elements.Nodes {
		id := n.Data["id"].(string)
		for k, v := range wantNodes[id] {
			if got := text(n.Data[k]); got != v {
				t.Errorf("node %s: %s = %q; want %q", id, k, got, v)
			}
		}
		if _, labelled := n.Data["label"]; labelled {
			t.Errorf("node %s has a label: names are name everywhere", id)
		}
	}
	e := doc.Elements.Edges[0].Data
	if e["id"] != "r1" || e["source"] != "sinaloa-cartel" || e["target"] != "los-choneros" {
		t.Errorf("edge = %v", e)
	}
	for k, v := range wantEdge {
		if got := text(e[k]); got != v {
			t.Errorf("edge: %s = %q; want %q", k, got, v)
		}
	}
}
