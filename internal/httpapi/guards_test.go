package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Past MaxInFlight requests at once, the next is refused at once with 503
// and SATURATED.
func TestRequestsPastTheInFlightBoundAreRefused(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 8)
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.Write([]byte(`{"data":{}}`))
	})
	cfg := DefaultConfig
	cfg.MaxInFlight = 2
	srv := httptest.NewServer(NewServer(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), gql, nil))
	defer srv.Close()
	post := func() (int, string) {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ __typename }"}`))
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var done sync.WaitGroup
	for range 2 {
		done.Add(1)
		go func() { defer done.Done(); post() }()
	}
	<-entered
	<-entered
	if code, body := post(); code != http.StatusServiceUnavailable || !strings.Contains(body, `"SATURATED"`) {
		t.Errorf("a third request while two are served: %d %s", code, body)
	}
	close(release)
	done.Wait()
	if code, _ := post(); code != 200 {
		t.Errorf("after the two finished: %d", code)
	}
}

// Bookmarks go out signed and come in only signed; too many are refused
// before any signature is checked.
func TestBookmarksAreSigned(t *testing.T) {
	secret := []byte("s")
	signed := signBookmark(secret, "FB:abc")
	if raw, ok := verifyBookmark(secret, signed); !ok || raw != "FB:abc" {
		t.Errorf("a signed bookmark: %q %v", raw, ok)
	}
	for name, forged := range map[string]string{
		"no signature": "FB:abc", "a made-up signature": "FB:abc~" + strings.Repeat("A", 22),
		"a signature with more": signed + "x", "another bookmark's signature": "FB:abd" + signed[6:],
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := verifyBookmark(secret, forged); ok {
				t.Errorf("%q passed", forged)
			}
		})
	}
	if _, ok := verifyBookmark([]byte("other"), signed); ok {
		t.Error("another replica's secret accepted the bookmark")
	}
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"data":{}}`)) })
	cfg := DefaultConfig
	cfg.BookmarkSecret = secret
	srv := httptest.NewServer(NewServer(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), gql, nil))
	defer srv.Close()
	for _, tc := range []struct {
		name   string
		header string
		want   int
	}{
		{"signed", signed, 200},
		{"unsigned", "FB:abc", 400},
		{"too many", strings.Repeat(signed+",", 11), 400},
	} {
		t.Run("header "+tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(BookmarkHeader, tc.header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("bookmark header %.40q: %d; want %d", tc.header, resp.StatusCode, tc.want)
			}
		})
	}
}
