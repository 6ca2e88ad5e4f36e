package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// A researcher reads, in one query, what the source says behind each
// participant of the Pentagon meeting.
func TestCitationsLeadToTheirPassages(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ meeting(id: "us-ecuador-defense-talks-2025-04-04") { participants { actor { id }
	  citations { locator passage { locator kind heading text source { id } } } } } }`, nil).MustOK(t)
	participants := r.List("meeting", "participants")
	if len(participants) != 4 {
		t.Fatalf("%d participants", len(participants))
	}
	for i := range participants {
		c := func(p ...any) any { return r.At(append([]any{"meeting", "participants", i, "citations", 0}, p...)...) }
		text, _ := c("passage", "text").(string)
		if c("passage", "locator") != c("locator") || c("passage", "source", "id") != "ecuador-pentagon-2025" ||
			c("passage", "kind") != "SUMMARY" || c("passage", "heading") != false || text == "" {
			t.Errorf("participant %v: citation %v", r.At("meeting", "participants", i, "actor", "id"), r.At("meeting", "participants", i, "citations", 0))
		}
		if id := r.At("meeting", "participants", i, "actor", "id").(string); !strings.Contains(strings.ToLower(text), strings.Split(id, "-")[len(strings.Split(id, "-"))-1]) {
			t.Errorf("the passage behind %s does not name them: %q", id, text)
		}
	}
}

// A source's passages come in order, a page at a time; one passage is found
// by source and locator; a locator with no passage is null.
func TestSourcesAreMadeOfPassages(t *testing.T) {
	a := newAPI(t)
	var locators []string
	var after any
	for range 10 {
		r := a.post(t, `query($after: String) { source(id: "ecuador-pentagon-2025") { passages(first: 4, after: $after) {
		  nodes { locator order } pageInfo { hasNextPage endCursor } } } }`, map[string]any{"after": after}).MustOK(t)
		for i := range r.List("source", "passages", "nodes") {
			locators = append(locators, r.At("source", "passages", "nodes", i, "locator").(string))
			if got := r.At("source", "passages", "nodes", i, "order"); got != float64(len(locators)) {
				t.Errorf("passage %v has order %v; want %d", locators[len(locators)-1], got, len(locators))
			}
		}
		if r.At("source", "passages", "pageInfo", "hasNextPage") != true {
			break
		}
		after = r.At("source", "passages", "pageInfo", "endCursor")
	}
	var want []string
	for i := 1; i <= 15; i++ {
		want = append(want, fmt.Sprintf("¶%d", i))
	}
	if fmt.Sprint(locators) != fmt.Sprint(want) {
		t.Errorf("the article's passages, paged: %v; want %v", locators, want)
	}
	r := a.post(t, `{ a: passage(source: "us-treasury-2024-06-06-los-lobos", locator: "B6") { text heading }
	  b: passage(source: "us-treasury-2024-06-06-los-lobos", locator: "B99") { text }
	  h: passage(source: "ecuador-pentagon-2025", locator: "¶1") { heading } }`, nil).MustOK(t)
	if text, _ := r.At("a", "text").(string); !strings.Contains(text, "CJNG") || r.At("b") != nil || r.At("h", "heading") != true {
		t.Errorf("passages by locator: %s", r.Raw)
	}
}

// Writes citing a locator their source's passages do not hold are refused,
// naming it, and change nothing.
func TestCitingALocatorTheSourceLacksIsRefused(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	before := w.snapshot(t)
	for _, q := range []string{
		`mutation { addAliases(id: "los-lobos", aliases: ["L"], citations: [{source: "ecuador-pentagon-2025", locator: "¶99"}]) { change { seq } } }`,
		`mutation { createActor(input: {id: "x-banda", name: "X", kind: CRIMINAL_GROUP, citations: [{source: "us-treasury-2024-06-06-los-lobos", locator: "A1"}]}) { created } }`,
	} {
		r := w.as(t, w.keys[coop.RoleEditor], q, nil)
		if r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "citations" || !strings.Contains(r.Errors[0].Message, "has no passage") {
			t.Errorf("%s: %s; want BAD_USER_INPUT on citations", q, r.Raw)
		}
	}
	w.mustBeUnchanged(t, before, "writes citing unknown locators")
}

// What a source does not say is null, never an empty string.
func TestUnknownValuesAreNull(t *testing.T) {
	a := newAPI(t)
	r := a.post(t, `{ a: source(id: "ecuador-pentagon-2025") { publisher url published }
	  b: source(id: "us-treasury-2024-02-07-los-choneros") { publisher url }
	  c: actor(id: "ecuador") { description country { id } }
	  d: event(id: "ecuador-violence-wave") { subEventType } }`, nil).MustOK(t)
	for _, path := range [][]any{{"a", "publisher"}, {"a", "url"}, {"c", "country"}, {"d", "subEventType"}} {
		if v, present := r.At(path[:len(path)-1]...).(map[string]any)[path[len(path)-1].(string)]; !present || v != nil {
			t.Errorf("%v = %#v; want null", path, v)
		}
	}
	if r.At("a", "published") != "2025" || r.At("b", "url") != "https://home.treasury.gov/news/press-releases/jy2082" || r.At("b", "publisher") == nil {
		t.Errorf("known values: %s", r.Raw)
	}
}
