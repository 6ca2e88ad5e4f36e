package peer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Each same* function reads the two answers into one shape, the parts
// that do not depend on either server's API, and says where they differ.

type named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func decode(side string, raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s's answer does not have the expected shape: %w: %.300s", side, err, raw)
	}
	return nil
}

func decodeBoth(c, p json.RawMessage, cv, pv any) error {
	if err := decode("coopgraph", c, cv); err != nil {
		return err
	}
	return decode("the peer", p, pv)
}

// sameValue compares two values as JSON.
func sameValue(what string, c, p any) error {
	cj, _ := json.Marshal(c)
	pj, _ := json.Marshal(p)
	if bytes.Equal(cj, pj) {
		return nil
	}
	return fmt.Errorf("%s differ:\n  coopgraph: %.400s\n  peer:      %.400s", what, cj, pj)
}

// sameList compares lists whose elements have ids: the same ids, in the
// same order when ordered matters, each element equal by eq (or, without
// it, as JSON). what names the elements ("edges").
func sameList[T any](what string, c, p []T, id func(T) string, ordered bool, eq func(c, p T) error) error {
	ci, err := index(what, "coopgraph", c, id)
	if err != nil {
		return err
	}
	pi, err := index(what, "the peer", p, id)
	if err != nil {
		return err
	}
	var onlyC, onlyP []string
	for k := range ci {
		if _, ok := pi[k]; !ok {
			onlyC = append(onlyC, k)
		}
	}
	for k := range pi {
		if _, ok := ci[k]; !ok {
			onlyP = append(onlyP, k)
		}
	}
	if len(onlyC) > 0 || len(onlyP) > 0 {
		return fmt.Errorf("%s differ: coopgraph gave %d, the peer %d; only coopgraph's: %s; only the peer's: %s",
			what, len(c), len(p), some(onlyC), some(onlyP))
	}
	if ordered {
		for i := range c {
			if id(c[i]) != id(p[i]) {
				return fmt.Errorf("%s come in another order: at %d coopgraph gave %s, the peer %s", what, i, id(c[i]), id(p[i]))
			}
		}
	}
	if eq == nil {
		eq = func(a, b T) error { return sameValue(what, a, b) }
	}
	for _, k := range slices.Sorted(maps.Keys(ci)) {
		if err := eq(c[ci[k]], p[pi[k]]); err != nil {
			return fmt.Errorf("%s %s: %w", what, k, err)
		}
	}
	return nil
}

func index[T any](what, side string, xs []T, id func(T) string) (map[string]int, error) {
	m := make(map[string]int, len(xs))
	for i, x := range xs {
		k := id(x)
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("%s: %s gave %s twice", what, side, k)
		}
		m[k] = i
	}
	return m, nil
}

// some lists up to five ids, sorted, and how many more there are.
func some(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	slices.Sort(ids)
	if len(ids) <= 5 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:5], ", "), len(ids)-5)
}

// actor by id: coopgraph's actor (or null), the peer's list of the actors
// with that id (one or none); the country is a one-element list there.
type actorView struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Aliases []string `json:"aliases"`
	Country *named   `json:"country"`
}

func sameActor(c, p json.RawMessage) error {
	var ca struct {
		Actor *actorView `json:"actor"`
	}
	var pa struct {
		Actors []struct {
			actorView
			Country []named `json:"country"`
		} `json:"actors"`
	}
	if err := decodeBoth(c, p, &ca, &pa); err != nil {
		return err
	}
	var peer *actorView
	switch len(pa.Actors) {
	case 0:
	case 1:
		a := pa.Actors[0]
		peer = &a.actorView
		switch len(a.Country) {
		case 0:
			peer.Country = nil
		case 1:
			peer.Country = &a.Country[0]
		default:
			return fmt.Errorf("the peer gave %s %d countries", a.ID, len(a.Country))
		}
	default:
		return fmt.Errorf("the peer found %d actors with one id", len(pa.Actors))
	}
	if ca.Actor == nil {
		return errNothing("actor")
	}
	return sameValue("the actors", ca.Actor, peer)
}

// nested list: the page of people, in order, each with its first ties in
// order.
type tieView struct {
	ID    string  `json:"id"`
	Type  string  `json:"type"`
	Since *string `json:"since"`
	Other named   `json:"other"`
}

type personView struct {
	ID   string    `json:"id"`
	Name string    `json:"name"`
	Ties []tieView `json:"ties"`
}

func samePeople(c, p json.RawMessage) error {
	var ca struct {
		Actors struct {
			Nodes []struct {
				ID            string `json:"id"`
				Name          string `json:"name"`
				Relationships struct {
					Nodes []tieView `json:"nodes"`
				} `json:"relationships"`
			} `json:"nodes"`
		} `json:"actors"`
	}
	var pa struct {
		Actors []struct {
			ID            string    `json:"id"`
			Name          string    `json:"name"`
			Relationships []tieView `json:"relationships"`
		} `json:"actors"`
	}
	if err := decodeBoth(c, p, &ca, &pa); err != nil {
		return err
	}
	if len(ca.Actors.Nodes) == 0 {
		return errNothing("people")
	}
	var cp, pp []personView
	for _, n := range ca.Actors.Nodes {
		cp = append(cp, personView{n.ID, n.Name, n.Relationships.Nodes})
	}
	for _, n := range pa.Actors {
		pp = append(pp, personView{n.ID, n.Name, n.Relationships})
	}
	return sameList("people", cp, pp, func(v personView) string { return v.ID }, true, func(c, p personView) error {
		if c.Name != p.Name {
			return sameValue("names", c.Name, p.Name)
		}
		return sameList("ties", c.Ties, p.Ties, func(t tieView) string { return t.ID }, true, nil)
	})
}

// network: the same nodes and edges, in any order, and the same verdict
// on truncation.
type networkView struct {
	Truncated bool      `json:"truncated"`
	Nodes     []netNode `json:"nodes"`
	Edges     []netEdge `json:"edges"`
}

type netNode struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type netEdge struct {
	ID     string  `json:"id"`
	Source string  `json:"source"`
	Target string  `json:"target"`
	Type   string  `json:"type"`
	Since  *string `json:"since"`
	Until  *string `json:"until"`
	Status string  `json:"status"`
}

func sameNetwork(c, p json.RawMessage, peerField string) error {
	var ca struct {
		Network networkView `json:"network"`
	}
	var pa map[string]networkView
	if err := decodeBoth(c, p, &ca, &pa); err != nil {
		return err
	}
	pn, ok := pa[peerField]
	if !ok {
		return fmt.Errorf("the peer's answer has no %s", peerField)
	}
	cn := ca.Network
	if len(cn.Edges) == 0 {
		return errNothing("ties")
	}
	if err := sameList("nodes", cn.Nodes, pn.Nodes, func(n netNode) string { return n.ID }, false, nil); err != nil {
		return err
	}
	if err := sameList("edges", cn.Edges, pn.Edges, func(e netEdge) string { return e.ID }, false, nil); err != nil {
		return err
	}
	if cn.Truncated != pn.Truncated {
		return sameValue("truncated", cn.Truncated, pn.Truncated)
	}
	return nil
}

// one relationship type of one entity: the ties in order of id, each by
// its id, its start date and the entity at the other end. (The peer's
// connection reads in both directions and does not say which end is which.)
type typedTie struct {
	ID    string  `json:"id"`
	Since *string `json:"since"`
	Other string  `json:"other"`
}

func sameTypedTies(c, p json.RawMessage) error {
	var ca struct {
		Actor *struct {
			ID            string `json:"id"`
			Relationships struct {
				Nodes []struct {
					ID    string  `json:"id"`
					Type  string  `json:"type"`
					Since *string `json:"since"`
					From  named   `json:"from"`
					To    named   `json:"to"`
				} `json:"nodes"`
			} `json:"relationships"`
		} `json:"actor"`
	}
	var pa struct {
		Actors []struct {
			ID                   string `json:"id"`
			OperatesInConnection struct {
				Edges []struct {
					Properties struct {
						ID    string  `json:"id"`
						Since *string `json:"since"`
					} `json:"properties"`
					Node named `json:"node"`
				} `json:"edges"`
			} `json:"operatesInConnection"`
		} `json:"actors"`
	}
	if err := decodeBoth(c, p, &ca, &pa); err != nil {
		return err
	}
	if ca.Actor == nil || len(pa.Actors) != 1 {
		return fmt.Errorf("the hub is missing: coopgraph found it: %t; the peer found %d actors", ca.Actor != nil, len(pa.Actors))
	}
	var ct, pt []typedTie
	for _, r := range ca.Actor.Relationships.Nodes {
		other := r.To.ID
		if other == ca.Actor.ID {
			other = r.From.ID
		}
		ct = append(ct, typedTie{r.ID, r.Since, other})
	}
	for _, e := range pa.Actors[0].OperatesInConnection.Edges {
		pt = append(pt, typedTie{e.Properties.ID, e.Properties.Since, e.Node.ID})
	}
	if len(ct) == 0 {
		return errNothing("ties")
	}
	return sameList("ties", ct, pt, func(t typedTie) string { return t.ID }, true, nil)
}

// search: both ask the same full-text index the same Lucene queries
// (every word first, then any word, within one typo too, when the first
// finds fewer than wanted), then rank differently: coopgraph by how a name
// matches (exact, every word, prefixes, typos, some words), then by fewer
// other words, more ties, and the index's score; the peer by the index's
// score, hits holding every word first. So the answers agree when the best
// hit is the same entity and every hit coopgraph finds holding every word
// in one name is among the peer's hits holding every word (when those do
// not fill the page, so that the peer gave them all). Lower down, the two
// pick different hits among many of equal score; searchOverlap counts how
// many they share.
type searchHit struct {
	Score  float64 `json:"score"`
	Match  string  `json:"match"`  // coopgraph's
	Strict bool    `json:"strict"` // the peer's
	Entity named   `json:"entity"`
}

func decodeSearch(c, p json.RawMessage) (ch, ph []searchHit, err error) {
	var ca, pa struct {
		Search []searchHit `json:"search"`
	}
	if err := decodeBoth(c, p, &ca, &pa); err != nil {
		return nil, nil, err
	}
	return ca.Search, pa.Search, nil
}

func sameSearch(c, p json.RawMessage) error {
	ch, ph, err := decodeSearch(c, p)
	if err != nil {
		return err
	}
	if len(ch) == 0 {
		return errNothing("hits")
	}
	if len(ph) == 0 {
		return fmt.Errorf("the peer found nothing; coopgraph found %s first", ch[0].Entity.ID)
	}
	if ch[0].Entity.ID != ph[0].Entity.ID {
		return fmt.Errorf("the best hits differ: coopgraph's is %s (%s), the peer's %s", ch[0].Entity.ID, ch[0].Match, ph[0].Entity.ID)
	}
	strict := map[string]bool{}
	for _, h := range ph {
		if h.Strict {
			strict[h.Entity.ID] = true
		}
	}
	if len(strict) == len(ph) {
		return nil // a page full of hits holding every word: each server ranks them its own way
	}
	var missing []string
	for _, h := range ch {
		switch h.Match {
		case "EXACT", "WORDS", "PREFIX":
			if !strict[h.Entity.ID] {
				missing = append(missing, h.Entity.ID)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("hits holding every word differ: the peer lacks %s", some(missing))
	}
	return nil
}

// searchOverlap is how many of coopgraph's hits the peer gave too, of how
// many coopgraph gave.
func searchOverlap(c, p json.RawMessage) (shared, of int, err error) {
	ch, ph, err := decodeSearch(c, p)
	if err != nil {
		return 0, 0, err
	}
	in := map[string]bool{}
	for _, h := range ph {
		in[h.Entity.ID] = true
	}
	for _, h := range ch {
		if in[h.Entity.ID] {
			shared++
		}
	}
	return shared, len(ch), nil
}

// errNothing says that coopgraph's answer is empty where the generated
// graph has something: equal empty answers would prove nothing.
func errNothing(what string) error {
	return fmt.Errorf("nothing to compare: coopgraph gave no %s (is the generated graph loaded?)", what)
}
