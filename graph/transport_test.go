package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// writeResponse must write what gqlgen's transport writes (json.Marshal of
// the response), data aside, which it sends as the executor wrote it.
func TestWriteResponseIsWhatJSONMarshalWrites(t *testing.T) {
	yes := true
	cases := map[string]*graphql.Response{
		"data":                  {Data: json.RawMessage(`{"actor":{"id":"ecuador","name":"Ecuador"}}`)},
		"no data":               {},
		"null data with errors": {Data: json.RawMessage(`null`), Errors: gqlerror.List{{Message: "a <b> & c", Path: ast.Path{ast.PathName("actor")}, Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}},
		"errors and extensions": {Errors: gqlerror.List{{Message: "x"}}, Extensions: map[string]any{"committed": true, "cost": 3}},
		"data and extensions":   {Data: json.RawMessage(`{"a":[1,2,{"b":"\u00e9\n"}]}`), Extensions: map[string]any{"z": "y"}},
		"incremental":           {Data: json.RawMessage(`{}`), Label: "l", HasNext: &yes, Path: ast.Path{ast.PathName("a"), ast.PathIndex(1)}},
	}
	for name, resp := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(resp)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			writeResponse(&got, resp)
			if got.String() != string(want) {
				t.Errorf("wrote\n%s\nwant\n%s", got.String(), want)
			}
		})
	}
}

func TestResponseMediaFollowsAccept(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  mediaJSON,
		"*/*":                               mediaJSON,
		"application/json":                  mediaJSON,
		"application/graphql-response+json": mediaGraphQLResponse,
		"application/graphql-response+json;q=0.9, application/json": mediaGraphQLResponse,
		"text/html, application/json":                               mediaJSON,
		"text/html":                                                 mediaGraphQLResponse,
		"bad;;, application/*":                                      mediaJSON,
	} {
		t.Run(accept, func(t *testing.T) {
			if got := responseMedia(accept); got != want {
				t.Errorf("Accept %q: %s; want %s", accept, got, want)
			}
		})
	}
}

// Data is sent as written: < > & stay as they are (encoding/json would
// write \u003c and the like), which is the same JSON.
func TestWriteResponseSendsDataAsWritten(t *testing.T) {
	resp := &graphql.Response{Data: json.RawMessage(`{"name":"A <b> & c"}`)}
	var got bytes.Buffer
	writeResponse(&got, resp)
	if got.String() != `{"data":{"name":"A <b> & c"}}` {
		t.Errorf("wrote %s", got.String())
	}
	want, _ := json.Marshal(resp)
	var a, b any
	if json.Unmarshal(got.Bytes(), &a) != nil || json.Unmarshal(want, &b) != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("%s and %s are not the same JSON", got.String(), want)
	}
}
