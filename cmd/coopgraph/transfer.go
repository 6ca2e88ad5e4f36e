package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/graphfile"
	"github.com/coopgraph/coopgraph/internal/importer"
)

// exportCommand writes the whole graph as JSON Lines that import reads back.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, getenv)
	format := fs.String("format", "jsonl", "jsonl (what import reads), graphml (Gephi), cytoscape (Cytoscape.js JSON) or csv")
	out := fs.String("o", "-", "output file, - for standard output; for csv, a prefix: PREFIX-nodes.csv and PREFIX-edges.csv")
	around := fs.String("network", "", "export only the network around these entity ids (comma-separated), as the network query gives it")
	depth := fs.Int("depth", 1, "with -network: hops from the entities (1 to 3)")
	limit := fs.Int("limit", coop.MaxNetworkSize, "with -network: most entities")
	perNode := fs.Int("per-node", 500, "with -network: most ties followed from one entity per hop")
	types := fs.String("types", "", "with -network: only these relationship types (comma-separated); all when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var selection *coop.NetworkQuery
	if *around != "" {
		q, err := networkQuery(*around, *types, *depth, *limit, *perNode)
		if err != nil {
			return err
		}
		selection = &q
	}
	switch *format {
	case "jsonl", "graphml", "cytoscape":
	case "csv":
		if *out == "-" {
			return errors.New("-format csv writes two files: give -o PREFIX")
		}
	default:
		return fmt.Errorf("-format %q: use jsonl, graphml, cytoscape or csv", *format)
	}
	store, _, err := c.open(ctx, stderr, 60*time.Second)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	var src graphSource = store
	if selection != nil {
		sel, err := selectNetwork(ctx, store, *selection)
		if err != nil {
			return err
		}
		if sel.truncated {
			fmt.Fprintln(stderr, "note: -limit or -per-node cut the network; raise them to export all of it")
		}
		src = sel
	}
	if *format != "jsonl" {
		return exportGraphFile(ctx, src, *format, *out, stdout, stderr)
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	buf := bufio.NewWriter(w)
	enc := dataset.NewWriter(buf)
	entities, rels := 0, 0
	err = src.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		for _, e := range es {
			if err := enc.Entity(e); err != nil {
				return err
			}
		}
		entities += len(es)
		return nil
	})
	if err == nil {
		err = src.EachRelationship(ctx, 5000, func(rs []*coop.Relationship) error {
			for _, r := range rs {
				if rule, _ := coop.RuleFor(r.Type); rule.Managed() {
					continue // a country tie is the country field of its entity's record
				}
				if err := enc.Relationship(r); err != nil {
					return err
				}
				rels++
			}
			return nil
		})
	}
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d entities and %d relationships\n", entities, rels)
	return nil
}

// importCommand validates JSON Lines or CSV files whole, then applies them
// in batches. References may point to entities already in the graph, and
// to records of earlier files.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, getenv)
	skipInvalid := fs.Bool("skip-invalid", false, "load the valid records and report the rest, instead of loading nothing")
	batch := fs.Int("batch", 2000, "records per transaction")
	who := fs.String("as", envOr(getenv, "USER", "operator"), "who the audit trail names for this import")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: coopgraph import [flags] FILE... (.jsonl, or .csv: entities files before relationships files)")
	}
	var lines []dataset.Line
	var problems dataset.Errors
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		var ls []dataset.Line
		var errs dataset.Errors
		if strings.EqualFold(filepath.Ext(name), ".csv") {
			ls, errs = dataset.CSVLines(name, f)
		} else {
			ls, errs = dataset.JSONLines(name, f)
		}
		f.Close()
		lines, problems = append(lines, ls...), append(problems, errs...)
	}
	store, _, err := c.open(ctx, stderr, 60*time.Second)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	rep, err := importer.Import(ctx, store, lines, importer.Options{SkipInvalid: *skipInvalid, Batch: *batch, Progress: stderr,
		Who: coop.Principal{Name: *who, Role: coop.RoleAdmin, Via: "cli"}, Name: strings.Join(fs.Args(), " "), Unreadable: problems})
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p)
	}
	if errors.Is(err, importer.ErrInvalid) {
		return fmt.Errorf("%d problems; nothing was imported (use -skip-invalid to import the valid records)", len(rep.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d entities and %d relationships (%d created or changed); %d records rejected\n",
		rep.Entities, rep.Relationships, rep.Changed, len(rep.Problems))
	return nil
}

// exportGraphFile writes the graph for drawing and analysis tools. It holds
// the graph in memory: meant for what a person can look at, not for 5M ties.
func exportGraphFile(ctx context.Context, store graphSource, format, out string, stdout, stderr io.Writer) error {
	var nodes []graphfile.Node
	var edges []*coop.Relationship
	if err := store.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		for _, e := range es {
			nodes = append(nodes, graphfile.NodeOf(e))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := store.EachRelationship(ctx, 5000, func(rs []*coop.Relationship) error {
		edges = append(edges, rs...)
		return nil
	}); err != nil {
		return err
	}
	create := func(name string) (io.Writer, func() error, error) {
		if name == "-" {
			return stdout, func() error { return nil }, nil
		}
		f, err := os.Create(name)
		if err != nil {
			return nil, nil, err
		}
		return f, f.Close, nil
	}
	var err error
	switch format {
	case "csv":
		nw, closeN, e1 := create(out + "-nodes.csv")
		if e1 != nil {
			return e1
		}
		ew, closeE, e2 := create(out + "-edges.csv")
		if e2 != nil {
			return e2
		}
		err = errors.Join(graphfile.CSV(nw, ew, nodes, edges), closeN(), closeE())
	default:
		w, closeW, e := create(out)
		if e != nil {
			return e
		}
		if format == "graphml" {
			err = graphfile.GraphML(w, nodes, edges)
		} else {
			err = graphfile.Cytoscape(w, nodes, edges)
		}
		err = errors.Join(err, closeW())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d entities and %d relationships as %s\n", len(nodes), len(edges), format)
	return nil
}

// graphSource is what export writes out: the whole graph, or a selection.
type graphSource interface {
	EachEntity(context.Context, int, func([]coop.Entity) error) error
	EachRelationship(context.Context, int, func([]*coop.Relationship) error) error
}

func networkQuery(ids, types string, depth, limit, perNode int) (coop.NetworkQuery, error) {
	q := coop.NetworkQuery{Depth: depth, Limit: limit, PerNode: perNode}
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); !coop.ValidID(id) {
			return q, fmt.Errorf("-network: %q is not an entity id", id)
		}
		q.IDs = append(q.IDs, strings.TrimSpace(id))
	}
	if types != "" {
		for _, t := range strings.Split(types, ",") {
			rt := coop.RelationType(strings.TrimSpace(t))
			if !rt.Valid() {
				return q, fmt.Errorf("-types: %q is not a relationship type", t)
			}
			q.Types = append(q.Types, rt)
		}
	}
	switch {
	case depth < 1 || depth > coop.MaxNetworkDepth:
		return q, fmt.Errorf("-depth must be 1 to %d", coop.MaxNetworkDepth)
	case limit < 1 || limit > coop.MaxNetworkSize:
		return q, fmt.Errorf("-limit must be 1 to %d", coop.MaxNetworkSize)
	case perNode < 1 || perNode > 500:
		return q, errors.New("-per-node must be 1 to 500")
	}
	return q, nil
}

// selection is a network and what its records refer to (cited sources,
// countries), so that its JSON Lines import into an empty graph.
type selection struct {
	entities  []coop.Entity
	rels      []*coop.Relationship
	truncated bool
}

func selectNetwork(ctx context.Context, store interface {
	Network(context.Context, coop.NetworkQuery) (coop.Network, error)
	Entities(context.Context, []string) (map[string]coop.Entity, error)
}, q coop.NetworkQuery) (*selection, error) {
	net, err := store.Network(ctx, q)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, e := range net.Nodes {
		have[e.EntityID()] = true
	}
	var refs []string
	need := func(id string) {
		if id != "" && !have[id] {
			have[id] = true
			refs = append(refs, id)
		}
	}
	for _, r := range net.Edges {
		for _, c := range r.Citations {
			need(c.SourceID)
		}
	}
	all := append([]coop.Entity{}, net.Nodes...)
	// What the entities refer to, and what that refers to (a country's sources).
	for fresh := all; len(fresh) > 0; {
		for _, e := range fresh {
			for _, c := range e.EntityBase().Citations {
				need(c.SourceID)
			}
			switch x := e.(type) {
			case *coop.Actor:
				need(x.CountryID)
			case *coop.Place:
				need(x.CountryID)
			}
		}
		extra, err := store.Entities(ctx, refs)
		if err != nil {
			return nil, err
		}
		fresh = nil
		for _, id := range refs {
			if e, ok := extra[id]; ok {
				fresh = append(fresh, e)
			}
		}
		all, refs = append(all, fresh...), nil
	}
	// Export order: every reference points backwards.
	slices.SortStableFunc(all, func(a, b coop.Entity) int {
		if d := dataset.ExportOrder(a) - dataset.ExportOrder(b); d != 0 {
			return d
		}
		return strings.Compare(a.EntityID(), b.EntityID())
	})
	rels := slices.Clone(net.Edges)
	slices.SortFunc(rels, func(a, b *coop.Relationship) int { return strings.Compare(a.ID, b.ID) })
	return &selection{entities: all, rels: rels, truncated: net.Truncated}, nil
}

func (s *selection) EachEntity(_ context.Context, _ int, f func([]coop.Entity) error) error {
	return f(s.entities)
}

func (s *selection) EachRelationship(_ context.Context, _ int, f func([]*coop.Relationship) error) error {
	return f(s.rels)
}
