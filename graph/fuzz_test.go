package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// target is one argument of one root field or mutation.
type target struct {
	op    string // query or mutation
	field *ast.FieldDefinition
	arg   *ast.ArgumentDefinition
}

// targets lists every argument of every root field and mutation of the
// schema, in schema order.
func targets(tb testing.TB) (*ast.Schema, []target) {
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		tb.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	if gerr != nil {
		tb.Fatal(gerr)
	}
	var out []target
	for op, def := range map[string]*ast.Definition{"query": schema.Query, "mutation": schema.Mutation} {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			for _, a := range f.Arguments {
				out = append(out, target{op: op, field: f, arg: a})
			}
		}
	}
	// Map iteration order varies: sort so that a corpus entry names the same target every run.
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].op+out[j].field.Name+out[j].arg.Name < out[i].op+out[i].field.Name+out[i].arg.Name {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return schema, out
}

// request is the document that sends value to tg's argument: as a
// variable of the argument's type, or written into the document.
func request(schema *ast.Schema, tg target, inline bool, value string) (string, map[string]any) {
	var args []string
	vars := map[string]any{}
	decl := ""
	for _, a := range tg.field.Arguments {
		switch {
		case a.Name != tg.arg.Name && a.Type.NonNull:
			args = append(args, a.Name+": "+probeValue(schema, a.Name, a.Type)) // refusal_test.go's plausible values
		case a.Name == tg.arg.Name && inline:
			args = append(args, a.Name+": "+value)
		case a.Name == tg.arg.Name:
			decl = "($v: " + a.Type.String() + ")"
			var v any
			if json.Unmarshal([]byte(value), &v) != nil {
				v = value
			}
			vars["v"] = v
			args = append(args, a.Name+": $v")
		}
	}
	sel := ""
	if def := schema.Types[tg.field.Type.Name()]; def != nil && (def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union) {
		sel = " { __typename }"
	}
	return fmt.Sprintf("%s%s { %s(%s)%s }", tg.op, decl, tg.field.Name, strings.Join(args, ", "), sel), vars
}

// maxFuzzAnswer bounds the answer to any one malformed value.
const maxFuzzAnswer = 64 << 10

// Malformed values of every argument of every root field and mutation get
// a coded error: never INTERNAL, never a 5xx, never a long answer, and a
// refused write changes nothing. `make test` fuzzes this for a while
// (scripts/test.sh); plain `go test` runs the committed corpus.
func FuzzArguments(f *testing.F) {
	w := newWriteAPI(f, auth.Config{})
	ed := w.keys[coop.RoleEditor]
	schema, tgs := targets(f)
	if len(tgs) < 50 {
		f.Fatalf("%d arguments found in the schema", len(tgs))
	}
	for i := range tgs {
		for _, v := range []string{`""`, "-1", `"2024-13-45"`, `"` + strings.Repeat("é", 300) + `"`} {
			f.Add(uint16(i), false, v)
		}
		f.Add(uint16(i), true, `"\u202e"`)
	}
	changes := func() int64 {
		c, err := w.store.Contents(context.Background())
		if err != nil {
			f.Fatal(err)
		}
		return c.Changes
	}
	f.Fuzz(func(t *testing.T, which uint16, inline bool, value string) {
		tg := tgs[int(which)%len(tgs)]
		query, vars := request(schema, tg, inline, value)
		before := changes()
		r, err := apitest.Do(apitest.Request{URL: w.url, Query: query, Variables: vars, Credential: ed})
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		internal := false
		for _, e := range r.Errors {
			internal = internal || e.Code() == "INTERNAL"
		}
		if r.Status >= 500 || internal || len(r.Raw) > maxFuzzAnswer {
			t.Fatalf("%.300s with %.200v: status %d, %d bytes, %.300s", query, vars, r.Status, len(r.Raw), r.Raw)
		}
		if len(r.Errors) > 0 && tg.op == "mutation" && changes() != before {
			t.Fatalf("%.300s with %.200v was refused (%s) but changed the graph", query, vars, r.ErrorCode())
		}
	})
}
