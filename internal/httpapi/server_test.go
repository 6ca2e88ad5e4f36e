package httpapi

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestServer(t *testing.T, ready ReadyFunc) (*httptest.Server, *int) {
	t.Helper()
	calls := 0
	// The GraphQL handler is replaced by one that counts the requests that
	// reach it: these tests are about what happens before GraphQL.
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"data":{}}`))
	})
	srv := httptest.NewServer(NewServer(DefaultConfig, slog.New(slog.NewTextHandler(io.Discard, nil)), gql, ready))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestBodiesOverOneMebibyteGet413BeforeParsing(t *testing.T) {
	srv, calls := newTestServer(t, func(context.Context) error { return nil })
	big := `{"query":"` + strings.Repeat("x", 1<<20) + `"}`
	for name, body := range map[string]io.Reader{
		"with length": strings.NewReader(big),
		"chunked":     io.MultiReader(strings.NewReader(big)), // no Content-Length
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/graphql", "application/json", body)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: status %d; want 413", name, resp.StatusCode)
			}
			if strings.Contains(string(got), "xxxx") {
				t.Errorf("%s: the answer echoes the body", name)
			}
		})
	}
	if *calls != 0 {
		t.Errorf("%d oversized requests reached GraphQL; want 0", *calls)
	}
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{__typename}"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || *calls != 1 {
		t.Errorf("a small body: status %d, %d calls; want 200 and 1", resp.StatusCode, *calls)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("no X-Request-Id on the answer")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	var notReady error
	srv, _ := newTestServer(t, func(context.Context) error { return notReady })
	for _, tc := range []struct {
		name     string
		path     string
		notReady error
		want     int
	}{
		{"healthy", "/healthz", nil, 200},
		{"ready", "/readyz", nil, 200},
		{"not ready", "/readyz", errors.New("Neo4j is not reachable"), 503},
		{"healthy though not ready", "/healthz", errors.New("Neo4j is not reachable"), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notReady = tc.notReady
			resp, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("GET %s with readiness error %v = %d; want %d", tc.path, tc.notReady, resp.StatusCode, tc.want)
			}
		})
	}
}

func TestIDEPageCarriesTheExampleQueries(t *testing.T) {
	srv, _ := newTestServer(t, func(context.Context) error { return nil })
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"PentagonMeeting", "MeetingNetwork", "ChonerosToPentagon", "CriminalTiesWithEvidence", "SearchAndTimeline", "/graphql"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("IDE page lacks %q", want)
		}
	}
	resp, err = http.Get(srv.URL + "/no-such-page")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /no-such-page = %d; want 404", resp.StatusCode)
	}
}

func TestOnlyJSONPostsAndGetsReachGraphQL(t *testing.T) {
	srv, calls := newTestServer(t, func(context.Context) error { return nil })
	for _, tc := range []struct {
		name, method, contentType string
		want                      int
	}{
		{"a form", "POST", "application/x-www-form-urlencoded", 415},
		{"multipart", "POST", "multipart/form-data; boundary=x", 415},
		{"plain text", "POST", "text/plain", 415},
		{"PUT", "PUT", "application/json", 405},
		{"DELETE", "DELETE", "", 405},
		{"JSON", "POST", "application/json; charset=utf-8", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+"/graphql", strings.NewReader(`{"query":"{__typename}"}`))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("%s %s = %d; want %d", tc.method, tc.contentType, resp.StatusCode, tc.want)
			}
		})
	}
	if *calls != 1 {
		t.Errorf("%d requests reached GraphQL; want only the JSON POST", *calls)
	}
}

func TestCORSAllowsListedOriginsAndAnswersPreflight(t *testing.T) {
	srv, calls := newTestServer(t, func(context.Context) error { return nil })
	pre := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := pre("http://localhost:5173")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Content-Type") || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight from an allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := pre("https://evil.example"); resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d %v", resp.StatusCode, resp.Header)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{__typename}"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://127.0.0.1:3000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:3000" {
		t.Errorf("POST from an allowed origin lacks Access-Control-Allow-Origin: %v", resp.Header)
	}
	if *calls != 1 {
		t.Errorf("%d requests reached GraphQL; preflights must not", *calls)
	}
}

func TestAnswersAreGzippedWhenAccepted(t *testing.T) {
	srv, _ := newTestServer(t, func(context.Context) error { return nil })
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{__typename}"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // the transport would otherwise decompress silently
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q; want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if string(body) != `{"data":{}}` {
		t.Errorf("decompressed body = %q", body)
	}
}
