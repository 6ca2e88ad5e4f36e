package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// The columns a CSV export writes, in the import format (docs/import-csv.md):
// every field an entity record may have, and those of relationships (a file
// without a record column is read as relationships).
var (
	entityColumns = []string{"record", "id", "name", "title", "kind", "aliases", "editorialAliases", "description", "country", "status",
		"proposed", "signed", "inForce", "ended", "date", "endDate", "topics", "outcomes", "eventType", "subEventType",
		"fatalities", "indicator", "value", "unit", "bound", "periodStart", "periodEnd", "publisher", "published", "url",
		"synthetic", "basis", "inference", "citations", "source", "locator", "heading", "text"}
	relationshipColumns = []string{"id", "type", "from", "to", "since", "until", "asOf", "role", "status", "description",
		"basis", "inference", "citations"}
)

// CSVWriter writes records as CSV that import reads back: entities to one
// file, relationships to another.
type CSVWriter struct {
	entities, relationships *csv.Writer
	started                 bool
}

// NewCSVWriter writes entities to ew and relationships to rw.
func NewCSVWriter(ew, rw io.Writer) *CSVWriter {
	return &CSVWriter{entities: csv.NewWriter(ew), relationships: csv.NewWriter(rw)}
}

func (w *CSVWriter) header() error {
	if w.started {
		return nil
	}
	w.started = true
	if err := w.entities.Write(entityColumns); err != nil {
		return err
	}
	return w.relationships.Write(relationshipColumns)
}

// Dataset writes a whole dataset in export order, and flushes.
func (w *CSVWriter) Dataset(ds coop.Dataset) error {
	if err := writeDataset(ds, w); err != nil {
		return err
	}
	return w.Flush()
}

// Entity writes one entity's record.
func (w *CSVWriter) Entity(e coop.Entity) error {
	if err := w.header(); err != nil {
		return err
	}
	row, err := csvRow(fields(entityRecord(e)), entityColumns)
	if err != nil {
		return fmt.Errorf("%s: %w", e.EntityID(), err)
	}
	return w.entities.Write(row)
}

// Passage writes one passage's record, to the entities file.
func (w *CSVWriter) Passage(p coop.Passage) error {
	if err := w.header(); err != nil {
		return err
	}
	row, err := csvRow(fields(passageRecord(p)), entityColumns)
	if err != nil {
		return fmt.Errorf("%s: %w", p.Key(), err)
	}
	return w.entities.Write(row)
}

// Relationship writes one relationship's record.
func (w *CSVWriter) Relationship(r *coop.Relationship) error {
	if err := w.header(); err != nil {
		return err
	}
	row, err := csvRow(fields(relationshipRecord(r)), relationshipColumns)
	if err != nil {
		return fmt.Errorf("%s: %w", r.ID, err)
	}
	return w.relationships.Write(row)
}

// Flush writes what is buffered and reports any error of either file.
func (w *CSVWriter) Flush() error {
	if err := w.header(); err != nil {
		return err
	}
	w.entities.Flush()
	w.relationships.Flush()
	if err := w.entities.Error(); err != nil {
		return err
	}
	return w.relationships.Error()
}

// csvRow lays out a record's fields as cells. A list item holding the list
// separator cannot be written, and is an error rather than a silent change.
func csvRow(f map[string]any, columns []string) ([]string, error) {
	row := make([]string, len(columns))
	for i, name := range columns {
		switch v := f[name].(type) {
		case nil:
		case string:
			row[i] = defuseFormula(v)
		case bool:
			row[i] = strconv.FormatBool(v)
		case float64:
			row[i] = strconv.FormatFloat(v, 'f', -1, 64) // never 1e+06, which a whole-number column refuses
		case []any:
			items := make([]string, len(v))
			for j, x := range v {
				switch c := x.(type) {
				case string:
					items[j] = c
				case map[string]any:
					items[j] = fmt.Sprint(c["source"]) + " " + fmt.Sprint(c["locator"])
					if status, ok := c["status"]; ok {
						items[j] += " (" + fmt.Sprint(status) + ")"
					}
				}
				if strings.Contains(items[j], csvListSep) {
					return nil, fmt.Errorf("%s: %q holds %q, which CSV lists cannot: export as JSON Lines", name, items[j], csvListSep)
				}
			}
			row[i] = defuseFormula(strings.Join(items, csvListSep))
		default:
			return nil, fmt.Errorf("%s: cannot write %T as CSV", name, v)
		}
	}
	return row, nil
}

// A spreadsheet runs a cell that starts with one of these as a formula.
const formulaStarts = "=+-@\t\r"

// defuseFormula makes a text cell that a spreadsheet would run as a
// formula ("=HYPERLINK(...)") plain text, with a leading apostrophe, as
// spreadsheets themselves do; a cell whose apostrophes already stand
// before such a character gets one more, so that import (undefuse) gives
// back exactly what was written.
func defuseFormula(v string) string {
	rest := strings.TrimLeft(v, "'")
	if rest != "" && strings.ContainsRune(formulaStarts, rune(rest[0])) {
		return "'" + v
	}
	return v
}

// undefuse reverses defuseFormula on a text cell read back.
func undefuse(cell string) string {
	if rest, ok := strings.CutPrefix(cell, "'"); ok && defuseFormula(rest) == cell {
		return rest
	}
	return cell
}
