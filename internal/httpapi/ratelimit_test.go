package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/ratelimit"
)

// Each address has its own bucket: past its burst it gets 429, a coded
// error and Retry-After, whatever credential it sends; loopback callers
// are not limited unless asked.
func TestCallersPastTheirRateGet429(t *testing.T) {
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"data":{}}`)) })
	post := func(srv *httptest.Server, credential string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		if credential != "" {
			req.Header.Set("Authorization", "Bearer "+credential)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	cfg := DefaultConfig
	cfg.RateLimit = RateLimit{Config: ratelimit.Config{PerSecond: 0.5, Burst: 2}, Loopback: true}
	srv := httptest.NewServer(NewServer(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), gql, nil))
	defer srv.Close()
	for i := range 2 {
		if resp, _ := post(srv, "alice"); resp.StatusCode != 200 {
			t.Fatalf("request %d within the burst: %d", i, resp.StatusCode)
		}
	}
	resp, body := post(srv, "alice")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "2" || !strings.Contains(body, `"RATE_LIMITED"`) {
		t.Errorf("past the burst: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, _ := post(srv, "made-up-credential"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a made-up credential escaped its address's limit: %d", resp.StatusCode)
	}
	cfg.RateLimit.Loopback = false
	open := httptest.NewServer(NewServer(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), gql, nil))
	defer open.Close()
	for range 5 {
		if resp, _ := post(open, "alice"); resp.StatusCode != 200 {
			t.Fatalf("a loopback caller was limited: %d", resp.StatusCode)
		}
	}
}
