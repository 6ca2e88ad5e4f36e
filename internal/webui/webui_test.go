package webui_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/internal/webui"
)

// The vendored files are exactly what `make assets` fetched: each matches
// the checksum recorded with its npm package and version.
func TestVendoredFilesMatchTheirManifest(t *testing.T) {
	b, err := os.ReadFile("vendor/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest []struct{ Name, Package, Version, Integrity, SHA256 string }
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) < 7 {
		t.Fatalf("%d files in the manifest", len(manifest))
	}
	// Every file listed in packages.txt is in the manifest, and every
	// vendored file is listed.
	listed := map[string]bool{}
	list, err := os.ReadFile("vendor/packages.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(list), "\n") {
		if f := strings.Fields(line); len(f) == 3 && !strings.HasPrefix(f[0], "#") {
			listed[f[2]] = true
		}
	}
	inManifest := map[string]bool{}
	for _, f := range manifest {
		inManifest[f.Name] = true
		if !listed[f.Name] {
			t.Errorf("%s is in the manifest but not in packages.txt", f.Name)
		}
	}
	entries, _ := os.ReadDir("vendor")
	for _, e := range entries {
		if n := e.Name(); n != "packages.txt" && n != "manifest.json" && !inManifest[n] {
			t.Errorf("vendor/%s is not in the manifest", n)
		}
	}
	for n := range listed {
		if !inManifest[n] {
			t.Errorf("%s is in packages.txt but not in the manifest: run make assets", n)
		}
	}
	for _, f := range manifest {
		body, err := os.ReadFile("vendor/" + f.Name)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		sum := sha256.Sum256(body)
		if hex.EncodeToString(sum[:]) != f.SHA256 || f.Version == "" || !strings.HasPrefix(f.Integrity, "sha512-") {
			t.Errorf("%s (%s@%s) does not match its manifest entry", f.Name, f.Package, f.Version)
		}
	}
}

func serve(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	webui.Default().Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// strictPolicy is the policy the pages must carry, written out here so that
// a weaker one in the code fails the test: only the service's own origin,
// no inline or eval'd script, no plugins, no framing.
const strictPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// The pages load only what the service serves, under a strict policy; the
// assets they name are cached for good, compressed, and typed.
func TestPagesAndAssetsAreServedStrictly(t *testing.T) {
	srv := serve(t)
	for name, route := range map[string]string{"home": "/", "explore": "/explore"} {
		t.Run(name, func(t *testing.T) {
			res, err := http.Get(srv.URL + route)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			h := res.Header
			if res.StatusCode != 200 || h.Get("Content-Security-Policy") != strictPolicy || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Cache-Control") != "no-cache" {
				t.Errorf("%s: %d %v", route, res.StatusCode, h)
			}
			if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).Match(body) || strings.Contains(string(body), "<script>") {
				t.Errorf("%s loads from elsewhere or runs inline script", route)
			}
			urls := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(string(body), -1)
			if len(urls) < 2 {
				t.Errorf("%s names %d assets", route, len(urls))
			}
			for _, u := range urls {
				req, _ := http.NewRequest("GET", srv.URL+u[1], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				res, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				zr, err := gzip.NewReader(res.Body)
				if err != nil {
					t.Fatalf("%s: not gzip: %v", u[1], err)
				}
				plain, _ := io.ReadAll(zr)
				res.Body.Close()
				ct := res.Header.Get("Content-Type")
				if res.StatusCode != 200 || len(plain) == 0 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
					!(strings.HasPrefix(ct, "text/javascript") || strings.HasPrefix(ct, "text/css") || ct == "image/svg+xml") {
					t.Errorf("%s: %d, %d bytes, %v", u[1], res.StatusCode, len(plain), res.Header)
				}
				sum := sha256.Sum256(plain)
				if !strings.Contains(u[1], "."+hex.EncodeToString(sum[:6])+".") {
					t.Errorf("%s is not named by its content's hash", u[1])
				}
			}
		})
	}
	res, err := http.Get(srv.URL + "/assets/explore.000000000000.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("an unknown asset: %d", res.StatusCode)
	}
}
