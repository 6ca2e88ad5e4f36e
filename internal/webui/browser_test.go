package webui_test

// Browser tests: Debian's chromium, driven from Go with chromedp, against
// the whole service on a real Neo4j holding the seed. The browser can reach
// nothing but the service (every other host fails to resolve), as on a
// network without internet access.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/coopgraph/coopgraph/internal/apitest"
	"github.com/coopgraph/coopgraph/internal/neo4jstore/neo4jtest"
	"github.com/coopgraph/coopgraph/internal/server"
)

// chromium finds the browser: $CHROMIUM, else the usual names on PATH.
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needChromium fails in CI (CI=true), where .ci/run installs Chromium, and
// skips with a hint elsewhere.
func needChromium(tb testing.TB) string {
	tb.Helper()
	p := chromium()
	if p == "" {
		const hint = "Chromium is needed for the browser tests: on Debian or Ubuntu, `sudo apt-get install chromium`; or set CHROMIUM to a Chrome or Chromium binary"
		if os.Getenv("CI") == "true" {
			tb.Fatal(hint + " (.ci/run installs it; in CI these tests fail rather than skip)")
		}
		tb.Skip(hint)
	}
	return p
}

// service starts coopgraph's whole HTTP surface on the seeded test Neo4j.
func service(tb testing.TB) string {
	tb.Helper()
	store := neo4jtest.MustOpen(tb)
	neo4jtest.MustSeed(tb, store)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return apitest.Start(tb, store, server.DefaultConfig(logger)).URL
}

// page is one browser tab on the service, recording every request it
// makes and every error its console reports.
type page struct {
	ctx  context.Context
	base string
	mu   sync.Mutex
	reqs []string
	errs []string
	sent map[network.RequestID]string
	got  map[string]int64 // encoded bytes by URL
}

func newBrowser(tb testing.TB) context.Context {
	tb.Helper()
	path := needChromium(tb)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-gpu", true),
		// No internet: only the service's own address resolves.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		tb.Fatalf("starting %s: %v", path, err)
	}
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

func openPage(t testing.TB, browser context.Context, base, route string) *page {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	p := &page{ctx: ctx, base: base, sent: map[network.RequestID]string{}, got: map[string]int64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			p.reqs = append(p.reqs, e.Request.URL)
			p.sent[e.RequestID] = e.Request.URL
		case *network.EventLoadingFinished:
			p.got[p.sent[e.RequestID]] += int64(e.EncodedDataLength)
		case *runtime.EventExceptionThrown:
			p.errs = append(p.errs, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				p.errs = append(p.errs, "console.error: "+strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				p.errs = append(p.errs, string(e.Entry.Source)+": "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	if err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			p.screenshot(t, "failure-"+strings.ReplaceAll(t.Name(), "/", "-"))
		}
		cancelTimeout()
		cancel()
	})
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enabling the log: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+route)); err != nil {
		t.Fatalf("opening %s: %v", route, err)
	}
	return p
}

// screenshot saves the page as a PNG in $COOPGRAPH_SCREENSHOTS (default: a
// directory under the system's temporary one) and logs where.
func (p *page) screenshot(t testing.TB, name string) string {
	dir := os.Getenv("COOPGRAPH_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "coopgraph-browser-tests")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	t.Logf("screenshot: %s", file)
	return file
}

// readmeScreenshot writes docs/screenshots/NAME.png when
// COOPGRAPH_README_SCREENSHOTS=1 (make screenshots): the README's pictures
// are the tests' own.
func (p *page) readmeScreenshot(t *testing.T, name string) {
	if os.Getenv("COOPGRAPH_README_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs actions, failing the test with what the page reported.
func (p *page) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		t.Fatalf("%s: %v (console: %v)", what, err, p.consoleErrors())
	}
}

// waitFor polls a JavaScript expression until it is true.
func (p *page) waitFor(t testing.TB, what, expr string) {
	t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v (console: %v)", what, err, p.consoleErrors())
	}
}

// evaluate runs a JavaScript expression and decodes its value.
func evaluate[T any](t testing.TB, p *page, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluating %.200s: %v (console: %v)", expr, err, p.consoleErrors())
	}
	return v
}

func (p *page) consoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

// mustStayLocal fails when the page asked for anything but the service,
// or its console reported an error (a CSP violation is one).
func (p *page) mustStayLocal(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.reqs {
		if !strings.HasPrefix(u, p.base+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page requested %s, outside the service", u)
		}
	}
	for _, e := range p.errs {
		t.Errorf("the page reported an error: %s", e)
	}
}

// The IDE loads with no internet, and runs an example query; the explorer
// plugin, history and docs are there.
func TestTheIDEWorksOffline(t *testing.T) {
	browser := newBrowser(t)
	base := service(t)
	p := openPage(t, browser, base, "/")
	p.waitFor(t, "the IDE", `!!document.querySelector('.graphiql-execute-button')`)
	for _, label := range []string{"Show GraphiQL Explorer", "Show History", "Show Documentation Explorer"} {
		if !evaluate[bool](t, p, fmt.Sprintf(`!!document.querySelector('[aria-label=%q]')`, label)) {
			t.Errorf("the IDE has no %q button", label)
		}
	}
	if tabs := evaluate[int](t, p, `document.querySelectorAll('.graphiql-tab').length`); tabs < 7 {
		t.Errorf("%d tabs; want one per example", tabs)
	}
	p.run(t, "running the first example", chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)))
	p.waitFor(t, "the answer", `(document.querySelector('.result-window') || {innerText: ''}).innerText.includes('"participants"')`)
	answer := evaluate[string](t, p, `document.querySelector('.result-window').innerText`)
	if strings.Contains(answer, `"errors"`) || !strings.Contains(answer, "Loffredo") {
		t.Errorf("the example's answer: %.300s", answer)
	}
	p.run(t, "opening the query builder", chromedp.Click(chromedp.CSS(`[aria-label="Show GraphiQL Explorer"]`)))
	p.waitFor(t, "the query builder", `!!document.querySelector('.graphiql-explorer-root')`)
	p.readmeScreenshot(t, "ide")
	p.mustStayLocal(t)
}

// explorer is the explorer's state as its test hook reports it.
type explorer struct {
	Nodes    []string `json:"nodes"`
	Edges    int      `json:"edges"`
	Inactive int      `json:"inactive"`
	Hidden   int      `json:"hidden"`
	Path     []string `json:"path"`
	Pinned   []string `json:"pinned"`
	Selected string   `json:"selected"`
	More     []string `json:"more"`
	Date     string   `json:"date"`
}

func (p *page) view(t *testing.T) explorer {
	t.Helper()
	return evaluate[explorer](t, p, `window.coopgraphExplorer.view()`)
}

// settled waits until no request of the explorer is in flight.
func (p *page) settled(t *testing.T) {
	t.Helper()
	p.waitFor(t, "the explorer to settle", `window.coopgraphExplorer && window.coopgraphExplorer.busy() === 0 && !document.getElementById('status').textContent`)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// An analyst searches "choneros", places Los Choneros with its
// neighbours, finds the paths to the Pentagon with each hop's evidence,
// moves the date slider, pins and removes with the keyboard, and opens
// the view again from its link.
func TestTheExplorerFollowsAnAnalyst(t *testing.T) {
	browser := newBrowser(t)
	base := service(t)
	p := openPage(t, browser, base, "/explore")
	p.waitFor(t, "the explorer", `!!window.coopgraphExplorer`)
	p.settled(t)

	p.run(t, "searching", chromedp.SendKeys(chromedp.ID("search-text"), "choneros\r"))
	p.waitFor(t, "the search hit", `!!document.querySelector('#results button[data-id="los-choneros"]')`)
	p.run(t, "placing Los Choneros", chromedp.Click(chromedp.CSS(`#results button[data-id="los-choneros"]`)))
	p.waitFor(t, "the neighbourhood", `window.coopgraphExplorer.view().nodes.length > 3`)
	p.settled(t)
	v := p.view(t)
	if !contains(v.Nodes, "los-choneros") || v.Selected != "los-choneros" || v.Edges < 3 {
		t.Fatalf("after placing Los Choneros: %+v", v)
	}
	p.waitFor(t, "the side panel", `document.querySelector('#details h3') && document.querySelector('#details h3').textContent === 'Los Choneros'`)
	p.waitFor(t, "the timeline", `document.querySelectorAll('#timeline .item').length > 0`)
	// A tie's evidence, reached from the node's panel without a mouse.
	p.waitFor(t, "the ties on screen", `document.querySelectorAll('#details ul.on-screen button').length > 0`)
	p.run(t, "choosing a tie", chromedp.Focus(chromedp.CSS(`#details ul.on-screen button`)), chromedp.KeyEvent("\r"))
	p.waitFor(t, "the tie's evidence", `document.querySelector('#details h3').textContent.includes('→') && document.querySelectorAll('#details .citation').length > 0`)
	if sel := p.view(t).Selected; sel == "" || sel == "los-choneros" {
		t.Errorf("after choosing a tie, the selection is %q", sel)
	}

	// The path finder: "Pentagon" is found by name (the building).
	p.run(t, "asking for paths",
		chromedp.SendKeys(chromedp.ID("path-from"), "los-choneros"),
		chromedp.SendKeys(chromedp.ID("path-to"), "pentagon\r")) // a name, in lower case
	p.waitFor(t, "the paths", `window.coopgraphExplorer.view().path.length > 0`)
	p.settled(t)
	v = p.view(t)
	if !contains(v.Path, "los-choneros") || !contains(v.Path, "the-pentagon") {
		t.Errorf("the path elements: %v", v.Path)
	}
	evidence := evaluate[[]string](t, p, `Array.from(document.querySelectorAll('#details .hop .citation blockquote')).map((q) => q.textContent)`)
	if len(evidence) == 0 || evidence[0] == "" {
		t.Errorf("no hop shows its passage: %v", evidence)
	}
	p.readmeScreenshot(t, "explorer")

	// The date slider: at its first month (1990-01), ties that began later are grey.
	p.run(t, "turning the date on", chromedp.Click(chromedp.ID("date-any")))
	p.run(t, "moving the slider", chromedp.Focus(chromedp.ID("date")), chromedp.KeyEvent(kb.Home))
	p.waitFor(t, "grey ties", `window.coopgraphExplorer.view().inactive > 0`)
	v = p.view(t)
	if v.Date != "1990-01" {
		t.Errorf("the slider's date: %q", v.Date)
	}

	// A hub cut short: at 10 ties per node, Ecuador's network is truncated,
	// and "more ties" (M) pages through the rest.
	p.run(t, "ten ties per node", chromedp.SetValue(chromedp.ID("per-node"), "10"))
	p.run(t, "selecting Ecuador", chromedp.Click(chromedp.CSS(`#on-screen button[data-id="ecuador"]`)))
	p.run(t, "expanding Ecuador", chromedp.Focus(chromedp.ID("cy")), chromedp.KeyEvent("e"))
	p.waitFor(t, "the cut", `window.coopgraphExplorer.view().more.includes('ecuador')`)
	p.settled(t)
	cut := p.view(t)
	p.run(t, "more ties", chromedp.Focus(chromedp.ID("cy")), chromedp.KeyEvent("m"))
	p.waitFor(t, "the rest", `!window.coopgraphExplorer.view().more.includes('ecuador')`)
	p.settled(t)
	if all := p.view(t); len(all.Nodes) <= len(cut.Nodes) || all.Edges <= cut.Edges {
		t.Errorf("more ties added nothing: %d nodes, %d ties before; %d, %d after", len(cut.Nodes), cut.Edges, len(all.Nodes), all.Edges)
	}
	// A type filter hides its ties.
	p.run(t, "hiding IN_COUNTRY", chromedp.Click(chromedp.CSS(`#types input[data-type="IN_COUNTRY"]`)))
	p.waitFor(t, "hidden ties", `window.coopgraphExplorer.view().hidden > 0`)

	// Keyboard: select a node from the list, pin it, remove another.
	p.run(t, "selecting from the list", chromedp.Click(chromedp.CSS(`#on-screen button[data-id="los-lobos"]`)))
	p.run(t, "pinning", chromedp.Focus(chromedp.ID("cy")), chromedp.KeyEvent("p"))
	p.waitFor(t, "the pin", `window.coopgraphExplorer.view().pinned.includes('los-lobos')`)
	before := p.view(t)
	var victim string
	for _, id := range before.Nodes {
		if !contains(before.Path, id) && id != "los-lobos" {
			victim = id
			break
		}
	}
	if victim == "" {
		t.Fatalf("no node off the path to remove: %v", before.Nodes)
	}
	{
		p.run(t, "removing "+victim, chromedp.Click(chromedp.CSS(`#on-screen button[data-id="`+victim+`"]`)),
			chromedp.Focus(chromedp.ID("cy")), chromedp.KeyEvent(kb.Delete))
		p.waitFor(t, "the removal", fmt.Sprintf(`!window.coopgraphExplorer.view().nodes.includes(%q)`, victim))
	}
	p.run(t, "selecting Los Choneros", chromedp.Click(chromedp.CSS(`#on-screen button[data-id="los-choneros"]`)))
	p.settled(t)
	want := p.view(t)

	// The link reopens the same view.
	time.Sleep(400 * time.Millisecond) // the address is written 250 ms after a change
	link := evaluate[string](t, p, `location.href`)
	if !strings.Contains(link, "#v=") {
		t.Fatalf("the address holds no view: %s", link)
	}
	q := openPage(t, browser, "", link)
	q.base = base
	q.waitFor(t, "the shared view", `window.coopgraphExplorer && window.coopgraphExplorer.view().nodes.length > 0`)
	q.settled(t)
	q.waitFor(t, "the path again", `window.coopgraphExplorer.view().path.length > 0`)
	got := q.view(t)
	if strings.Join(got.Nodes, " ") != strings.Join(want.Nodes, " ") || got.Date != want.Date || got.Edges != want.Edges ||
		strings.Join(got.Pinned, " ") != strings.Join(want.Pinned, " ") || got.Selected != want.Selected ||
		strings.Join(got.Path, " ") != strings.Join(want.Path, " ") {
		t.Errorf("the shared view differs:\n got %+v\nwant %+v", got, want)
	}
	p.mustStayLocal(t)
	q.mustStayLocal(t)
}

// syntheticNetwork is a network answer of n nodes and about 1.5 n ties,
// shaped as the API gives them: what the draw benchmark draws.
func syntheticNetwork(n int) map[string]any {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	kinds := []string{"PERSON", "GOVERNMENT", "MINISTRY", "ARMED_FORCE", "CRIMINAL_GROUP", "CARTEL", "COUNTRY"}
	statuses := []string{"CONFIRMED", "REPORTED", "ALLEGED", "DISPUTED", "ENDED"}
	nodes := make([]map[string]any, n)
	for i := range nodes {
		nodes[i] = map[string]any{"id": fmt.Sprintf("n%d", i), "name": fmt.Sprintf("Synthetic actor %d", i),
			"type": "Actor", "kind": kinds[r.IntN(len(kinds))], "synthetic": true}
	}
	var edges []map[string]any
	tie := func(a, b int) {
		edges = append(edges, map[string]any{"id": fmt.Sprintf("t%d", len(edges)), "source": fmt.Sprintf("n%d", a), "target": fmt.Sprintf("n%d", b),
			"type": "COOPERATES_WITH", "status": statuses[r.IntN(len(statuses))], "basis": "STATED", "since": "2020", "until": nil, "role": nil})
	}
	for i := 1; i < n; i++ {
		tie(i, r.IntN(i))
	}
	for range n / 2 {
		tie(r.IntN(n), r.IntN(n))
	}
	return map[string]any{"nodes": nodes, "edges": edges, "truncated": false}
}

// BenchmarkExplorer reports the weight of the explorer's page (bytes
// over the wire, compressed, and as served) and how long the explorer
// takes to draw a network of 500 and of 2,000 nodes, from the answer to
// the painted frame, in headless Chromium (median of b.N draws).
//
//	go test ./internal/webui -run '^$' -bench Explorer -benchtime 5x
func BenchmarkExplorer(b *testing.B) {
	browser := newBrowser(b)
	base := service(b)
	p := openPage(b, browser, base, "/explore")
	p.waitFor(b, "the explorer", `!!window.coopgraphExplorer`)
	p.waitFor(b, "the first view", `window.coopgraphExplorer.busy() === 0 && window.coopgraphExplorer.view().nodes.length > 0`)
	b.Run("page", func(b *testing.B) {
		for range b.N {
		}
		p.mu.Lock()
		var wire int64
		for _, n := range p.got {
			wire += n
		}
		p.mu.Unlock()
		b.ReportMetric(float64(wire)/1024, "KiB-on-the-wire")
		b.ReportMetric(float64(servedBytes(b, base, "/explore"))/1024, "KiB-uncompressed")
		b.ReportMetric(0, "ns/op")
	})
	for _, n := range []int{500, 2000} {
		net, err := json.Marshal(syntheticNetwork(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("draw-%d-nodes", n), func(b *testing.B) {
			var ms []float64
			for range b.N {
				ms = append(ms, evaluate[float64](b, p, `window.coopgraphExplorer.drawNetwork(`+string(net)+`)`, chromedp.EvalAwaitPromise))
			}
			slices.Sort(ms)
			b.ReportMetric(ms[len(ms)/2], "ms/draw")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// servedBytes is the size of a page and of every asset it names, as served
// uncompressed.
func servedBytes(tb testing.TB, base, route string) int {
	get := func(u string) []byte {
		res, err := http.Get(base + u)
		if err != nil {
			tb.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return body
	}
	page := get(route)
	total := len(page)
	for _, m := range regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		total += len(get(m[1]))
	}
	return total
}
