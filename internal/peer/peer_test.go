package peer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
)

func rounds(perSecond []float64, lat ...time.Duration) []Round {
	var out []Round
	for i, ps := range perSecond {
		r := Round{OK: int(ps), Elapsed: time.Second}
		if i == 0 {
			r.Latencies = lat
		}
		out = append(out, r)
	}
	return out
}

func TestPeerTableGivesMediansPercentilesAndRatios(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	rows := []Row{{
		Name:      "network depth 1 (hub, 50 ties)",
		Coopgraph: Side{Rounds: rounds([]float64{300, 100, 200}, lat...), AnswerBytes: 11038},
		Peer:      Side{Rounds: rounds([]float64{100, 50, 150, 120}, 10*time.Millisecond, 20*time.Millisecond), AnswerBytes: 11045},
		Note:      "a note",
	}, {Name: "nothing answered", Coopgraph: Side{Rounds: []Round{{Errors: 3, Elapsed: time.Second}}}, Peer: Side{}}}
	rows[0].Peer.Rounds[1].Errors = 2
	var b bytes.Buffer
	WriteTable(&b, rows)
	got := b.String()
	for _, want := range []string{
		"| scenario | coopgraph req/s | peer req/s | req/s ratio | coopgraph p50 | coopgraph p99 | peer p50 | peer p99 | p99 ratio | errors | answer bytes |",
		// req/s 200 (median of 3) and 110 (median of 4); p50 51 ms, p99 100 ms; the peer's 20 ms.
		"| network depth 1 (hub, 50 ties) | 200 | 110 | 1.82 | 51.00 ms | 100.00 ms | 20.00 ms | 20.00 ms | 5.00 | 0 / 2 | 11038 / 11045 |",
		"| nothing answered | 0 | 0 | n/a | n/a | n/a | n/a | n/a | n/a | 3 / 0 | 0 / 0 |",
		"\n- network depth 1 (hub, 50 ties): a note\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the table lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n|"); n != 3 {
		t.Errorf("%d table lines after the header, want 3:\n%s", n, got)
	}
}

func TestPeerPackagesAreThoseTheLockfilePins(t *testing.T) {
	got, err := Packages()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"@apollo/server 5.5.1", "@neo4j/graphql 7.6.3", "graphql 16.15.0", "neo4j-driver 5.28.3"}
	if !slices.Equal(got, want) {
		t.Errorf("Packages() = %q, want %q", got, want)
	}
	// Every package the lockfile installs carries its integrity hash.
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
			Link      bool   `json:"link"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(appFile("package-lock.json"), &lock); err != nil {
		t.Fatal(err)
	}
	for path, p := range lock.Packages {
		if path != "" && !p.Link && !strings.HasPrefix(p.Integrity, "sha512-") {
			t.Errorf("%s %s has no sha512 integrity hash in the lockfile", path, p.Version)
		}
	}
	_, err = lockedPackages([]byte(`{"dependencies": {"left-pad": "1.3.0"}}`), []byte(`{"packages": {}}`))
	if err == nil || !strings.Contains(err.Error(), "does not pin left-pad") {
		t.Errorf("a dependency the lockfile lacks: %v", err)
	}
}

// The app reads coopgraph's network statements and serves each through a
// field declaring every parameter the statement takes.
func TestPeerAppInputMatchesTheServersFields(t *testing.T) {
	b, err := newAppInput()
	if err != nil {
		t.Fatal(err)
	}
	var in appInput
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	if len(in.Ties) != len(coop.Relations) || !slices.Contains(in.Ties, "IN_COUNTRY") || slices.Contains(in.Ties, "MENTIONS") {
		t.Errorf("ties = %q, want the allow-list", in.Ties)
	}
	server := string(appFile("server.mjs"))
	decl := regexp.MustCompile("networkDepth\\$\\{depth\\}\\(([^)]*)\\)").FindStringSubmatch(server)
	if decl == nil {
		t.Fatal("server.mjs declares no networkDepth field")
	}
	for depth := 1; depth <= coop.MaxNetworkDepth; depth++ {
		cypher := in.Network[fmt.Sprint(depth)]
		if cypher == "" {
			t.Errorf("no network statement at depth %d", depth)
		}
		for _, p := range regexp.MustCompile(`\$(\w+)`).FindAllStringSubmatch(cypher, -1) {
			if !strings.Contains(decl[1], p[1]+":") {
				t.Errorf("the depth %d statement takes $%s, which networkDepth%d(%s) does not declare", depth, p[1], depth, decl[1])
			}
		}
		if strings.Contains(cypher, `"""`) {
			t.Errorf("the depth %d statement cannot go into a GraphQL block string", depth)
		}
	}
}

func TestPeerComparisonsAskBothServers(t *testing.T) {
	if _, err := Comparisons(Targets{}); err == nil {
		t.Error("comparisons without entities to ask about")
	}
	cs, err := Comparisons(Targets{People: []string{"p1", "p2"}, Names: []string{"Gaqui Kasanlo 901"}, Hub: "hub", After: []string{"p0"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 7 {
		t.Errorf("%d comparisons, want 7", len(cs))
	}
	for _, c := range cs {
		for i := range 3 {
			cr, pr := c.Coopgraph(i), c.Peer(i)
			if cr.Query == "" || pr.Query == "" || len(cr.Variables) == 0 || len(pr.Variables) == 0 {
				t.Errorf("%s: request %d is incomplete: %+v / %+v", c.Name, i, cr, pr)
			}
		}
		if c.Same == nil || c.How == "" {
			t.Errorf("%s lacks its check or what the peer does", c.Name)
		}
	}
	search := cs[slices.IndexFunc(cs, func(c Comparison) bool { return strings.HasPrefix(c.Name, "search") })]
	v := search.Peer(0).Variables
	if !strings.Contains(v["every"].(string), "+(gaqui^3 OR gaqui*)") || !strings.Contains(v["any"].(string), "gaqui~1") || v["scan"] != int64(50) {
		t.Errorf("the peer's search is not asked coopgraph's full-text queries: %v", v)
	}
	list := cs[slices.IndexFunc(cs, func(c Comparison) bool { return strings.HasPrefix(c.Name, "nested list") })]
	if got := list.Coopgraph(0).Variables["after"]; got != "cDA" { // base64url("p0"), coopgraph's cursor
		t.Errorf("coopgraph's cursor = %v", got)
	}
}

// An installed peer is reused without npm; the script goes beside its packages.
func TestPeerInstallReusesAnInstalledPeer(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, "peer-"+shortHash(appFile("package.json"), appFile("package-lock.json")))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "server-0000000000000000.mjs")
	os.WriteFile(stale, nil, 0o644)
	os.Chtimes(stale, time.Now().Add(-48*time.Hour), time.Now().Add(-48*time.Hour))
	var logged []string
	script, err := Install(context.Background(), "/nonexistent/npm", cache, func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) })
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(script) != dir {
		t.Errorf("script %s is not beside the packages in %s", script, dir)
	}
	if b, _ := os.ReadFile(script); !bytes.Equal(b, appFile("server.mjs")) {
		t.Error("the script is not the peer's server")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a day-old script of another version was kept")
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "reusing") {
		t.Errorf("logged %q", logged)
	}
	// Without the marker, it installs, and says what is missing.
	os.Remove(filepath.Join(dir, ".installed"))
	_, err = Install(context.Background(), "/nonexistent/npm", cache, func(string, ...any) {})
	if err == nil || !strings.Contains(err.Error(), "needs npm") {
		t.Errorf("installing without npm: %v", err)
	}
}

func TestPeerMeasureCountsAnswersAndErrors(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Variables map[string]any `json:"variables"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		switch n.Add(1) % 4 {
		case 0:
			w.Write([]byte(`{"errors": [{"message": "boom"}]}`))
		case 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			fmt.Fprintf(w, `{"data": {"echo": %v}}`, body.Variables["i"])
		}
	}))
	defer srv.Close()
	c := NewClient(2)
	r := Measure(context.Background(), c, srv.URL, func(i int) Request { return Request{"{ echo }", map[string]any{"i": i}} },
		2, 200*time.Millisecond, time.Second)
	if r.OK == 0 || r.Errors == 0 || len(r.Latencies) != r.OK || r.FirstError == "" {
		t.Errorf("round = %d answered, %d errors, %d latencies, first error %q", r.OK, r.Errors, len(r.Latencies), r.FirstError)
	}
	if r.Elapsed < 200*time.Millisecond || r.PerSecond() <= 0 {
		t.Errorf("elapsed %s, %.0f/s", r.Elapsed, r.PerSecond())
	}
	// Ask returns the data, and GraphQL errors as errors.
	for {
		data, size, err := Ask(context.Background(), c, srv.URL, Request{"{ echo }", map[string]any{"i": 7}})
		if err != nil {
			if !strings.Contains(err.Error(), "boom") && !strings.Contains(err.Error(), "status 503") {
				t.Fatalf("Ask: %v", err)
			}
			continue
		}
		if string(data) != `{"echo": 7}` || size == 0 {
			t.Errorf("Ask = %s (%d bytes)", data, size)
		}
		break
	}
}

func TestPeerPeakMemoryIsReadFromProcStatus(t *testing.T) {
	status := []byte("Name:\tnode\nVmPeak:\t 1234 kB\nVmHWM:\t  248832 kB\nVmRSS:\t 200000 kB\n")
	if got := vmHWM(status); got != 248832*1024 {
		t.Errorf("vmHWM = %d", got)
	}
	if got := vmHWM([]byte("Name:\tx\n")); got != 0 {
		t.Errorf("vmHWM without the line = %d", got)
	}
	var tb tailBuffer
	tb.max = 8
	tb.Write([]byte("0123456789"))
	tb.Write([]byte("ab"))
	if got := tb.String(); got != "456789ab" {
		t.Errorf("tail = %q", got)
	}
}
