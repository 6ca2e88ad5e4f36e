package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/importer"
	"github.com/coopgraph/coopgraph/internal/ingest"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// ingestCommand stores a document as a source made of passages (its own
// words), then writes a review file of candidate facts for a curator. It
// never asserts a fact: the review file's records load only once a curator
// completes them.
func ingestCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newCommand("ingest", getenv, stderr)
	sourceID := fs.String("source", "", "the source's id, a lower-case slug (required); an existing source keeps what the flags do not set")
	title := fs.String("title", "", "the source's title (default: a Markdown document's leading # heading)")
	publisher := fs.String("publisher", "", "who published it")
	published := fs.String("published", "", "when: 2025-04-07, 2025-04 or 2025")
	url := fs.String("url", "", "where it is found")
	kind := fs.String("kind", "", "what it is: "+strings.Join(coop.SourceKind("").Allowed(), ", ")+" (required for a new source)")
	prefix := fs.String("prefix", "¶", `what passage locators start with: "¶" gives ¶1, ¶2, ...; "A" gives A1, A2, ... as in an itemised release`)
	reviewPath := fs.String("review", "", "where the review file goes (default: next to the document, NAME.review.jsonl)")
	who := fs.String("as", envOr(getenv, "USER", "operator"), "who the audit trail names for this ingest")
	files, err := parseInterspersed(fs, getenv, args)
	if err != nil {
		return err
	}
	if err := coop.CheckText("-as", *who); err != nil {
		return err
	}
	if len(files) != 1 || *sourceID == "" {
		return errors.New("usage: coopgraph ingest FILE -source ID [-title T -publisher P -published DATE -url URL -kind KIND] (plain text, or Markdown: .md)")
	}
	name := files[0]
	if !coop.ValidID(*sourceID) {
		return fmt.Errorf("-source %q must be a lower-case slug such as field-report-2026", *sourceID)
	}
	if strings.TrimSpace(*prefix) == "" || strings.ContainsAny(*prefix, " \t") || len(*prefix) > 10 {
		return fmt.Errorf("-prefix %q: give a short mark without spaces, such as ¶ or A", *prefix)
	}
	text, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	doc, err := ingest.Split(string(text), ingest.FormatOf(name), *sourceID, *prefix)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *reviewPath == "" {
		*reviewPath = strings.TrimSuffix(name, filepath.Ext(name)) + ".review.jsonl"
	}

	store, _, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.ApplySchema(ctx); err != nil {
		return err
	}
	src, err := ingestedSource(ctx, store, *sourceID, sourceFlags{title: *title, publisher: *publisher, published: *published, url: *url, kind: *kind}, doc.Title)
	if err != nil {
		return err
	}
	// The source and its passages go in as an import does: validated whole,
	// idempotent, recorded in the audit trail.
	var records bytes.Buffer
	w := dataset.NewWriter(&records)
	if err := w.Dataset(coop.Dataset{Entities: []coop.Entity{src}, Passages: doc.Passages}); err != nil {
		return err
	}
	lines, _ := dataset.JSONLines(name, &records)
	rep, err := importer.Import(ctx, store, lines, importer.Options{
		Who: coop.Principal{Name: *who, Role: coop.RoleAdmin, Via: "cli"}, Name: "ingest " + name + " as " + *sourceID})
	for _, p := range rep.Problems { // lines of the records made of the document: not worth naming
		fmt.Fprintf(stderr, "%s: %s: %s\n", name, p.Field, p.Msg)
	}
	if errors.Is(err, importer.ErrInvalid) {
		return fmt.Errorf("%s was not ingested (%s)", name, plural(len(rep.Problems), "problem"))
	}
	if err != nil {
		return err
	}

	pairs, names, mentioned, err := candidates(ctx, store, doc.Passages)
	if err != nil {
		return err
	}
	f, err := os.Create(*reviewPath)
	if err != nil {
		return err
	}
	buf := bufio.NewWriter(f)
	ties, err := ingest.WriteReview(buf, pairs, names)
	if err := errors.Join(err, buf.Flush(), f.Close()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ingested %s as source %s: %d passages (%d records created or changed), %d of them naming known entities\n",
		name, *sourceID, len(doc.Passages), rep.Changed, mentioned)
	fmt.Fprintf(stdout, "wrote %s: %d candidate ties and %d candidate entities; complete or delete each, then: coopgraph import %s\n",
		*reviewPath, ties, len(names), *reviewPath)
	return nil
}

// sourceFlags are what the command line says of the source.
type sourceFlags struct{ title, publisher, published, url, kind string }

// ingestedSource is the source record to store: the stored one, if any,
// with what the flags set; a new one needs a title and a kind.
func ingestedSource(ctx context.Context, store *neo4jstore.Store, id string, f sourceFlags, docTitle string) (*coop.Source, error) {
	found, err := store.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	src := &coop.Source{Base: coop.Base{ID: id}}
	if e, ok := found[id]; ok {
		stored, isSource := e.(*coop.Source)
		if !isSource || e.EntityID() != id {
			return nil, fmt.Errorf("-source %q is taken by an entity of type %s: a source needs an id of its own", id, e.EntityType())
		}
		kept := *stored
		src = &kept
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	if src.Name == "" { // a stored source keeps its title unless -title says otherwise
		src.Name = docTitle
	}
	set(&src.Name, f.title)
	set(&src.Publisher, f.publisher)
	set(&src.URL, f.url)
	if f.kind != "" {
		src.Kind = coop.SourceKind(f.kind)
	}
	if f.published != "" {
		if src.Published, err = coop.ParseDate(f.published); err != nil {
			return nil, fmt.Errorf("-published: %w", err)
		}
	}
	if src.Name == "" {
		return nil, errors.New("a new source needs a title: give -title (or start a Markdown document with a # heading)")
	}
	if !src.Kind.Valid() {
		return nil, fmt.Errorf("-kind %q: give one of %s", f.kind, strings.Join(src.Kind.Allowed(), ", "))
	}
	return src, nil
}

// candidates reads back what the stored passages mention and proposes
// facts: the pairs named together with no tie yet, and the names that
// match no entity. mentioned counts the passages naming some entity.
func candidates(ctx context.Context, store *neo4jstore.Store, ps []coop.Passage) (pairs []ingest.Pair, names []ingest.Name, mentioned int, err error) {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.Key()
	}
	mentions, err := store.MentionedBy(ctx, keys)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, k := range keys {
		if len(mentions[k]) > 0 {
			mentioned++
		}
	}
	all := ingest.CoMentioned(ps, mentions)
	ids := make([][2]string, len(all))
	for i, p := range all {
		ids[i] = [2]string{p.A.EntityID(), p.B.EntityID()}
	}
	tied, err := store.Tied(ctx, ids)
	if err != nil {
		return nil, nil, 0, err
	}
	for i, p := range all {
		if !tied[ids[i]] {
			pairs = append(pairs, p)
		}
	}
	return pairs, ingest.UnknownNames(ps, mentions), mentioned, nil
}

// plural is "1 problem", "2 problems".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
