package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// A tie is as sure as its surest source, and each citation keeps what its
// own source said: a later confirmation lifts a report; a status the
// citations do not bear out is refused and changes nothing.
func TestATiesStatusComesFromWhatEachSourceSays(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	const article, choneros = "ecuador-pentagon-2025", "us-treasury-2024-02-07-los-choneros"
	before := w.snapshot(t)
	for _, q := range []string{
		// REPORTED, but A3 is given as CONFIRMED.
		`mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng", status: REPORTED,
		  citations: [{source: "` + article + `", locator: "¶9", status: REPORTED}, {source: "` + choneros + `", locator: "A3", status: CONFIRMED}]}) { created } }`,
		// No status given, and no citation says one.
		`mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng", citations: [{source: "` + article + `", locator: "¶9"}]}) { created } }`,
	} {
		if r := w.as(t, ed, q, nil); r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "status" {
			t.Errorf("%s: %s; want BAD_USER_INPUT on status", q, r.Raw)
		}
	}
	if r := w.as(t, ed, `mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng",
	  citations: [{source: "`+article+`", locator: "¶9", status: ENDED}]}) { created } }`, nil); r.ErrorCode() != "BAD_USER_INPUT" {
		t.Errorf("a citation saying ENDED: %s", r.Raw)
	}
	w.mustBeUnchanged(t, before, "ties whose status their citations do not bear out")

	r := w.as(t, ed, `mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng",
	  citations: [{source: "`+article+`", locator: "¶9", status: ALLEGED}]}) { relationship { id status version citations { locator status } } } }`, nil).MustOK(t)
	if r.At("createRelationship", "relationship", "status") != "ALLEGED" {
		t.Errorf("a tie one source alleges: %s", r.Raw)
	}
	id := r.At("createRelationship", "relationship", "id")
	// A later source reports it: the tie is REPORTED, the first citation still ALLEGED.
	r = w.as(t, ed, `mutation($id: ID!) { updateRelationship(id: $id, expectedVersion: 1, set: {role: "backing"},
	  citations: [{source: "`+choneros+`", locator: "A3", status: REPORTED}]) { relationship { status citations { locator status } } } }`,
		map[string]any{"id": id}).MustOK(t)
	if got := fmt.Sprint(r.At("updateRelationship", "relationship")); got != "map[citations:[map[locator:¶9 status:ALLEGED] map[locator:A3 status:REPORTED]] status:REPORTED]" {
		t.Errorf("after a later report: %s", got)
	}
	// Ending it keeps what each source said.
	r = w.as(t, ed, `mutation($id: ID!) { endRelationship(id: $id, until: "2025", citations: [{source: "`+article+`", locator: "¶9"}]) {
	  relationship { status until citations { locator status } } } }`, map[string]any{"id": id}).MustOK(t)
	if got := fmt.Sprint(r.At("endRelationship", "relationship")); got != "map[citations:[map[locator:¶9 status:ALLEGED] map[locator:A3 status:REPORTED]] status:ENDED until:2025]" {
		t.Errorf("ended: %s", got)
	}
	// An entity's citations say nothing of how sure: that belongs to ties.
	if r := w.as(t, ed, `mutation { createActor(input: {id: "x-group", name: "X Group", kind: CRIMINAL_GROUP,
	  citations: [{source: "`+article+`", locator: "¶2", status: CONFIRMED}]}) { created } }`, nil); r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "citations[0].status" {
		t.Errorf("an entity citation with a status: %s", r.Raw)
	}
}

// A fact says whether its passages state it or an editor inferred it, and
// how; aliases no source uses are marked; a figure says how its value
// bounds it. All of it comes back as written.
func TestFactsSayOnWhatTheyRest(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	cite := `[{source: "ecuador-pentagon-2025", locator: "¶14"}]`
	before := w.snapshot(t)
	for q, field := range map[string]string{
		`mutation { createActor(input: {id: "x-group", name: "X Group", kind: CRIMINAL_GROUP, basis: INFERRED, citations: ` + cite + `}) { created } }`:                          "inference",
		`mutation { createActor(input: {id: "x-group", name: "X Group", kind: CRIMINAL_GROUP, inference: "because", citations: ` + cite + `}) { created } }`:                     "inference",
		`mutation { createActor(input: {id: "x-group", name: "X Group", kind: CRIMINAL_GROUP, aliases: ["XG"], editorialAliases: ["X"], citations: ` + cite + `}) { created } }`: "editorialAliases",
	} {
		if r := w.as(t, ed, q, nil); r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != field {
			t.Errorf("%s: %s; want BAD_USER_INPUT on %s", q, r.Raw, field)
		}
	}
	w.mustBeUnchanged(t, before, "facts with a bad basis")

	r := w.as(t, ed, `mutation { a: createActor(input: {id: "x-group", name: "X Group", kind: CRIMINAL_GROUP, aliases: ["XG", "Grupo X"], editorialAliases: ["XG"],
	    basis: INFERRED, inference: "The paragraph speaks of a group without naming it; the name is the editor's.", citations: `+cite+`}) { entity { basis inference aliases editorialAliases } }
	  s: createStatistic(input: {id: "x-deaths", name: "X deaths", indicator: "violent deaths", value: 6900, bound: AT_LEAST, unit: "deaths",
	    periodStart: "2024", periodEnd: "2024", citations: `+cite+`}) { entity { basis inference ... on Statistic { value bound } } }
	  e: createStatistic(input: {id: "x-deaths-exact", name: "X deaths exact", indicator: "violent deaths", value: 1, unit: "deaths",
	    periodStart: "2024", periodEnd: "2024", citations: `+cite+`}) { entity { ... on Statistic { bound } } } }`, nil).MustOK(t)
	want := "map[a:map[entity:map[aliases:[XG Grupo X] basis:INFERRED editorialAliases:[XG] inference:The paragraph speaks of a group without naming it; the name is the editor's.]] " +
		"e:map[entity:map[bound:EXACT]] s:map[entity:map[basis:STATED bound:AT_LEAST inference:<nil> value:6900]]]"
	if got := fmt.Sprint(r.Data); got != want {
		t.Errorf("provenance as written:\n got %s\nwant %s", got, want)
	}

	// An alias a source uses stops being editorial once a citation shows it.
	r = w.as(t, ed, `mutation { addAliases(id: "x-group", aliases: ["Banda X"], editorial: true, citations: `+cite+`) { entity { editorialAliases } } }`, nil).MustOK(t)
	if got := fmt.Sprint(r.At("addAliases", "entity", "editorialAliases")); got != "[XG Banda X]" {
		t.Errorf("after an editorial alias: %s", got)
	}
	r = w.as(t, ed, `mutation { addAliases(id: "x-group", aliases: ["XG"], citations: `+cite+`) { entity { aliases editorialAliases } } }`, nil).MustOK(t)
	if got := fmt.Sprint(r.At("addAliases", "entity")); got != "map[aliases:[XG Grupo X Banda X] editorialAliases:[Banda X]]" {
		t.Errorf("after a source uses XG: %s", got)
	}
	r = w.as(t, ed, `mutation { removeAliases(id: "x-group", aliases: ["Banda X"], reason: "no such name") { entity { aliases editorialAliases } } }`, nil).MustOK(t)
	if got := fmt.Sprint(r.At("removeAliases", "entity")); got != "map[aliases:[XG Grupo X] editorialAliases:[]]" {
		t.Errorf("after removing it: %s", got)
	}
	w.snapshot(t) // mentions and country ties still hold
}

// The seed says how sure it is, as the fact-check of its records against
// their passages found it should.
func TestTheSeedSaysHowSureItIs(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{
	  deaths: statistic(id: "stat-ecuador-violent-deaths-2024") { value bound }
	  sofa: agreement(id: "us-ecuador-sofa-2024") { name kind status signed editorialAliases }
	  base: agreement(id: "us-military-base-in-ecuador-proposal") { status }
	  minister: actor(id: "gian-carlo-loffredo-rendon") { name aliases editorialAliases }
	  dod: actor(id: "us-department-of-defense") { aliases }
	  us: actor(id: "united-states") { editorialAliases relationships(types: [RIVAL_OF]) { nodes { id } } }
	  absence: event(id: "macias-villamar-prison-absence-2024-01-07") { eventType }
	  ofac: actor(id: "ofac") { relationships(types: [PART_OF], direction: OUT) { nodes { basis inference } } }
	  sinaloa: actor(id: "sinaloa-cartel") { relationships(types: [SUPPORTS], direction: OUT) { nodes { to { id } basis inference } } }
	  choneros: actor(id: "los-choneros") { relationships(types: [OPERATES_IN, WORKED_FOR], direction: BOTH) {
	    nodes { type to { id } from { id } status since citations { source { id } locator status } } } }
	}`, nil).MustOK(t)
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s: %s", what, r.Raw)
		}
	}
	check("more than 6,900 deaths is a lower bound", r.At("deaths", "value") == 6900.0 && r.At("deaths", "bound") == "AT_LEAST")
	check("the 2024 SOFA is only what the article says", r.At("sofa", "kind") == "INTERNATIONAL_AGREEMENT" && r.At("sofa", "status") == "UNKNOWN" &&
		r.At("sofa", "signed") == nil && r.At("sofa", "name") == "2024 Status of Forces Agreement" && fmt.Sprint(r.At("sofa", "editorialAliases")) != "[]")
	check("a base Ecuador is weighing", r.At("base", "status") == "UNDER_CONSIDERATION")
	check("the minister's name as the article writes it", r.At("minister", "name") == "Gian Carlo Loffredo Rendon" &&
		fmt.Sprint(r.At("minister", "editorialAliases")) != "[]")
	for _, alias := range r.List("dod", "aliases") {
		check("the word Pentagon names the building, not the department", alias != "Pentagon" && alias != "the Pentagon")
	}
	check("the United States is no rival of China or Russia on the article's word", len(r.List("us", "relationships", "nodes")) == 0)
	check("USA is an editorial alias", fmt.Sprint(r.At("us", "editorialAliases")) != "[]")
	check("an absence discovered is no escape", r.At("absence", "eventType") == "DISAPPEARANCE")
	check("OFAC's place in the Treasury is inferred", len(r.List("ofac", "relationships", "nodes")) == 1 &&
		r.At("ofac", "relationships", "nodes", 0, "basis") == "INFERRED" && r.At("ofac", "relationships", "nodes", 0, "inference") != nil)
	for i := range r.List("sinaloa", "relationships", "nodes") {
		if r.At("sinaloa", "relationships", "nodes", i, "to", "id") == "los-lobos" {
			check("Sinaloa's backing of Los Lobos is inferred", r.At("sinaloa", "relationships", "nodes", i, "basis") == "INFERRED")
		}
	}
	// Los Choneros in Ecuador: the article reports it, the Treasury confirms it.
	var confirmedOverReport, trafficking, ended bool
	for i := range r.List("choneros", "relationships", "nodes") {
		n := func(p ...any) any { return r.At(append([]any{"choneros", "relationships", "nodes", i}, p...)...) }
		statuses := map[string]any{}
		for j := range r.List("choneros", "relationships", "nodes", i, "citations") {
			statuses[fmt.Sprint(n("citations", j, "source", "id"))] = n("citations", j, "status")
		}
		if n("type") == "OPERATES_IN" && n("to", "id") == "ecuador" {
			if n("status") == "CONFIRMED" && statuses["ecuador-pentagon-2025"] == "REPORTED" && statuses["us-treasury-2024-02-07-los-choneros"] == "CONFIRMED" {
				confirmedOverReport = true
			}
			if n("since") == "199X" {
				trafficking = true
			}
		}
		if n("type") == "WORKED_FOR" && n("from", "id") == "los-lobos" {
			ended = n("status") == "ENDED" && statuses["us-treasury-2024-06-06-los-lobos"] == "CONFIRMED"
		}
	}
	check("a tie the article reports and the Treasury confirms is CONFIRMED, each citation keeping its own word", confirmedOverReport)
	check("Los Choneros trafficking in Ecuador since the 1990s is a dated fact", trafficking)
	check("Los Lobos's work for Los Choneros is over, as the Treasury confirms", ended)
}

// A citation that says nothing of how sure stands for the status the tie
// was given with it: a later, weaker report does not lower the tie, and
// when two sources merge, the tie's status follows its citations.
func TestCitationsWithoutStatusKeepTheTiesStatus(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	const article, choneros = "ecuador-pentagon-2025", "us-treasury-2024-02-07-los-choneros"
	r := w.as(t, ed, `mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng", status: CONFIRMED,
	  citations: [{source: "`+article+`", locator: "¶9"}, {source: "`+choneros+`", locator: "A3", status: REPORTED}]}) { relationship { id status } } }`, nil).MustOK(t)
	if r.At("createRelationship", "relationship", "status") != "CONFIRMED" {
		t.Fatalf("CONFIRMED with one unstated and one REPORTED citation: %s", r.Raw)
	}
	id := r.At("createRelationship", "relationship", "id")
	r = w.as(t, ed, `mutation($id: ID!) { updateRelationship(id: $id, expectedVersion: 1, set: {role: "backing"},
	  citations: [{source: "`+article+`", locator: "¶10", status: REPORTED}]) { relationship { status } } }`, map[string]any{"id": id}).MustOK(t)
	if got := r.At("updateRelationship", "relationship", "status"); got != "CONFIRMED" {
		t.Errorf("a REPORTED citation added lowered the tie to %v", got)
	}
	if r := w.as(t, ed, `mutation { createRelationship(input: {type: SUPPORTS, from: "los-lobos", to: "cjng", status: ALLEGED,
	  citations: [{source: "`+article+`", locator: "¶9"}, {source: "`+choneros+`", locator: "A3", status: REPORTED}]}) { created } }`, nil); r.ErrorCode() != "BAD_USER_INPUT" {
		t.Errorf("ALLEGED although a citation REPORTS it: %s", r.Raw)
	}
}

// When two records of one source merge, a tie that cites both keeps one
// citation per place, and a dispute is not lost: what both say together.
func TestMergingSourcesKeepsADispute(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	for _, id := range []string{"wire-report", "wire-report-copy"} {
		w.as(t, ed, `mutation($id: ID!) { createSource(input: {id: $id, title: "Wire report", kind: NEWS}) { created } }`, map[string]any{"id": id}).MustOK(t)
	}
	r := w.as(t, ed, `mutation { createRelationship(input: {type: SUPPORTS, from: "sinaloa-cartel", to: "cjng",
	  citations: [{source: "wire-report", locator: "¶1", status: DISPUTED}, {source: "wire-report-copy", locator: "¶1", status: CONFIRMED}]}) { relationship { id status } } }`, nil).MustOK(t)
	if r.At("createRelationship", "relationship", "status") != "DISPUTED" {
		t.Fatalf("a disputed tie: %s", r.Raw)
	}
	id := r.At("createRelationship", "relationship", "id")
	w.as(t, ed, `mutation { mergeEntities(keep: "wire-report-copy", remove: "wire-report", reason: "one report") { entity { id } } }`, nil).MustOK(t)
	r = w.as(t, ed, `{ entity(id: "sinaloa-cartel") { relationships(types: [SUPPORTS]) { nodes { id status citations { source { id } locator status } } } } }`, nil).MustOK(t)
	for i := range r.List("entity", "relationships", "nodes") {
		if r.At("entity", "relationships", "nodes", i, "id") != id {
			continue
		}
		if got := fmt.Sprint(r.At("entity", "relationships", "nodes", i)); !strings.Contains(got, "citations:[map[locator:¶1 source:map[id:wire-report-copy] status:DISPUTED]]") ||
			!strings.Contains(got, "status:DISPUTED") {
			t.Errorf("after merging the sources: %s", got)
		}
		return
	}
	t.Errorf("the tie is gone after merging its sources: %s", r.Raw)
}
