package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/graphfile"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/subgraph"
)

// exportCommand writes the whole graph, or a network of it, as records
// that import reads back (JSON Lines, CSV) or as a file for graph tools.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("export", getenv, stderr)
	format := fs.String("format", "jsonl", "jsonl or csv (records that import reads back), graphml (Gephi, yEd) or cytoscape (Cytoscape.js JSON)")
	out := fs.String("o", "-", "output file, - for standard output; for csv, two files: -o graph.csv writes graph-entities.csv and graph-relationships.csv")
	around := fs.String("network", "", "export only the network around these entity ids (comma-separated), as the network query gives it")
	depth := fs.Int("depth", coop.NetworkDepth.Default, fmt.Sprintf("with -network: hops from the entities (%d to %d)", coop.NetworkDepth.Min, coop.NetworkDepth.Max))
	limit := fs.Int("limit", coop.NetworkSize.Max, "with -network: most entities")
	perNode := fs.Int("per-node", coop.NetworkPerNode.Max, "with -network: most ties followed from one entity per hop")
	types := fs.String("types", "", "with -network: only these relationship types (comma-separated); all when empty")
	force := fs.Bool("force", false, "overwrite output files that exist (never through a symbolic link)")
	if err := parseFlags(fs, getenv, args); err != nil {
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
			return errors.New("-format csv writes two files: give -o, as in -o graph.csv")
		}
	default:
		return fmt.Errorf("-format %q: use jsonl, csv, graphml or cytoscape", *format)
	}
	store, _, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	var src graphSource = store
	if selection != nil {
		sel, err := subgraph.Network(ctx, store, *selection)
		if err != nil {
			return err
		}
		if sel.Truncated {
			fmt.Fprintln(stderr, "note: -limit or -per-node cut the network; raise them to export all of it")
		}
		src = sel
	}
	switch *format {
	case "graphml", "cytoscape":
		return exportGraphFile(ctx, src, *format, *out, *force, stdout, stderr)
	case "csv":
		prefix := strings.TrimSuffix(*out, filepath.Ext(*out))
		names := []string{prefix + "-entities.csv", prefix + "-relationships.csv"}
		files := make([]*os.File, 2)
		for i, name := range names {
			if files[i], err = createOutput(name, *force); err != nil {
				return err
			}
			defer files[i].Close()
		}
		ew, rw := bufio.NewWriter(files[0]), bufio.NewWriter(files[1])
		w := dataset.NewCSVWriter(ew, rw)
		n, err := exportRecords(ctx, src, w)
		if err == nil {
			err = errors.Join(w.Flush(), ew.Flush(), rw.Flush(), files[0].Close(), files[1].Close())
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %s; wrote %s and %s\n", n, names[0], names[1])
		return nil
	}
	w := stdout
	if *out != "-" {
		f, err := createOutput(*out, *force)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	buf := bufio.NewWriter(w)
	enc := dataset.NewWriter(buf)
	n, err := exportRecords(ctx, src, enc)
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %s\n", n)
	return nil
}

// exportRecords hands every record to the writer in export order: sources,
// their passages, the other entities, relationships. It says how many it
// wrote. Country ties are not records: the country field of their entity's
// record is the tie.
func exportRecords(ctx context.Context, src graphSource, w dataset.RecordWriter) (string, error) {
	entities, passages, rels := 0, 0, 0
	passagesDone := false
	writePassages := func() error {
		passagesDone = true
		return src.EachPassage(ctx, 5000, func(ps []coop.Passage) error {
			for _, p := range ps {
				if err := w.Passage(p); err != nil {
					return err
				}
			}
			passages += len(ps)
			return nil
		})
	}
	err := src.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		for _, e := range es {
			// Sources come first: their passages follow them, before anything cites them.
			if !passagesDone && e.EntityType() != coop.TypeSource {
				if err := writePassages(); err != nil {
					return err
				}
			}
			if err := w.Entity(e); err != nil {
				return err
			}
		}
		entities += len(es)
		return nil
	})
	if err == nil && !passagesDone {
		err = writePassages()
	}
	if err == nil {
		err = src.EachRelationship(ctx, 5000, func(rs []*coop.Relationship) error {
			for _, r := range rs {
				if rule, _ := coop.RuleFor(r.Type); rule.Managed() {
					continue
				}
				if err := w.Relationship(r); err != nil {
					return err
				}
				rels++
			}
			return nil
		})
	}
	n := fmt.Sprintf("%d entities and %d relationships", entities, rels)
	if passages > 0 {
		n = fmt.Sprintf("%d entities, %d passages and %d relationships", entities, passages, rels)
	}
	return n, err
}

// importCommand validates JSON Lines or CSV files whole, then applies them
// in batches. References may point to entities already in the graph, and
// to records of earlier files.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("import", getenv, stderr)
	skipInvalid := fs.Bool("skip-invalid", false, "load the valid records and report the rest, instead of loading nothing")
	batch := fs.Int("batch", 2000, "records per transaction")
	who := fs.String("as", envOr(getenv, "USER", "operator"), "who the audit trail names for this import")
	var bulk bulkFlags
	bulk.register(fs, "import -bulk refuses a database that holds any entity, audit entry or API key, and records with passages")
	files, err := parseInterspersed(fs, getenv, args)
	if err != nil {
		return err
	}
	if err := coop.CheckText("-as", *who); err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("usage: coopgraph import [flags] FILE... (.jsonl, or .csv: entities files before relationships files)")
	}
	var lines []dataset.Line
	var problems dataset.Errors
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		var ls []dataset.Line
		var errs dataset.Errors
		switch strings.ToLower(filepath.Ext(name)) {
		case ".csv":
			ls, errs = dataset.CSVLines(name, f)
		case ".jsonl", ".ndjson":
			ls, errs = dataset.JSONLines(name, f)
		default:
			f.Close()
			return fmt.Errorf("%s: import reads JSON Lines (.jsonl) and CSV (.csv) files; this one's extension says neither", name)
		}
		f.Close()
		lines, problems = append(lines, ls...), append(problems, errs...)
	}
	if bulk.dir != "" {
		return importBulk(ctx, c, bulk, lines, importer.Options{SkipInvalid: *skipInvalid,
			Who: coop.Principal{Name: *who, Role: coop.RoleAdmin, Via: "cli"}, Name: strings.Join(files, " "), Unreadable: problems}, stdout, stderr)
	}
	store, _, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.ApplySchema(ctx); err != nil { // a new database gets its constraints first
		return err
	}
	rep, err := importer.Import(ctx, store, lines, importer.Options{SkipInvalid: *skipInvalid, Batch: *batch, Progress: stderr,
		Who: coop.Principal{Name: *who, Role: coop.RoleAdmin, Via: "cli"}, Name: strings.Join(files, " "), Unreadable: problems})
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p)
	}
	if errors.Is(err, importer.ErrInvalid) {
		return fmt.Errorf("%d problems; nothing was imported (use -skip-invalid to import the valid records)", len(rep.Problems))
	}
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%d entities and %d relationships", rep.Entities, rep.Relationships)
	if rep.Passages > 0 {
		what = fmt.Sprintf("%d entities, %d passages and %d relationships", rep.Entities, rep.Passages, rep.Relationships)
	}
	fmt.Fprintf(stdout, "imported %s (%d created or changed); %d records rejected\n", what, rep.Changed, len(rep.Problems))
	return nil
}

// exportGraphFile writes the graph for drawing and analysis tools. It holds
// the graph in memory: meant for what a person can look at, not for 5M ties.
func exportGraphFile(ctx context.Context, src graphSource, format, out string, force bool, stdout, stderr io.Writer) error {
	var g graphfile.Graph
	if err := src.EachEntity(ctx, 5000, func(es []coop.Entity) error {
		g.Entities = append(g.Entities, es...)
		return nil
	}); err != nil {
		return err
	}
	if err := src.EachRelationship(ctx, 5000, func(rs []*coop.Relationship) error {
		g.Relationships = append(g.Relationships, rs...)
		return nil
	}); err != nil {
		return err
	}
	if sel, ok := src.(*subgraph.Subgraph); ok {
		g.CitedOnly = sel.CitedOnly
	}
	w, closeW := io.Writer(stdout), func() error { return nil }
	if out != "-" {
		f, err := createOutput(out, force)
		if err != nil {
			return err
		}
		w, closeW = f, f.Close
	}
	write := graphfile.Cytoscape
	if format == "graphml" {
		write = graphfile.GraphML
	}
	if err := errors.Join(write(w, g), closeW()); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d entities and %d relationships as %s\n", len(g.Entities), len(g.Relationships), format)
	return nil
}

// graphSource is what export writes out: the whole graph, or a subgraph.
type graphSource interface {
	EachEntity(context.Context, int, func([]coop.Entity) error) error
	EachPassage(context.Context, int, func([]coop.Passage) error) error
	EachRelationship(context.Context, int, func([]*coop.Relationship) error) error
}

// networkQuery reads export's -network flags; coop.NewNetworkQuery holds
// the bounds, as it does for the API.
func networkQuery(ids, types string, depth, limit, perNode int) (coop.NetworkQuery, error) {
	var idList []string
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); !coop.ValidID(id) {
			return coop.NetworkQuery{}, fmt.Errorf("-network: %q is not an entity id", id)
		}
		idList = append(idList, id)
	}
	q, err := coop.NewNetworkQuery(idList, &depth, &limit, &perNode)
	if err != nil {
		var ce *coop.Error
		if !errors.As(err, &ce) {
			return q, err
		}
		flag := map[string]string{"depth": "-depth", "limit": "-limit", "perNode": "-per-node"}[ce.Field]
		return q, fmt.Errorf("%s %s", cmp.Or(flag, "-network"), ce.Message)
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
	return q, nil
}

// createOutput creates an export's output file. It never follows a
// symbolic link, and overwrites a file that exists only with force.
func createOutput(name string, force bool) (*os.File, error) {
	if !force {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s exists: pass -force to overwrite it", name)
		}
		return f, err
	}
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link: export writes only to a file of its own", name)
	}
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|openNoFollow, 0o644)
}
