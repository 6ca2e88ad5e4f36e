package graph_test

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// guardedField is a root field that needs a role, with a call of it that
// passes GraphQL validation, built from the schema alone.
type guardedField struct {
	op, name string
	role     coop.Role
	call     string
}

// guardedFields lists every mutation, and every query field marked
// @requires, from the executable schema: a field added later is covered
// without anyone remembering to list it. A mutation without @requires is
// an error, reported by the caller.
func guardedFields(t *testing.T) (fields []guardedField, unguarded []string) {
	t.Helper()
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, root := range []struct {
		op  string
		def *ast.Definition
	}{{"mutation", schema.Mutation}, {"query", schema.Query}} {
		for _, f := range root.def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			d := f.Directives.ForName("requires")
			if d == nil {
				if root.op == "mutation" {
					unguarded = append(unguarded, f.Name)
				}
				continue
			}
			role := coop.Role(strings.ToLower(d.Arguments.ForName("role").Value.Raw)) // the enum value READER is coop.RoleReader
			if !role.Valid() {
				t.Fatalf("%s.%s requires unknown role %q", root.op, f.Name, role)
			}
			fields = append(fields, guardedField{op: root.op, name: f.Name, role: role, call: probeCall(schema, root.op, f)})
		}
	}
	return fields, unguarded
}

// probeCall writes `op { name(required arguments) { __typename } }` with
// plausible values: seed ids where an id is wanted, a real citation, every
// required input field filled.
func probeCall(schema *ast.Schema, op string, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+probeValue(schema, a.Name, a.Type))
		}
	}
	call := f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	if def := schema.Types[f.Type.Name()]; def != nil && (def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union) {
		call += " { __typename }"
	}
	return op + " { " + call + " }"
}

// probeNames are values for arguments and input fields by name.
var probeNames = map[string]string{
	"id": "los-lobos", "keep": "los-lobos", "remove": "los-choneros",
	"from": "los-lobos", "to": "cjng", "country": "ecuador",
	"source": "ecuador-pentagon-2025", "locator": "¶2",
	"name": "Refusal Probe", "title": "Refusal Probe", "reason": "refusal probe",
	"type": "ALLIED_WITH", // a tie los-lobos and cjng may have
}

// probeOptional are optional input fields a probe gives anyway: a
// relationship needs a status unless its citations give their own.
var probeOptional = map[string]bool{"RelationshipInput.status": true}

func probeValue(schema *ast.Schema, name string, typ *ast.Type) string {
	if typ.Elem != nil {
		return "[" + probeValue(schema, name, typ.Elem) + "]"
	}
	switch typ.NamedType {
	case "ID", "String":
		if v, ok := probeNames[name]; ok {
			return strconv.Quote(v)
		}
		return strconv.Quote("refusal-probe")
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "true"
	case "Date":
		return `"2025-04-04"`
	case "Time":
		return `"2025-04-04T00:00:00Z"`
	case "Map":
		return "{}"
	}
	def := schema.Types[typ.NamedType]
	switch def.Kind {
	case ast.Enum:
		if v := probeNames[name]; def.EnumValues.ForName(v) != nil {
			return v
		}
		return def.EnumValues[0].Name
	case ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil || probeOptional[def.Name+"."+f.Name] {
				fields = append(fields, f.Name+": "+probeValue(schema, f.Name, f.Type))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	panic(fmt.Sprintf("probeValue: no value for type %s", typ.NamedType))
}

// Every mutation, and every query that needs a role, refuses a caller
// without it: UNAUTHENTICATED without a credential, FORBIDDEN with a weaker
// role, no data, and nothing written to the graph or the audit trail.
func TestEveryGuardedFieldRefusesCallersWithoutItsRole(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	fields, unguarded := guardedFields(t)
	if len(unguarded) > 0 {
		t.Errorf("mutations without @requires, open to anyone: %v", unguarded)
	}
	mutations := 0
	for _, f := range fields {
		if f.op == "mutation" {
			mutations++
		}
	}
	// The schema has at least the writes the README documents; an empty
	// list would make every check below vacuous.
	if mutations < 20 {
		t.Fatalf("found %d guarded mutations in the schema; want every write", mutations)
	}

	before := w.snapshot(t)
	for _, f := range fields {
		type caller struct{ who, credential, code string }
		callers := []caller{{"anonymous", "", "UNAUTHENTICATED"}}
		for _, r := range coop.Roles {
			if !r.Allows(f.role) {
				callers = append(callers, caller{string(r) + " key", w.keys[r], "FORBIDDEN"})
			}
		}
		for _, c := range callers {
			r := w.as(t, c.credential, f.call, nil)
			if r.Status != 200 || r.ErrorCode() != c.code || len(r.Errors) != 1 {
				t.Errorf("%s by %s: status %d, errors %s; want one %s", f.name, c.who, r.Status, r.Raw, c.code)
				continue
			}
			if v, ok := r.Data[f.name]; ok && v != nil {
				t.Errorf("%s by %s answered with data %v", f.name, c.who, v)
			}
			if !strings.Contains(strings.ToLower(r.Errors[0].Message), string(f.role)) {
				t.Errorf("%s by %s: %q does not name the role needed, %s", f.name, c.who, r.Errors[0].Message, f.role)
			}
		}
	}
	w.mustBeUnchanged(t, before, "refused calls")

	// The same calls with the role they need are let through: what refused
	// them above was the role, not a malformed probe.
	var passed []string
	for _, f := range fields {
		r := w.as(t, w.keys[f.role], f.call, nil)
		switch code := r.ErrorCode(); code {
		case "UNAUTHENTICATED", "FORBIDDEN", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
			t.Errorf("%s with a %s key was refused: %s", f.name, f.role, r.Raw)
		case "":
			passed = append(passed, f.name)
		}
	}
	sort.Strings(passed)
	// Some probes are plain valid writes; those must have landed.
	for _, want := range []string{"addAliases", "createApiKey", "createRelationship", "mergeEntities"} {
		if !slices.Contains(passed, want) {
			t.Errorf("the probe of %s with its role did not succeed; succeeded: %v", want, passed)
		}
	}
}

// A GET request never writes, even when the mutation is valid and the
// caller may make it: a link or an <img> must not change the graph.
func TestMutationsOverGetAreRefusedAndWriteNothing(t *testing.T) {
	w := newWriteAPI(t, auth.Config{})
	editor := w.keys[coop.RoleEditor]
	before := w.snapshot(t)
	for name, req := range map[string]apitest.Request{
		"in the query":    {Query: createGang},
		"named operation": {Query: "query Read { viewer { name } } " + strings.Replace(createGang, "mutation {", "mutation Write {", 1), OperationName: "Write"},
		"with variables": {Query: `mutation($a: [String!]!) { addAliases(id: "los-lobos", aliases: $a, citations: ` + cite + `) { change { seq } } }`,
			Variables: map[string]any{"a": []string{"Lobos por GET"}}},
	} {
		req.URL, req.Credential, req.GET = w.url, editor, true
		r, err := apitest.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" || r.ErrorCode() != "METHOD_NOT_ALLOWED" || r.Data != nil {
			t.Errorf("GET mutation %s: status %d, Allow %q, %s; want 405, POST and one METHOD_NOT_ALLOWED without data", name, r.Status, r.Header.Get("Allow"), r.Raw)
		}
	}
	w.mustBeUnchanged(t, before, "mutations sent by GET")
	// The same mutation by POST, from the same caller, is accepted: the
	// refusal above was the method's.
	if r := w.as(t, editor, createGang, nil).MustOK(t); r.At("createActor", "created") != true {
		t.Errorf("the same mutation by POST: %s", r.Raw)
	}
}
