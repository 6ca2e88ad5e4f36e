// Package gqlclient sends GraphQL requests over HTTP as a client does: one
// POST of application/json, its answer read whole. The benchmark, the
// comparison with the peer, the soak and the tests all send theirs
// through it, and each reads from the answer what it needs.
package gqlclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Request is one GraphQL request.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables"`
	// Credential is sent as "Authorization: Bearer credential"; none when "".
	Credential string `json:"-"`
}

// Answer is an HTTP answer as it came, its body read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
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

// Post sends r to url as a POST of application/json and reads the answer.
// Only a request that could not be sent or an answer that could not be
// read is an error: the status and the GraphQL errors are the caller's to
// judge (Err, Decode).
func Post(ctx context.Context, c *http.Client, url string, r Request) (*Answer, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.Credential != "" {
		req.Header.Set("Authorization", "Bearer "+r.Credential)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	return Read(resp)
}

// Read reads resp's body whole and closes it.
func Read(resp *http.Response) (*Answer, error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: raw}, nil
}

// Err is an error for an answer that is not a success: a status other than
// 200, or a body holding GraphQL errors. It looks for errors without
// decoding the body, so that measuring a large answer costs no more than
// reading it.
func (a *Answer) Err() error {
	if a.Status != http.StatusOK {
		return fmt.Errorf("status %d: %.300s", a.Status, a.Body)
	}
	if bytes.Contains(a.Body, []byte(`"errors":`)) {
		return fmt.Errorf("GraphQL error: %.300s", a.Body)
	}
	return nil
}

// Decode reads the answer's data into data (unless data is nil) and
// returns its GraphQL errors. A body that is not a GraphQL answer is an
// error.
func (a *Answer) Decode(data any) ([]Error, error) {
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []Error         `json:"errors"`
	}
	if err := json.Unmarshal(a.Body, &body); err != nil {
		return nil, fmt.Errorf("the answer is not JSON (status %d): %.300s", a.Status, a.Body)
	}
	if data != nil && len(body.Data) > 0 {
		if err := json.Unmarshal(body.Data, data); err != nil {
			return body.Errors, fmt.Errorf("the answer's data: %w", err)
		}
	}
	return body.Errors, nil
}
