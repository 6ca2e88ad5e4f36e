package peer

import (
	"encoding/json"
	"strings"
	"testing"
)

// agree and differ run a check on two answers written as JSON.
func agree(t *testing.T, same func(c, p json.RawMessage) error, c, p string) {
	t.Helper()
	if err := same(json.RawMessage(c), json.RawMessage(p)); err != nil {
		t.Errorf("answers that agree were found to differ: %v\ncoopgraph: %s\npeer: %s", err, c, p)
	}
}

func differ(t *testing.T, same func(c, p json.RawMessage) error, c, p string, wants ...string) {
	t.Helper()
	err := same(json.RawMessage(c), json.RawMessage(p))
	if err == nil {
		t.Errorf("answers that differ were found to agree:\ncoopgraph: %s\npeer: %s", c, p)
		return
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the difference %q does not say %q", err, w)
		}
	}
}

func peerNetwork(depth string) func(c, p json.RawMessage) error {
	return func(c, p json.RawMessage) error { return sameNetwork(c, p, "networkDepth"+depth) }
}

const coopgraphNetwork = `{"network": {"truncated": false,
  "nodes": [{"id": "a", "name": "A", "kind": "PERSON"}, {"id": "b", "name": "B", "kind": "COUNTRY"}, {"id": "m", "name": "M", "kind": "MEETING"}],
  "edges": [{"id": "r1", "source": "a", "target": "b", "type": "IN_COUNTRY", "since": null, "until": null, "status": "CONFIRMED"},
            {"id": "r2", "source": "a", "target": "m", "type": "PARTICIPATED_IN", "since": "2025-04", "until": null, "status": "REPORTED"}]}}`

func TestPeerNetworksAgreeInAnyOrder(t *testing.T) {
	agree(t, peerNetwork("1"), coopgraphNetwork, `{"networkDepth1": {"truncated": false,
  "nodes": [{"id": "m", "name": "M", "kind": "MEETING"}, {"id": "a", "name": "A", "kind": "PERSON"}, {"id": "b", "name": "B", "kind": "COUNTRY"}],
  "edges": [{"id": "r2", "source": "a", "target": "m", "type": "PARTICIPATED_IN", "since": "2025-04", "until": null, "status": "REPORTED"},
            {"id": "r1", "source": "a", "target": "b", "type": "IN_COUNTRY", "since": null, "until": null, "status": "CONFIRMED"}]}}`)
}

func TestPeerNetworksThatDifferAreReported(t *testing.T) {
	// A tie the peer lacks and one only it has.
	differ(t, peerNetwork("2"), coopgraphNetwork, `{"networkDepth2": {"truncated": false,
  "nodes": [{"id": "a", "name": "A", "kind": "PERSON"}, {"id": "b", "name": "B", "kind": "COUNTRY"}, {"id": "m", "name": "M", "kind": "MEETING"}],
  "edges": [{"id": "r1", "source": "a", "target": "b", "type": "IN_COUNTRY", "since": null, "until": null, "status": "CONFIRMED"},
            {"id": "r3", "source": "a", "target": "m", "type": "PARTICIPATED_IN", "since": "2025-04", "until": null, "status": "REPORTED"}]}}`,
		"edges differ", "only coopgraph's: r2", "only the peer's: r3")
	// The same tie with another date.
	differ(t, peerNetwork("1"), coopgraphNetwork, strings.Replace(strings.Replace(coopgraphNetwork, `"2025-04"`, `"2025-05"`, 1),
		`"network"`, `"networkDepth1"`, 1), "edges r2", "2025-04", "2025-05")
	// A kind.
	differ(t, peerNetwork("1"), coopgraphNetwork, strings.Replace(strings.Replace(coopgraphNetwork, `"MEETING"`, `"Meeting"`, 1),
		`"network"`, `"networkDepth1"`, 1), "nodes m")
	// Truncation.
	differ(t, peerNetwork("1"), coopgraphNetwork, strings.Replace(strings.Replace(coopgraphNetwork, `false`, `true`, 1),
		`"network"`, `"networkDepth1"`, 1), "truncated")
	// The peer's field under another name: the wrong depth was asked.
	differ(t, peerNetwork("2"), coopgraphNetwork, strings.Replace(coopgraphNetwork, `"network"`, `"networkDepth1"`, 1), "no networkDepth2")
	// A tie twice.
	differ(t, peerNetwork("1"), coopgraphNetwork, strings.Replace(strings.Replace(coopgraphNetwork, `"r2"`, `"r1"`, 1),
		`"network"`, `"networkDepth1"`, 1), "the peer gave r1 twice")
}

func TestPeerEmptyAnswersProveNothing(t *testing.T) {
	empty := `{"network": {"truncated": false, "nodes": [], "edges": []}}`
	differ(t, peerNetwork("1"), empty, strings.Replace(empty, `"network"`, `"networkDepth1"`, 1), "nothing to compare")
	differ(t, sameActor, `{"actor": null}`, `{"actors": []}`, "nothing to compare")
	differ(t, samePeople, `{"actors": {"nodes": []}}`, `{"actors": []}`, "nothing to compare")
	differ(t, sameSearch, `{"search": []}`, `{"search": []}`, "nothing to compare")
}

func TestPeerActorsAgreeWithTheCountryAsAList(t *testing.T) {
	c := `{"actor": {"id": "p1", "name": "Gaqui Kasanlo 901", "kind": "PERSON", "aliases": ["Gameka 901"], "country": {"id": "c1", "name": "Quimevel"}}}`
	agree(t, sameActor, c, `{"actors": [{"id": "p1", "name": "Gaqui Kasanlo 901", "kind": "PERSON", "aliases": ["Gameka 901"], "country": [{"id": "c1", "name": "Quimevel"}]}]}`)
	agree(t, sameActor, `{"actor": {"id": "p1", "name": "N", "kind": "PERSON", "aliases": [], "country": null}}`,
		`{"actors": [{"id": "p1", "name": "N", "kind": "PERSON", "aliases": [], "country": []}]}`)
	differ(t, sameActor, c, `{"actors": [{"id": "p1", "name": "Gaqui Kasanlo 901", "kind": "PERSON", "aliases": ["Gameka 901"], "country": []}]}`,
		"the actors differ", `"country":{"id":"c1"`, `"country":null`)
	differ(t, sameActor, c, `{"actors": []}`, "the actors differ")
	differ(t, sameActor, c, `{"actors": [{"id": "p1", "name": "N", "kind": "PERSON", "aliases": [], "country": [{"id": "c1", "name": "Q"}, {"id": "c2", "name": "R"}]}]}`,
		"2 countries")
	differ(t, sameActor, c, `{"actors": {"id": "p1"}}`, "the peer's answer does not have the expected shape")
}

const coopgraphPeople = `{"actors": {"nodes": [
  {"id": "p1", "name": "A", "relationships": {"nodes": [
    {"id": "r1", "type": "IN_COUNTRY", "since": null, "other": {"id": "c1", "name": "C"}},
    {"id": "r2", "type": "SUPPORTS", "since": "2001", "other": {"id": "p1", "name": "A"}}]}},
  {"id": "p2", "name": "B", "relationships": {"nodes": []}}]}}`

const peerPeople = `{"actors": [
  {"id": "p1", "name": "A", "relationships": [
    {"id": "r1", "type": "IN_COUNTRY", "since": null, "other": {"id": "c1", "name": "C"}},
    {"id": "r2", "type": "SUPPORTS", "since": "2001", "other": {"id": "p1", "name": "A"}}]},
  {"id": "p2", "name": "B", "relationships": []}]}`

func TestPeerNestedListsAgreeInOrder(t *testing.T) {
	agree(t, samePeople, coopgraphPeople, peerPeople)
	swapped := `{"actors": [{"id": "p2", "name": "B", "relationships": []}, {"id": "p1", "name": "A", "relationships": [
    {"id": "r1", "type": "IN_COUNTRY", "since": null, "other": {"id": "c1", "name": "C"}},
    {"id": "r2", "type": "SUPPORTS", "since": "2001", "other": {"id": "p1", "name": "A"}}]}]}`
	differ(t, samePeople, coopgraphPeople, swapped, "people come in another order", "at 0 coopgraph gave p1, the peer p2")
	differ(t, samePeople, coopgraphPeople, strings.Replace(peerPeople, `"other": {"id": "p1"`, `"other": {"id": "p9"`, 1),
		"people p1: ties r2")
	differ(t, samePeople, coopgraphPeople, strings.Replace(peerPeople, `"name": "B"`, `"name": "Bee"`, 1), "people p2: names differ")
}

func TestPeerTypedTiesAgreeWhicheverEndTheHubIs(t *testing.T) {
	c := `{"actor": {"id": "hub", "relationships": {"nodes": [
  {"id": "r1", "type": "OPERATES_IN", "since": null, "from": {"id": "g1"}, "to": {"id": "hub"}},
  {"id": "r2", "type": "OPERATES_IN", "since": "2018-02", "from": {"id": "hub"}, "to": {"id": "place9"}}]}}}`
	p := `{"actors": [{"id": "hub", "operatesInConnection": {"edges": [
  {"properties": {"id": "r1", "since": null}, "node": {"id": "g1"}},
  {"properties": {"id": "r2", "since": "2018-02"}, "node": {"id": "place9"}}]}}]}`
	agree(t, sameTypedTies, c, p)
	differ(t, sameTypedTies, c, strings.Replace(p, `"place9"`, `"place8"`, 1), "ties r2", "place9", "place8")
	differ(t, sameTypedTies, c, strings.Replace(p, `"r2"`, `"r0"`, 1), "only coopgraph's: r2", "only the peer's: r0")
	differ(t, sameTypedTies, c, `{"actors": []}`, "the hub is missing")
}

func TestPeerSearchAgreesOnTheBestHitAndEveryWordHits(t *testing.T) {
	c := `{"search": [
  {"score": 50.9, "match": "EXACT", "matched": "Gaqui Kasanlo 901", "entity": {"id": "p901", "name": "Gaqui Kasanlo 901"}},
  {"score": 20.1, "match": "PREFIX", "matched": "Gaqui Kasanlo 9011", "entity": {"id": "p9011", "name": "Gaqui Kasanlo 9011"}},
  {"score": 15.3, "match": "SOME", "matched": "Lolin Kasanlo 50888", "entity": {"id": "m50888", "name": "Lolin Kasanlo 50888"}}]}`
	p := `{"search": [
  {"score": 50.9, "strict": true, "entity": {"id": "p901", "name": "Gaqui Kasanlo 901"}},
  {"score": 20.1, "strict": true, "entity": {"id": "p9011", "name": "Gaqui Kasanlo 9011"}},
  {"score": 17.6, "strict": false, "entity": {"id": "p3198", "name": "Marlo Linber 3198"}}]}`
	agree(t, sameSearch, c, p)
	shared, of, err := searchOverlap(json.RawMessage(c), json.RawMessage(p))
	if err != nil || shared != 2 || of != 3 {
		t.Errorf("overlap = %d of %d (%v), want 2 of 3", shared, of, err)
	}
	// Another best hit.
	differ(t, sameSearch, c, strings.Replace(strings.Replace(p, `"p901"`, `"px"`, 1), `"p9011"`, `"p901"`, 1),
		"the best hits differ", "coopgraph's is p901 (EXACT), the peer's px")
	// A hit holding every word that the peer does not have.
	differ(t, sameSearch, c, strings.Replace(p, `{"score": 20.1, "strict": true, "entity": {"id": "p9011", "name": "Gaqui Kasanlo 9011"}},`, "", 1),
		"hits holding every word differ", "the peer lacks p9011")
	// The peer found nothing.
	differ(t, sameSearch, c, `{"search": []}`, "the peer found nothing")
	// A page full of hits holding every word: each server ranks them its own way.
	full := `{"search": [
  {"score": 50.9, "strict": true, "entity": {"id": "p901", "name": "Gaqui Kasanlo 901"}},
  {"score": 30.0, "strict": true, "entity": {"id": "p9012", "name": "Gaqui Kasanlo 9012"}}]}`
	agree(t, sameSearch, c, full)
}

func TestPeerListsReportAtMostFiveIds(t *testing.T) {
	if got := some([]string{"g", "f", "e", "d", "c", "b", "a"}); got != "a, b, c, d, e and 2 more" {
		t.Errorf("some = %q", got)
	}
	if got := some(nil); got != "none" {
		t.Errorf("some(nil) = %q", got)
	}
}
