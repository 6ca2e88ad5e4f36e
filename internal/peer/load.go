package peer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coopgraph/coopgraph/internal/gqlclient"
)

// Request is one GraphQL request.
type Request struct {
	Query     string
	Variables map[string]any
}

// NewClient is an HTTP client for clients concurrent callers of one
// server. It asks for no compression: neither server is made to compress.
func NewClient(clients int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2,
		DisableCompression: true, IdleConnTimeout: 90 * time.Second}}
}

// Ask sends one request and returns the answer's data, and the size of the
// whole answer. HTTP errors and GraphQL errors are errors.
func Ask(ctx context.Context, c *http.Client, url string, r Request) (json.RawMessage, int, error) {
	a, err := post(ctx, c, url, r)
	if err != nil {
		return nil, 0, err
	}
	if err := a.Err(); err != nil {
		return nil, len(a.Body), err
	}
	var data json.RawMessage
	errs, err := a.Decode(&data)
	if err != nil {
		return nil, len(a.Body), err
	}
	if len(errs) > 0 {
		return nil, len(a.Body), fmt.Errorf("GraphQL error: %s", errs[0].Message)
	}
	return data, len(a.Body), nil
}

func post(ctx context.Context, c *http.Client, url string, r Request) (*gqlclient.Answer, error) {
	return gqlclient.Post(ctx, c, url, gqlclient.Request{Query: r.Query, Variables: r.Variables})
}

// Round is one timed run against one server.
type Round struct {
	OK, Errors int
	Elapsed    time.Duration
	Latencies  []time.Duration // of the requests answered without error
	FirstError string
}

// PerSecond is the requests answered without error per second.
func (r Round) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// Measure has clients callers send requests (the i-th made by request(i);
// caller w sends w, w+clients, ...) back to back for d; requests in flight at
// the end finish and count. Each request may take up to timeout.
func Measure(ctx context.Context, c *http.Client, url string, request func(i int) Request, clients int, d, timeout time.Duration) Round {
	type result struct {
		lat      []time.Duration
		errors   int
		firstErr string
	}
	results := make([]result, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[w]
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += clients {
				rctx, cancel := context.WithTimeout(ctx, timeout)
				t := time.Now()
				a, err := post(rctx, c, url, request(i))
				if err == nil {
					err = a.Err()
				}
				lat := time.Since(t)
				cancel()
				if err != nil {
					res.errors++
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
					continue
				}
				res.lat = append(res.lat, lat)
			}
		}()
	}
	wg.Wait()
	r := Round{Elapsed: time.Since(start)}
	for _, res := range results {
		r.Latencies = append(r.Latencies, res.lat...)
		r.Errors += res.errors
		if r.FirstError == "" {
			r.FirstError = res.firstErr
		}
	}
	r.OK = len(r.Latencies)
	return r
}
