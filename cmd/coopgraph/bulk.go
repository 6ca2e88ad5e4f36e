package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coopgraph/coopgraph/internal/bulkload"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// bulkFlags are the flags of a load through Neo4j's offline importer.
type bulkFlags struct {
	dir, script, tmp string
	indexWait        time.Duration
}

func (b *bulkFlags) register(fs *flag.FlagSet, what string) {
	fs.StringVar(&b.dir, "bulk", "", "load through Neo4j's offline importer, many times faster, into the server tools/neo4j/neo4j-local runs in this "+
		"directory (.data/neo4j for make run; -neo4j-uri must reach it): the server is stopped while its database is replaced, then started again. "+
		"For a database that holds nothing: "+what)
	fs.StringVar(&b.script, "neo4j-local", "tools/neo4j/neo4j-local", "with -bulk: the neo4j-local script that runs the importer")
	fs.StringVar(&b.tmp, "bulk-tmp", "", "with -bulk: where to write the importer's CSV files during the load (default: inside the -bulk directory)")
	fs.DurationVar(&b.indexWait, "index-wait", time.Hour, "with -bulk: how long to wait for the indexes to be populated")
}

// bulkReport is what a bulk load did and how long each step took.
type bulkReport struct {
	nodes, relationships, countryTies int
	write, load, schema, fixups       time.Duration
	fixed                             int
	took                              time.Duration
}

func (r bulkReport) String() string {
	return fmt.Sprintf("bulk: wrote the importer's files in %s (the server stopping meanwhile), imported them and started the server in %s, "+
		"set %d lists the importer cannot write in %s, built the constraints and indexes in %s",
		r.write.Round(time.Millisecond), r.load.Round(time.Millisecond), r.fixed, r.fixups.Round(time.Millisecond),
		r.schema.Round(time.Millisecond))
}

// bulkLoad loads what write writes through the offline importer into the
// database of the server in b.dir, which it first checks holds nothing
// (or, with reset, is to be replaced whole), then completes the database
// as the online load leaves it, and calls finish, when given, with the
// store. It opens the store itself: the server stops and starts in the
// middle.
func bulkLoad(ctx context.Context, c *common, b bulkFlags, command string, reset bool, stderr io.Writer,
	write func(*bulkload.Writer) error, finish func(*neo4jstore.Store) error) (bulkReport, error) {
	var rep bulkReport
	start := time.Now()
	if err := bulkload.CheckServer(b.dir, c.neo4j.URI, c.neo4j.Database); err != nil {
		return rep, err
	}
	if fi, err := os.Stat(b.script); err != nil || fi.IsDir() {
		return rep, fmt.Errorf("-neo4j-local %s: no such script (run from the repository's root, or give its path)", b.script)
	}
	store, logger, err := c.open(ctx, stderr)
	if err != nil {
		return rep, err
	}
	defer func() {
		if store != nil {
			store.Close(context.WithoutCancel(ctx))
		}
	}()
	has, err := store.Contents(ctx)
	if err != nil {
		return rep, err
	}
	if has.Entities > 0 || has.Changes > 0 || has.Keys > 0 {
		if !reset {
			return rep, fmt.Errorf("%s -bulk replaces the whole database, and this one holds %d entities (%d of them not synthetic), %d audit entries and %d API keys: "+
				"point -bulk and -neo4j-uri at another server, or give -reset to replace everything in this one", command, has.Entities, has.Facts(), has.Changes, has.Keys)
		}
		logger.Info("replacing the whole database (-reset)", "entities", has.Entities, "of_them_facts", has.Facts(),
			"relationships", has.Relationships, "audit_entries", has.Changes, "api_keys", has.Keys)
	}
	parent := b.tmp
	if parent == "" {
		parent = b.dir
	}
	tmp, err := os.MkdirTemp(parent, "bulk-load-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	w, err := bulkload.NewWriter(tmp)
	if err != nil {
		return rep, err
	}
	// The server stops now, while the files are written: nothing can come
	// into the database any more, and its shutdown takes no time of its own.
	store.Close(context.WithoutCancel(ctx))
	store = nil
	logger.Info("stopping the server while the importer's files are written", "dir", b.dir)
	stopped := make(chan error, 1)
	go func() { stopped <- bulkload.Stop(ctx, b.script, b.dir) }()
	step := time.Now()
	err = write(w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if serr := <-stopped; err == nil {
		err = serr
	}
	if err != nil {
		if serr := bulkload.Start(context.WithoutCancel(ctx), b.script, b.dir); serr != nil {
			logger.Error("could not start the server again", "error", serr)
		}
		return rep, err
	}
	rep.nodes, rep.relationships, rep.countryTies = w.Counts()
	rep.write = time.Since(step)
	logger.Info("importing with Neo4j's offline importer", "dir", b.dir,
		"nodes", rep.nodes, "relationships", rep.relationships+rep.countryTies)
	step = time.Now()
	if err := bulkload.Import(b.script, b.dir, tmp, w, stderr); err != nil {
		return rep, err
	}
	rep.load = time.Since(step)
	if store, _, err = c.open(ctx, stderr); err != nil {
		return rep, err
	}
	logger.Info("creating the constraints and indexes")
	fin, err := bulkload.Finish(ctx, store, w, b.indexWait, logger)
	if err != nil {
		return rep, err
	}
	rep.schema, rep.fixups, rep.fixed = fin.Schema, fin.Fixups, fin.Fixed
	if finish != nil {
		if err := finish(store); err != nil {
			return rep, err
		}
	}
	rep.took = time.Since(start)
	return rep, nil
}
