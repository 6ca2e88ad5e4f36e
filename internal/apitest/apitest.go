// Package apitest drives coopgraph's real HTTP handler in tests, the way a
// client would: JSON over HTTP.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Response is a decoded GraphQL response.
type Response struct {
	Status int
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

// Post sends one GraphQL request as application/json.
func Post(tb testing.TB, url, query string, vars map[string]any) Response {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return PostRaw(tb, url, "application/json", body)
}

// PostAs sends one GraphQL request with a credential ("Authorization:
// Bearer credential"); none when credential is "".
func PostAs(tb testing.TB, url, credential, query string, vars map[string]any) Response {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if credential != "" {
		req.Header.Set("Authorization", "Bearer "+credential)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("POST %s: %v", url, err)
	}
	return decode(tb, resp)
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
	return decode(tb, resp)
}

// Get sends a GraphQL query as a GET request.
func Get(tb testing.TB, url string) Response {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	return decode(tb, resp)
}

func decode(tb testing.TB, resp *http.Response) Response {
	tb.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read response: %v", err)
	}
	out := Response{Status: resp.StatusCode, Raw: string(raw)}
	var body struct {
		Data   map[string]any `json:"data"`
		Errors []Error        `json:"errors"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		tb.Fatalf("response is not JSON (%d): %.300s", resp.StatusCode, raw)
	}
	out.Data, out.Errors = body.Data, body.Errors
	return out
}

// MustOK fails the test if the response has errors.
func (r Response) MustOK(tb testing.TB) Response {
	tb.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		tb.Fatalf("status %d, errors %+v", r.Status, r.Errors)
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
