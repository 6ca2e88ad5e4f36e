// Package apitest drives coopgraph's real HTTP handler in tests, the way a
// client would: JSON over HTTP.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
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
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

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
	var req *http.Request
	var err error
	if r.GET {
		q := url.Values{"query": {r.Query}}
		if r.OperationName != "" {
			q.Set("operationName", r.OperationName)
		}
		if r.Variables != nil {
			vars, _ := json.Marshal(r.Variables)
			q.Set("variables", string(vars))
		}
		req, err = http.NewRequest(http.MethodGet, r.URL+"?"+q.Encode(), nil)
	} else {
		body, _ := json.Marshal(map[string]any{"query": r.Query, "operationName": r.OperationName, "variables": r.Variables})
		req, err = http.NewRequest(http.MethodPost, r.URL, bytes.NewReader(body))
		if req != nil {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	if err != nil {
		return Response{}, err
	}
	if r.Credential != "" {
		req.Header.Set("Authorization", "Bearer "+r.Credential)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w", req.Method, r.URL, err)
	}
	return decode(resp)
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
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("POST %s: %v", url, err)
	}
	return must(tb)(decode(resp))
}

// Get sends a GET request to url as it is (query already in it).
func Get(tb testing.TB, url string) Response {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	return must(tb)(decode(resp))
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

func decode(resp *http.Response) (Response, error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, fmt.Errorf("read response: %w", err)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	var body struct {
		Data   map[string]any `json:"data"`
		Errors []Error        `json:"errors"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return out, fmt.Errorf("response is not JSON (%d): %.300s", resp.StatusCode, raw)
	}
	out.Data, out.Errors = body.Data, body.Errors
	return out, nil
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
