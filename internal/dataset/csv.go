package dataset

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// csvListSep separates the items of a list cell: aliases, topics, outcomes
// and citations (docs/import-csv.md).
const csvListSep = "|"

// cellKind says how a CSV cell becomes a JSON value.
type cellKind int

const (
	cellString    cellKind = iota // a JSON string, as written
	cellList                      // "a|b" → ["a","b"]
	cellCitations                 // "src ¶5|src2 A3" → [{"source":"src","locator":"¶5"},…]
	cellInt                       // a JSON integer
	cellFloat                     // a JSON number
	cellBool                      // true or false
)

// csvColumns maps every CSV header name, which are the JSON field names of
// record, to how its cells are converted. It is derived from record so the
// two cannot drift apart.
var csvColumns = func() map[string]cellKind {
	cols := map[string]cellKind{}
	t := reflect.TypeFor[Record]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch f.Type {
		case reflect.TypeFor[[]string]():
			cols[name] = cellList
		case reflect.TypeFor[[]coop.Citation]():
			cols[name] = cellCitations
		case reflect.TypeFor[*int]():
			cols[name] = cellInt
		case reflect.TypeFor[*float64]():
			cols[name] = cellFloat
		case reflect.TypeFor[bool]():
			cols[name] = cellBool
		default:
			cols[name] = cellString
		}
	}
	return cols
}()

// CSVLines reads a CSV file with a header row naming record fields, and
// turns each data row into the equivalent JSON record, numbered by the line
// the row starts on, so that ReadLines validates CSV rows exactly like JSON
// Lines records. The format is documented in docs/import-csv.md.
//
// Problems of the header (an unknown, repeated or missing column) are
// reported on the header's line and no rows are returned. A row with a bad
// number, invalid UTF-8 or the wrong number of cells is reported and left
// out; the other rows are still returned. A CSV syntax error (a stray quote,
// say) is reported and ends the file.
func CSVLines(file string, r io.Reader) ([]Line, Errors) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = 0 // the header's length, once it is read
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false

	at := func(line int, field, format string, args ...any) LineError {
		return LineError{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	lastLine := 0
	// csvErr turns an error of csv.Reader.Read into a LineError on the line
	// where the problem is.
	csvErr := func(err error) LineError {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.StartLine != pe.Line {
				return at(pe.Line, "", "CSV: %v (column %d, in the row that starts on line %d)", pe.Err, pe.Column, pe.StartLine)
			}
			return at(pe.Line, "", "CSV: %v (column %d)", pe.Err, pe.Column)
		}
		return at(lastLine+1, "", "cannot read: %v", err)
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errors{at(1, "", "a header row naming the columns is required; the file is empty")}
	}
	if err != nil {
		return nil, Errors{csvErr(err)}
	}
	headerLine, _ := cr.FieldPos(0)
	lastLine = headerLine
	names := make([]string, len(header))
	var errs Errors
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		names[i] = h
		switch _, known := csvColumns[h]; {
		case h == "":
			errs = append(errs, at(headerLine, "", "column %d has no name", i+1))
		case !utf8.ValidString(h):
			errs = append(errs, at(headerLine, "", "column %d: name is not valid UTF-8", i+1))
		case !known:
			errs = append(errs, at(headerLine, h, "unknown column (column %d); column names are record field names such as id, name, kind, citations", i+1))
		case seen[h]:
			errs = append(errs, at(headerLine, h, "column appears more than once (again at column %d)", i+1))
		}
		seen[h] = true
	}
	impliedRecord := ""
	if len(errs) == 0 && !seen["record"] {
		if seen["from"] && seen["to"] {
			impliedRecord = "relationship"
		} else {
			errs = append(errs, at(headerLine, "record", "a record column is required (it may be left out only when from and to columns make every row a relationship)"))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}

	var lines []Line
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) && row != nil {
				lastLine = pe.StartLine
				if blankRow(row) {
					continue
				}
				errs = append(errs, at(pe.StartLine, "", "has %d cells; the header has %d", len(row), len(header)))
				continue
			}
			errs = append(errs, csvErr(err))
			break
		}
		n, _ := cr.FieldPos(0)
		lastLine = n
		if blankRow(row) {
			continue
		}
		obj, rowErrs := csvRecord(names, row)
		if len(rowErrs) > 0 {
			for _, e := range rowErrs {
				errs = append(errs, at(n, e.Field, "%s", e.Msg))
			}
			continue
		}
		if impliedRecord != "" {
			obj["record"] = impliedRecord
		}
		js, err := json.Marshal(obj)
		if err != nil { // cannot happen: strings, lists and finite numbers only
			errs = append(errs, at(n, "", "cannot convert to JSON: %v", err))
			continue
		}
		lines = append(lines, Line{File: file, N: n, JSON: js})
	}
	return lines, errs
}

// blankRow reports whether every cell of a row is empty or spaces.
func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// csvRecord converts one row to a JSON object; its errors carry only Field
// and Msg.
func csvRecord(names, row []string) (map[string]any, []LineError) {
	obj := map[string]any{}
	var errs []LineError
	for i, cell := range row {
		name := names[i]
		cell = strings.TrimSpace(cell)
		if cell == "" {
			continue
		}
		if !utf8.ValidString(cell) {
			errs = append(errs, LineError{Field: name, Msg: "not valid UTF-8"})
			continue
		}
		switch csvColumns[name] {
		case cellString, cellList:
			cell = undefuse(cell)
		}
		switch csvColumns[name] {
		case cellString:
			obj[name] = cell
		case cellList:
			if items := splitList(cell); len(items) > 0 {
				obj[name] = items
			}
		case cellCitations:
			var cites []map[string]string
			for _, c := range splitList(cell) {
				src, loc := c, ""
				if j := strings.IndexFunc(c, unicode.IsSpace); j >= 0 {
					src, loc = c[:j], strings.TrimSpace(c[j:])
				}
				cite := map[string]string{"source": src, "locator": loc}
				// "src A3 (CONFIRMED)": what the source says of a tie.
				if open := strings.LastIndex(loc, " ("); open > 0 && strings.HasSuffix(loc, ")") {
					if status := coop.Status(loc[open+2 : len(loc)-1]); status.Valid() {
						cite["locator"], cite["status"] = strings.TrimSpace(loc[:open]), string(status)
					}
				}
				cites = append(cites, cite)
			}
			if len(cites) > 0 {
				obj[name] = cites
			}
		case cellInt:
			x, err := strconv.Atoi(cell)
			if err != nil {
				errs = append(errs, LineError{Field: name, Msg: fmt.Sprintf("%q is not a whole number", cell)})
				continue
			}
			obj[name] = x
		case cellFloat:
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				errs = append(errs, LineError{Field: name, Msg: fmt.Sprintf("%q is not a finite number (write 1234.5, without thousands separators)", cell)})
				continue
			}
			obj[name] = x
		case cellBool:
			x, err := strconv.ParseBool(cell)
			if err != nil {
				errs = append(errs, LineError{Field: name, Msg: fmt.Sprintf("%q is not true or false", cell)})
				continue
			}
			obj[name] = x
		}
	}
	return obj, errs
}

// splitList splits a cell at csvListSep, trimming items and dropping empty
// ones.
func splitList(cell string) []string {
	var items []string
	for _, x := range strings.Split(cell, csvListSep) {
		if x = strings.TrimSpace(x); x != "" {
			items = append(items, x)
		}
	}
	return items
}
