package bulkload

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// CheckServer makes sure that the neo4j-local server directory dir is the
// server uri reaches, and that the database is its only user database,
// neo4j: the importer writes into dir, the rest of the load goes through uri.
func CheckServer(dir, uri, database string) error {
	b, err := os.ReadFile(filepath.Join(dir, "port"))
	if err != nil {
		return fmt.Errorf("-bulk %s: not the directory of a server tools/neo4j/neo4j-local started (%v)", dir, err)
	}
	port := strings.TrimSpace(string(b))
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("-neo4j-uri %s: %w", uri, err)
	}
	uriPort := u.Port()
	if uriPort == "" {
		uriPort = "7687"
	}
	switch h := u.Hostname(); {
	case h != "127.0.0.1" && h != "localhost" && h != "::1":
		return fmt.Errorf("-bulk writes the files of a server on this machine, but -neo4j-uri %s names host %s", uri, h)
	case uriPort != port:
		return fmt.Errorf("-bulk %s: that server listens on port %s, but -neo4j-uri %s says %s: point both at the same server", dir, port, uri, uriPort)
	case database != "" && database != "neo4j":
		return fmt.Errorf("-bulk loads database neo4j, the only one Neo4j Community holds, not %q (-neo4j-database)", database)
	}
	return nil
}

// progressLine is a line of the importer's progress dots: left out of
// what Import shows, which keeps the importer's stages and its summary.
var progressLine = regexp.MustCompile(`^[-.]\.{9} `)

// Import runs the importer through script (tools/neo4j/neo4j-local) on
// the server in dir, with the arguments w gives: the script stops the
// server, replaces its database neo4j with what the files hold and starts
// it again. The importer's report goes into reportDir. Its output, but for
// its progress dots, goes to out; all of it to importer.log in reportDir.
func Import(script, dir, reportDir string, w *Writer, out io.Writer) error {
	args := append([]string{"import", dir, "--", "--report-file=" + filepath.Join(reportDir, "import.report")}, w.ImporterArgs()...)
	log, err := os.Create(filepath.Join(reportDir, "importer.log"))
	if err != nil {
		return fmt.Errorf("bulkload: %w", err)
	}
	defer log.Close()
	pr, pw := io.Pipe()
	// Not ended with ctx: killed half way, the script could not put the
	// database back. Ctrl-C reaches the importer, and the script then does.
	cmd := exec.Command(script, args...)
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			// (Nor the names of the files, which are gone when the load ends.)
			if !progressLine.MatchString(line) && !strings.Contains(line, reportDir) && strings.TrimSpace(line) != "" {
				fmt.Fprintln(out, line)
			}
		}
		io.Copy(io.Discard, pr)
	}()
	err = cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		return fmt.Errorf("bulkload: %s import %s: %w (its output is above)", script, dir, err)
	}
	return nil
}

// Stop stops the server in dir through script (tools/neo4j/neo4j-local).
func Stop(ctx context.Context, script, dir string) error {
	if out, err := exec.CommandContext(ctx, script, "stop", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("bulkload: %s stop %s: %w\n%s", script, dir, err, out)
	}
	return nil
}

// Start starts the server in dir again through script, on its port and
// with the memory it had.
func Start(ctx context.Context, script, dir string) error {
	port, err := os.ReadFile(filepath.Join(dir, "port"))
	if err != nil {
		return fmt.Errorf("bulkload: %w", err)
	}
	conf, _ := os.ReadFile(filepath.Join(dir, "conf", "neo4j.conf"))
	cmd := exec.CommandContext(ctx, script, "start", dir, strings.TrimSpace(string(port)))
	cmd.Env = os.Environ()
	for _, line := range strings.Split(string(conf), "\n") {
		if v, ok := strings.CutPrefix(line, "server.memory.heap.max_size="); ok {
			cmd.Env = append(cmd.Env, "NEO4J_HEAP="+v)
		}
		if v, ok := strings.CutPrefix(line, "server.memory.pagecache.size="); ok {
			cmd.Env = append(cmd.Env, "NEO4J_PAGECACHE="+v)
		}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bulkload: %s start %s: %w\n%s", script, dir, err, out)
	}
	return nil
}

// FinishReport says how long Finish took at each step.
type FinishReport struct {
	Schema time.Duration // the constraints and indexes, populated
	Fixups time.Duration // setting what the importer cannot write
	Fixed  int           // nodes and relationships given values the importer could not write
	Took   time.Duration // all of it
}

// Finish completes the database the importer wrote from w's files, as the
// online load leaves it: the graph's version and the load lock, the
// values the importer cannot write (the entities' before the indexes that
// would have to follow them are made), the constraints and indexes
// (waiting up to indexWait for them to be populated), and ApplySchema.
func Finish(ctx context.Context, store *neo4jstore.Store, w *Writer, indexWait time.Duration, logger *slog.Logger) (FinishReport, error) {
	var rep FinishReport
	_, _, ties := w.Counts()
	start := time.Now()
	if err := store.BeginBulkSchema(ctx, ties > 0); err != nil {
		return rep, err
	}
	fix := func(entities bool) error {
		t := time.Now()
		for _, f := range w.Fixups() {
			if (f.RelType == "") != entities {
				continue
			}
			if err := store.SetBulkProperties(ctx, f.RelType, f.IDs, f.Props); err != nil {
				return err
			}
			rep.Fixed += len(f.IDs)
		}
		rep.Fixups += time.Since(t)
		return nil
	}
	if err := fix(true); err != nil {
		return rep, err
	}
	t := time.Now()
	last := time.Now()
	err := store.AwaitBulkSchema(ctx, indexWait, func(done float64) {
		if time.Since(last) >= 10*time.Second {
			logger.Info("populating the indexes", "done", fmt.Sprintf("%.0f%%", done))
			last = time.Now()
		}
	})
	if err != nil {
		return rep, err
	}
	rep.Schema = time.Since(t)
	// Relationships are found through the constraints on their ids.
	if err := fix(false); err != nil {
		return rep, err
	}
	if err := store.ApplySchema(ctx); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}
