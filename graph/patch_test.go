package graph_test

import (
	"fmt"
	"testing"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// An update's patch changes only the fields it sets: a field set to null
// is cleared, a field left out keeps its value, whether the patch is
// written in the query or passed as a variable.
func TestAPatchClearsNullFieldsAndKeepsFieldsLeftOut(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	w.as(t, ed, `mutation { createActor(input: {id: "banda-patch", name: "Banda Patch", kind: CRIMINAL_GROUP,
  aliases: ["BP"], description: "A gang.", country: "ecuador", citations: `+cite+`}) { created } }`, nil).MustOK(t)
	read := func() string {
		r := w.as(t, "", `{ actor(id: "banda-patch") { name kind aliases description country { id } version } }`, nil).MustOK(t)
		a := func(f string) any { return r.At("actor", f) }
		return fmt.Sprintf("%v|%v|%v|%v|%v|%v", a("name"), a("kind"), a("aliases"), a("description"), r.At("actor", "country"), a("version"))
	}
	if got, want := read(), "Banda Patch|CRIMINAL_GROUP|[BP]|A gang.|map[id:ecuador]|1"; got != want {
		t.Fatalf("created: %s, want %s", got, want)
	}

	w.as(t, ed, `mutation { updateActor(id: "banda-patch", expectedVersion: 1, set: {description: null}, citations: `+cite+`) { change { seq } } }`, nil).MustOK(t)
	if got, want := read(), "Banda Patch|CRIMINAL_GROUP|[BP]|<nil>|map[id:ecuador]|2"; got != want {
		t.Errorf("description set to null in the query: %s, want %s", got, want)
	}

	update := `mutation($v: Int!, $set: ActorPatch!) { updateActor(id: "banda-patch", expectedVersion: $v, set: $set, citations: ` + cite + `) { change { seq } } }`
	w.as(t, ed, update, map[string]any{"v": 2, "set": map[string]any{"aliases": nil, "name": "Banda Parche"}}).MustOK(t)
	if got, want := read(), "Banda Parche|CRIMINAL_GROUP|[]|<nil>|map[id:ecuador]|3"; got != want {
		t.Errorf("aliases set to null in a variable: %s, want %s", got, want)
	}

	// A required field set to null is refused by the record's validator,
	// and a patch that sets nothing by the API.
	if r := w.as(t, ed, update, map[string]any{"v": 3, "set": map[string]any{"name": nil}}); r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "name" {
		t.Errorf("name set to null: %s", r.Raw)
	}
	if r := w.as(t, ed, update, map[string]any{"v": 3, "set": map[string]any{}}); r.ErrorCode() != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != "set" {
		t.Errorf("a patch setting nothing: %s", r.Raw)
	}
	if got, want := read(), "Banda Parche|CRIMINAL_GROUP|[]|<nil>|map[id:ecuador]|3"; got != want {
		t.Errorf("after refused updates: %s, want %s", got, want)
	}
}
