package gqlclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Post sends the request as a client does, and the answer is the caller's
// to judge.
func TestPost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json":
			http.Error(w, "not a GraphQL POST", http.StatusUnsupportedMediaType)
		case body["query"] == "{ busy }":
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case body["query"] == "{ bad }":
			w.Write([]byte(`{"errors": [{"message": "no", "extensions": {"code": "BAD_USER_INPUT"}}], "data": null}`))
		default:
			json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
				"auth": r.Header.Get("Authorization"), "op": body["operationName"], "vars": body["variables"]}})
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name     string
		req      Request
		status   int
		err      string // what Err says; "" for none
		code     string // the first error's code
		wantData string
	}{
		{"answered", Request{Query: "{ x }", OperationName: "X", Variables: map[string]any{"a": 1.0}, Credential: "k"}, 200, "", "",
			`{"auth":"Bearer k","op":"X","vars":{"a":1}}`},
		{"no credential", Request{Query: "{ x }"}, 200, "", "", `{"auth":"","op":null,"vars":null}`},
		{"a status", Request{Query: "{ busy }"}, 503, "status 503", "", ""},
		{"GraphQL errors", Request{Query: "{ bad }"}, 200, "GraphQL error", "BAD_USER_INPUT", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Post(context.Background(), http.DefaultClient, srv.URL, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tc.status {
				t.Errorf("status = %d; want %d", a.Status, tc.status)
			}
			if err := a.Err(); (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Err() = %v; want %q", err, tc.err)
			}
			if tc.status != http.StatusOK {
				return
			}
			var data map[string]any
			errs, err := a.Decode(&data)
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) > 0 != (tc.code != "") || len(errs) > 0 && errs[0].Code() != tc.code {
				t.Errorf("errors = %+v; want code %q", errs, tc.code)
			}
			if tc.wantData != "" {
				if b, _ := json.Marshal(data); string(b) != tc.wantData {
					t.Errorf("the server saw %s; want %s", b, tc.wantData)
				}
			}
		})
	}
	// An answer that is not GraphQL is an error to Decode.
	a := &Answer{Status: 502, Body: []byte("<html>bad gateway</html>")}
	if _, err := a.Decode(nil); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("Decode(HTML) = %v", err)
	}
}
