// Package webui serves coopgraph's browser pages: the GraphQL IDE at / and
// the graph explorer at /explore. Everything they load is served by the
// binary itself: the app's own scripts and styles (app/), and the browser
// libraries they use, pinned from npm with their checksums (vendor/,
// refreshed by `make assets`). Assets are served under names holding a
// hash of their content, so browsers may keep them for good; the pages
// carry a Content-Security-Policy that allows only the service's origin.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph/internal/negotiate"
)

//go:embed app/* vendor/*.js vendor/*.css vendor/*.txt vendor/manifest.json
var files embed.FS

//go:embed examples/*.graphql
var exampleFiles embed.FS

// Example is one query the IDE opens in a tab.
type Example struct {
	Name  string `json:"-"`
	Query string `json:"query"`
}

// Examples returns the IDE's example queries, in tab order.
func Examples() []Example {
	names, _ := fs.Glob(exampleFiles, "examples/*.graphql")
	sort.Strings(names)
	out := make([]Example, 0, len(names))
	for _, n := range names {
		b, _ := exampleFiles.ReadFile(n)
		out = append(out, Example{Name: strings.TrimSuffix(strings.TrimPrefix(n, "examples/"), ".graphql"), Query: string(b)})
	}
	return out
}

// ContentSecurityPolicy is what the pages may load and run: only what the
// service serves, no inline script, no framing. Styles may be set inline
// (GraphiQL and CodeMirror position their panes with style attributes);
// images may be data: URLs (icons) and blob: (the explorer's PNG export).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// asset is one file served under /assets/, by a name holding its hash.
type asset struct {
	body, gz    []byte
	contentType string
	url         string // /assets/name.HASH.ext
}

// Default is the UI built once for the process: building compresses
// every asset.
var Default = sync.OnceValue(New)

// UI serves the pages and their assets.
type UI struct {
	assets map[string]*asset // by hashed name
	byName map[string]*asset // by plain name: "explore.js"
	pages  map[string][]byte // by route
}

// New builds the pages and indexes the assets. It panics if the embedded
// files are inconsistent, which a test catches.
func New() *UI {
	ui := &UI{assets: map[string]*asset{}, byName: map[string]*asset{}, pages: map[string][]byte{}}
	for _, dir := range []string{"app", "vendor"} {
		entries, err := files.ReadDir(dir)
		if err != nil {
			panic(err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasSuffix(name, ".html") || name == "packages.txt" {
				continue
			}
			body, err := files.ReadFile(dir + "/" + name)
			if err != nil {
				panic(err)
			}
			ui.add(name, body)
		}
	}
	examples, _ := json.Marshal(Examples())
	funcs := template.FuncMap{"asset": func(name string) (string, error) {
		a, ok := ui.byName[name]
		if !ok {
			return "", fmt.Errorf("webui: no asset %q", name)
		}
		return a.url, nil
	}}
	for route, page := range map[string]string{"/": "app/ide.html", "/explore": "app/explore.html"} {
		t := template.Must(template.New(path.Base(page)).Funcs(funcs).ParseFS(files, page))
		var buf bytes.Buffer
		if err := t.Execute(&buf, map[string]any{"Examples": template.JS(examples)}); err != nil {
			panic(err)
		}
		ui.pages[route] = buf.Bytes()
	}
	return ui
}

func (ui *UI) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(body)
	w.Close()
	ct := mime.TypeByExtension(ext)
	if ext == ".js" {
		ct = "text/javascript; charset=utf-8"
	}
	if _, dup := ui.byName[name]; dup {
		panic("webui: two assets named " + name)
	}
	a := &asset{body: body, gz: gz.Bytes(), contentType: ct, url: "/assets/" + hashed}
	ui.assets[hashed] = a
	ui.byName[name] = a
}

// AssetURL is the URL an asset is served at ("explore.js" →
// "/assets/explore.1a2b3c4d5e6f.js"); empty when there is none.
func (ui *UI) AssetURL(name string) string {
	if a, ok := ui.byName[name]; ok {
		return a.url
	}
	return ""
}

// Register adds the pages and assets to mux.
func (ui *UI) Register(mux *http.ServeMux) {
	for route, body := range ui.pages {
		pattern := "GET " + route
		if route == "/" {
			pattern = "GET /{$}"
		}
		mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			pageHeaders(h)
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache") // the page names the current assets
			w.Write(body)
		}))
	}
	mux.Handle("GET /assets/{name}", http.HandlerFunc(ui.serveAsset))
}

func (ui *UI) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := ui.assets[r.PathValue("name")]
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if !ok {
		http.Error(w, "no such asset", http.StatusNotFound)
		return
	}
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable") // the name changes with the content
	h.Add("Vary", "Accept-Encoding")
	if negotiate.Gzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		w.Write(a.gz)
		return
	}
	w.Write(a.body)
}

func pageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}
