// Package apitest starts coopgraph's real HTTP handler in tests (Start) and
// drives it the way a client would: JSON over HTTP.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/coopgraph/coopgraph/internal/gqlclient"
	"github.com/coopgraph/coopgraph/internal/server"
)

// Response is a decoded GraphQL response.
type Response struct {
	Status int
	Header http.Header
	Data   map[string]any
	Errors []Error
	Raw    string
}

// Error is one GraphQL error.
type Error = gqlclient.Error

// Request is one GraphQL request as a client sends it.
type Request struct {
	URL           string
	Query         string
	OperationName string
	Variables     map[string]any
	Credential    string // sent as "Authorization: Bearer credential"; none when ""
	GET           bool   // query and variables in the URL instead of a JSON body
}

// Do sends r and decodes the answer. Unlike Post it reports failures as
// errors, so goroutines can use it and hand the error to the test.
func Do(r Request) (Response, error) {
	if !r.GET {
		a, err := gqlclient.Post(context.Background(), http.DefaultClient, r.URL,
			gqlclient.Request{Query: r.Query, OperationName: r.OperationName, Variables: r.Variables, Credential: r.Credential})
		if err != nil {
			return Response{}, fmt.Errorf("POST %s: %w", r.URL, err)
		}
		return decode(a)
	}
	q := url.Values{"query": {r.Query}}
	if r.OperationName != "" {
		q.Set("operationName", r.OperationName)
	}
	if r.Variables != nil {
		vars, _ := json.Marshal(r.Variables)
		q.Set("variables", string(vars))
	}
	req, err := http.NewRequest(http.MethodGet, r.URL+"?"+q.Encode(), nil)
	if err != nil {
		return Response{}, err
	}
	if r.Credential != "" {
		req.Header.Set("Authorization", "Bearer "+r.Credential)
	}
	return send(req)
}

// Post sends one GraphQL request as application/json.
func Post(tb testing.TB, url, query string, vars map[string]any) Response {
	tb.Helper()
	return must(tb)(Do(Request{URL: url, Query: query, Variables: vars}))
}

// PostAs sends one GraphQL request with a credential ("Authorization:
// Bearer credential"); none when credential is "".
func PostAs(tb testing.TB, url, credential, query string, vars map[string]any) Response {
	tb.Helper()
	return must(tb)(Do(Request{URL: url, Query: query, Variables: vars, Credential: credential}))
}

// ErrorCode is the code of the first error; "" when there is none.
func (r Response) ErrorCode() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Code()
}

// PostRaw sends body as is with the given content type.
func PostRaw(tb testing.TB, url, contentType string, body []byte) Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return must(tb)(send(req))
}

// Get sends a GET request to url as it is (query already in it).
func Get(tb testing.TB, url string) Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return must(tb)(send(req))
}

func must(tb testing.TB) func(Response, error) Response {
	return func(r Response, err error) Response {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
}

// send sends req and decodes the answer.
func send(req *http.Request) (Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	a, err := gqlclient.Read(resp)
	if err != nil {
		return Response{}, err
	}
	return decode(a)
}

func decode(a *gqlclient.Answer) (Response, error) {
	out := Response{Status: a.Status, Header: a.Header, Raw: string(a.Body)}
	var err error
	out.Errors, err = a.Decode(&out.Data)
	return out, err
}

// Check is MustOK as an error, for goroutines: nil when the response is a
// 200 without errors.
func (r Response) Check() error {
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		return fmt.Errorf("status %d, errors %+v", r.Status, r.Errors)
	}
	return nil
}

// MustOK fails the test if the response has errors.
func (r Response) MustOK(tb testing.TB) Response {
	tb.Helper()
	if err := r.Check(); err != nil {
		tb.Fatal(err)
	}
	return r
}

// At walks the data by keys and indexes: At("meeting", "participants", 0, "role").
func (r Response) At(path ...any) any {
	var cur any = r.Data
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := cur.(map[string]any)
			cur = m[k]
		case int:
			l, _ := cur.([]any)
			if k >= len(l) {
				return nil
			}
			cur = l[k]
		}
	}
	return cur
}

// List returns the list at path.
func (r Response) List(path ...any) []any {
	l, _ := r.At(path...).([]any)
	return l
}

// Start serves coopgraph's whole handler (server.New, as serve runs it)
// over store on a test server that closes when the test ends. cfg is
// server.DefaultConfig as the test changes it.
func Start(tb testing.TB, store server.Store, cfg server.Config) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(server.New(store, cfg))
	tb.Cleanup(srv.Close)
	return srv
}
