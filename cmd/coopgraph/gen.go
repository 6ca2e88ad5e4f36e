package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/coopgraph/coopgraph/internal/bulkload"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
	"github.com/coopgraph/coopgraph/internal/progress"
	"github.com/coopgraph/coopgraph/internal/synth"
)

// LoadReport is what a synthetic load did and how fast.
type LoadReport struct {
	Nodes, Relationships int
	CountryTies          int     // one per generated actor or place: its country field
	NodeRate, RelRate    float64 // per second
	Took                 time.Duration
}

func genCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("gen", getenv, stderr)
	nodes := fs.Int("nodes", 10000, "number of nodes")
	rels := fs.Float64("rels-per-node", 5, "average relationships per node")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same graph")
	batch := fs.Int("batch", 10000, "records per transaction")
	writers := fs.Int("writers", 2, "transactions in flight at once")
	reset := fs.Bool("reset", false, "delete everything in the database first (entities, relationships, audit trail, API keys); without it, gen refuses a database that holds any facts")
	var bulk bulkFlags
	bulk.register(fs, "without -reset, gen -bulk refuses a database that holds any entity, audit entry or API key")
	if err := parseFlags(fs, getenv, args); err != nil {
		return err
	}
	cfg := synth.DefaultConfig(*nodes, *seed)
	cfg.RelsPerNode, cfg.BatchSize = *rels, *batch
	if bulk.dir != "" {
		rep, err := generateBulk(ctx, c, bulk, cfg, *reset, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "loaded %d nodes (%.0f/s) and %d relationships (%.0f/s), and linked %d actors and places to their countries, in %s\n%s\n",
			rep.nodes, float64(rep.nodes)/rep.took.Seconds(), rep.relationships, float64(rep.relationships)/rep.took.Seconds(),
			rep.countryTies, rep.took.Round(time.Millisecond), rep)
		return nil
	}
	store, logger, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	rep, err := generate(ctx, store, cfg, *writers, *reset, stderr, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded %d nodes (%.0f/s) and %d relationships (%.0f/s), and linked %d actors and places to their countries, in %s\n",
		rep.Nodes, rep.NodeRate, rep.Relationships, rep.RelRate, rep.CountryTies, rep.Took.Round(time.Millisecond))
	return nil
}

// generate loads a synthetic graph in batches with progress bars.
func generate(ctx context.Context, store *neo4jstore.Store, cfg synth.Config, writers int, reset bool, stderr io.Writer, logger *slog.Logger) (LoadReport, error) {
	g, err := synth.New(cfg)
	if err != nil {
		return LoadReport{}, err
	}
	start := time.Now()
	has, err := store.Contents(ctx)
	if err != nil {
		return LoadReport{}, err
	}
	switch {
	case reset && (has.Entities > 0 || has.Changes > 0 || has.Keys > 0):
		logger.Info("deleting the whole database first (-reset)", "entities", has.Entities, "of_them_facts", has.Facts(),
			"relationships", has.Relationships, "audit_entries", has.Changes, "api_keys", has.Keys)
		if err := store.DeleteAll(ctx); err != nil {
			return LoadReport{}, err
		}
	case !reset && (has.Facts() > 0 || has.Changes > 0 || has.Keys > 0):
		return LoadReport{}, fmt.Errorf("this database holds %d entities that are not synthetic, %d audit entries and %d API keys: "+
			"gen adds invented data only where there are no facts. Point it at another database (-neo4j-uri, -neo4j-database), "+
			"or give -reset to delete everything in this one first", has.Facts(), has.Changes, has.Keys)
	}
	if err := store.ApplySchema(ctx); err != nil {
		return LoadReport{}, err
	}
	load := func(ds coop.Dataset) error { _, err := store.LoadBatch(ctx, ds, coop.LoadFresh); return err }
	bar := progress.New(stderr, "nodes", g.Nodes())
	if err := loadConcurrently(writers, g.EachNodeBatch, load, func(ds coop.Dataset) { bar.Add(len(ds.Entities)) }); err != nil {
		return LoadReport{}, err
	}
	rep := LoadReport{Nodes: g.Nodes(), NodeRate: bar.Finish()}
	logger.Info("linking actors and places to their countries")
	if rep.CountryTies, err = store.LinkCountries(ctx); err != nil {
		return LoadReport{}, err
	}
	bar = progress.New(stderr, "relationships", g.Relationships())
	if err := loadConcurrently(writers, g.EachRelationshipBatch, load, func(ds coop.Dataset) { bar.Add(len(ds.Relationships)) }); err != nil {
		return LoadReport{}, err
	}
	rep.Relationships, rep.RelRate, rep.Took = g.Relationships(), bar.Finish(), time.Since(start)
	return rep, nil
}

// generateBulk loads a synthetic graph through Neo4j's offline importer:
// the same graph generate loads, nodes and relationships written side by
// side. Its rates are of the whole load, from the first check to the last
// index populated.
func generateBulk(ctx context.Context, c *common, b bulkFlags, cfg synth.Config, reset bool, stderr io.Writer) (bulkReport, error) {
	g, err := synth.New(cfg)
	if err != nil {
		return bulkReport{}, err
	}
	return bulkLoad(ctx, c, b, "gen", reset, stderr, func(w *bulkload.Writer) error {
		var mu sync.Mutex
		bar := progress.New(stderr, "nodes and relationships written", g.Nodes()+g.Relationships())
		done := func(n int) { mu.Lock(); bar.Add(n); mu.Unlock() }
		// Three at once: the nodes; the relationships, drawn; and written.
		eg, gctx := errgroup.WithContext(ctx)
		eg.Go(func() error {
			return g.EachNodeBatch(func(ds coop.Dataset) error {
				for _, e := range ds.Entities {
					if err := w.Entity(e); err != nil {
						return err
					}
				}
				done(len(ds.Entities))
				return nil
			})
		})
		batches := make(chan coop.Dataset, 2)
		eg.Go(func() error {
			defer close(batches)
			return g.EachRelationshipBatch(func(ds coop.Dataset) error {
				select {
				case batches <- ds:
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			})
		})
		eg.Go(func() error {
			for ds := range batches {
				for _, r := range ds.Relationships {
					if err := w.Relationship(r, true); err != nil {
						return err // which stops the generator
					}
				}
				done(len(ds.Relationships))
			}
			return nil
		})
		err := eg.Wait()
		bar.Finish()
		return err
	}, nil)
}

// loadConcurrently loads the batches produce makes with up to writers
// transactions in flight, stopping at the first error. Each batch is split
// among the writers by the hash of each relationship's target, so that a
// hub's ties all go through one writer: writers then never wait on each
// other's locks on the hub.
func loadConcurrently(writers int, produce func(func(coop.Dataset) error) error, load func(coop.Dataset) error, done func(coop.Dataset)) error {
	writers = max(writers, 1)
	queues := make([]chan coop.Dataset, writers)
	var mu sync.Mutex
	var firstErr error
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return firstErr != nil }
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan coop.Dataset, 1)
		wg.Add(1)
		go func(batches chan coop.Dataset) {
			defer wg.Done()
			for ds := range batches {
				if failed() {
					continue
				}
				if err := load(ds); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mu.Lock()
				done(ds)
				mu.Unlock()
			}
		}(queues[i])
	}
	err := produce(func(ds coop.Dataset) error {
		if failed() {
			return errors.New("stopped")
		}
		parts := make([]coop.Dataset, writers)
		for i, e := range ds.Entities {
			parts[i%writers].Entities = append(parts[i%writers].Entities, e)
		}
		for _, r := range ds.Relationships {
			h := fnv.New32a()
			h.Write([]byte(r.ToID))
			w := int(h.Sum32() % uint32(writers))
			parts[w].Relationships = append(parts[w].Relationships, r)
		}
		for i, p := range parts {
			if len(p.Entities)+len(p.Relationships) > 0 {
				queues[i] <- p
			}
		}
		return nil
	})
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return err
}
