// Package bulkload loads a graph into an empty database through Neo4j's
// own offline importer (neo4j-admin database import full, in the jars
// tools/neo4j/neo4j-local already fetches) instead of Cypher: many times
// faster, for a database that holds nothing to keep.
//
// A Writer turns entities and relationships into the importer's CSV files
// with the properties the online load writes (neo4jstore.BulkEntity,
// BulkRelationship, BulkCountryTie), Import runs the importer on the
// server's directory (stopping and restarting the server), and Finish
// completes the database as the online load leaves it: the schema and its
// indexes, the graph's version, and the few values the importer cannot
// write.
package bulkload

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// arrayDelimiter separates the elements of a list within a CSV field: a
// control character, which no text coopgraph stores may hold.
const arrayDelimiter = '\x1f'

// Writer writes the importer's CSV files into a directory: per entity
// type, a node file, and per relationship type, a relationship file, each
// with its header in a file of its own, written by Close once every
// property is known. Its methods are safe for concurrent use.
type Writer struct {
	dir string

	mu        sync.Mutex
	files     map[string]*csvFile // by "node:" + type or "rel:" + type
	fixups    map[string]*Fixup   // by target and properties
	multiline bool
	closed    bool

	nodes, rels, ties int
}

// Fixup is a value the importer cannot write (an empty list, or a list of
// one empty string: both would be an empty field, which it reads as no
// value), to be set on the nodes (RelType empty) or relationships with
// these ids once the import is done.
type Fixup struct {
	RelType coop.RelationType
	Props   map[string]any
	IDs     []string
}

// csvFile is one node or relationship file. Columns are added as
// properties first appear; rows written before a column was added simply
// end before it, which the importer reads as no value.
type csvFile struct {
	mu    sync.Mutex
	label string // "Entity:Actor" for nodes, the type for relationships
	node  bool
	name  string
	f     *os.File
	w     *bufio.Writer
	cols  []column
	index map[string]int
	rows  int
	// per row, reused
	buf, scratch []byte
	spans        []span
}

type column struct{ name, typ string }

// NewWriter writes into dir, which must exist.
func NewWriter(dir string) (*Writer, error) {
	if strings.ContainsAny(dir, ",=") {
		// The importer's --nodes=LABEL=HEADER,DATA would misread the names.
		return nil, fmt.Errorf("bulkload: %s: the importer cannot read files whose path holds a comma or an equals sign", dir)
	}
	return &Writer{dir: dir, files: map[string]*csvFile{}, fixups: map[string]*Fixup{}}, nil
}

// Entity writes an entity's node and, for an actor or place with a
// country, its IN_COUNTRY tie.
func (w *Writer) Entity(e coop.Entity) error {
	labels, props := neo4jstore.BulkEntity(e)
	f, err := w.file(true, strings.Join(labels, ":"))
	if err != nil {
		return err
	}
	if err := w.row(f, "", e.EntityID(), "", "", props); err != nil {
		return err
	}
	tie, tieProps := neo4jstore.BulkCountryTie(e)
	if tie != nil {
		if err := w.relationship(tie, tieProps); err != nil {
			return err
		}
	}
	w.mu.Lock()
	w.nodes++
	if tie != nil {
		w.ties++
	}
	w.mu.Unlock()
	return nil
}

// Relationship writes a relationship: as gen's fresh load writes it
// (without a version) or as an import does.
func (w *Writer) Relationship(r *coop.Relationship, fresh bool) error {
	if rule, ok := coop.RuleFor(r.Type); !ok || rule.Managed() {
		return fmt.Errorf("bulkload: %s is not a relationship type a record may give", r.Type)
	}
	if err := w.relationship(r, neo4jstore.BulkRelationship(r, fresh)); err != nil {
		return err
	}
	w.mu.Lock()
	w.rels++
	w.mu.Unlock()
	return nil
}

func (w *Writer) relationship(r *coop.Relationship, props []neo4jstore.BulkProperty) error {
	f, err := w.file(false, string(r.Type))
	if err != nil {
		return err
	}
	return w.row(f, r.Type, r.ID, r.FromID, r.ToID, props)
}

// Counts says how many entities, relationships (of records) and country
// ties were written.
func (w *Writer) Counts() (nodes, relationships, countryTies int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.nodes, w.rels, w.ties
}

// Fixups lists what Finish sets once the import is done.
func (w *Writer) Fixups() []*Fixup {
	w.mu.Lock()
	defer w.mu.Unlock()
	keys := slices.Sorted(maps.Keys(w.fixups))
	out := make([]*Fixup, len(keys))
	for i, k := range keys {
		out[i] = w.fixups[k]
	}
	return out
}

func (w *Writer) file(node bool, label string) (*csvFile, error) {
	key := "rel:" + label
	if node {
		key = "node:" + label
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("bulkload: the writer is closed")
	}
	if f, ok := w.files[key]; ok {
		return f, nil
	}
	name := filepath.Join(w.dir, fmt.Sprintf("%03d-%s.csv", len(w.files), strings.ReplaceAll(strings.ToLower(key), ":", "-")))
	fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("bulkload: %w", err)
	}
	f := &csvFile{label: label, node: node, name: name, f: fh, w: bufio.NewWriterSize(fh, 1<<20), index: map[string]int{}}
	w.files[key] = f
	return f, nil
}

// row writes one node (id) or relationship (id, from, to) with its
// properties.
func (w *Writer) row(f *csvFile, relType coop.RelationType, id, from, to string, props []neo4jstore.BulkProperty) (err error) {
	var fix map[string]any
	multiline := false
	f.mu.Lock()
	defer func() {
		f.mu.Unlock()
		if err == nil && (fix != nil || multiline) {
			w.noteRow(relType, id, fix, multiline)
		}
	}()
	// Each property's field goes into buf; spans says where, by column.
	buf, spans := f.buf[:0], f.spans[:0]
	for range f.cols {
		spans = append(spans, span{})
	}
	for _, p := range props {
		k, v := p.Key, p.Value
		if f.node && k == "id" {
			if v != id {
				return fmt.Errorf("bulkload: node %s: its id property is %v", id, v)
			}
			continue
		}
		start := len(buf)
		var typ string
		typ, buf, err = encode(buf, v)
		if err != nil {
			return fmt.Errorf("bulkload: %s, property %s: %w", id, k, err)
		}
		if len(buf) == start { // a list the importer would read as no value
			if fix == nil {
				fix = map[string]any{}
			}
			fix[k] = v
		}
		i, ok := f.index[k]
		if !ok {
			if strings.ContainsAny(k, ":,\"\n") {
				return fmt.Errorf("bulkload: property name %q", k)
			}
			i = len(f.cols)
			f.index[k] = i
			f.cols = append(f.cols, column{k, typ})
			spans = append(spans, span{})
		} else if f.cols[i].typ != typ {
			return fmt.Errorf("bulkload: %s, property %s is a %s here and a %s elsewhere", id, k, typ, f.cols[i].typ)
		}
		spans[i] = span{start, len(buf)}
		multiline = multiline || bytes.ContainsAny(buf[start:], "\r\n")
	}
	f.buf, f.spans = buf, spans
	end := len(spans)
	for end > 0 && spans[end-1].start == spans[end-1].end {
		end--
	}
	if f.node {
		f.w.Write(appendQuoted(f.scratch[:0], id))
	} else {
		f.scratch = appendQuoted(append(appendQuoted(f.scratch[:0], from), ','), to)
		f.w.Write(f.scratch)
	}
	for _, sp := range spans[:end] {
		f.w.WriteByte(',')
		f.w.Write(buf[sp.start:sp.end])
	}
	if err := f.w.WriteByte('\n'); err != nil {
		return fmt.Errorf("bulkload: %w", err)
	}
	f.rows++
	return nil
}

type span struct{ start, end int }

func (w *Writer) noteRow(relType coop.RelationType, id string, fix map[string]any, multiline bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.multiline = w.multiline || multiline
	if fix == nil {
		return
	}
	var sig strings.Builder
	sig.WriteString(string(relType))
	for _, k := range slices.Sorted(maps.Keys(fix)) {
		fmt.Fprintf(&sig, "|%s=%d", k, len(fix[k].([]string)))
	}
	g, ok := w.fixups[sig.String()]
	if !ok {
		g = &Fixup{RelType: relType, Props: fix}
		w.fixups[sig.String()] = g
	}
	g.IDs = append(g.IDs, id)
}

// encode appends a value's CSV field to buf and gives its column type. A
// list the importer cannot write (empty, or one empty string) appends
// nothing: an empty field is no value.
func encode(buf []byte, v any) (string, []byte, error) {
	switch x := v.(type) {
	case string:
		return "string", appendQuoted(buf, x), nil
	case []string:
		if len(x) == 0 || len(x) == 1 && x[0] == "" {
			return "string[]", buf, nil
		}
		buf = append(buf, '"')
		for i, s := range x {
			if strings.ContainsRune(s, arrayDelimiter) {
				return "", nil, fmt.Errorf("%q holds U+001F, which the importer reads as the end of a list element", s)
			}
			if i > 0 {
				buf = append(buf, arrayDelimiter)
			}
			buf = appendEscaped(buf, s)
		}
		return "string[]", append(buf, '"'), nil
	case bool:
		return "boolean", strconv.AppendBool(buf, x), nil
	case int64:
		return "long", strconv.AppendInt(buf, x, 10), nil
	case int:
		return "long", strconv.AppendInt(buf, int64(x), 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", nil, fmt.Errorf("%v is not a number Neo4j stores", x)
		}
		return "double", strconv.AppendFloat(buf, x, 'g', -1, 64), nil
	}
	return "", nil, fmt.Errorf("no CSV form for a %T", v)
}

// appendQuoted appends s as a quoted CSV field: the importer reads ""
// inside as ".
func appendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '"')
	return append(appendEscaped(buf, s), '"')
}

func appendEscaped(buf []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return append(buf, s...)
		}
		buf = append(append(buf, s[:i+1]...), '"')
		s = s[i+1:]
	}
}

// Close flushes the files and writes their headers. The writer takes no
// more records.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	var errs []error
	for _, f := range w.files {
		f.mu.Lock()
		errs = append(errs, f.w.Flush(), f.f.Close())
		head := []string{"id:ID"}
		if !f.node {
			head = []string{":START_ID", ":END_ID"}
		}
		for _, c := range f.cols {
			head = append(head, c.name+":"+c.typ)
		}
		errs = append(errs, os.WriteFile(headerName(f.name), []byte(strings.Join(head, ",")+"\n"), 0o600))
		f.mu.Unlock()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bulkload: %w", err)
	}
	return nil
}

func headerName(data string) string { return strings.TrimSuffix(data, ".csv") + "-header.csv" }

// ImporterArgs are the arguments neo4j-admin database import full takes
// for the files written, report file aside. Call after Close.
func (w *Writer) ImporterArgs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	args := []string{"--array-delimiter=U+001F", "--bad-tolerance=0", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false"}
	if w.multiline {
		args = append(args, "--multiline-fields=true")
	}
	var nodes, rels []string
	for _, f := range w.files {
		if f.rows == 0 {
			continue
		}
		arg := f.label + "=" + headerName(f.name) + "," + f.name
		if f.node {
			nodes = append(nodes, "--nodes="+arg)
		} else {
			rels = append(rels, "--relationships="+arg)
		}
	}
	slices.Sort(nodes)
	slices.Sort(rels)
	return append(append(args, nodes...), rels...)
}
