// Package dataset reads coopgraph's JSON Lines records (the seed's format,
// documented in seed/README.md) into domain values, validating each line and
// the references between them, and reporting every error by line and field.
package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Limits on input sizes.
const (
	MaxIDLength   = 120
	MaxNameLength = 300
	MaxTextLength = 4000
	MaxListLength = 100
	// MaxLocatorLength bounds where in a source a citation points (¶5,
	// "p. 12, second column"); a passage's own locator is shorter.
	MaxLocatorLength        = 100
	MaxPassageLocatorLength = 40
	maxLineBytes            = 1 << 20
)

// LineError is one problem of one input line.
type LineError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e LineError) Error() string {
	loc := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// Errors is every problem found in an input.
type Errors []LineError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Record is one record of the import format as Go values: the fields a
// line of JSON Lines holds, under the same names. Writes build one from
// their input (or from a stored entity, with EntityRecord) and check it
// with DecodeRecord, so that a write and an imported line pass the same
// validator.
// It is the union of every record's fields, as written in JSON.
type Record struct {
	Record  string   `json:"record"`
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Title   string   `json:"title,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// The aliases no source uses (a subset of aliases): kept for search.
	EditorialAliases []string `json:"editorialAliases,omitempty"`
	// STATED (the default) or INFERRED, with how the fact was inferred.
	Basis        string          `json:"basis,omitempty"`
	Inference    string          `json:"inference,omitempty"`
	Description  string          `json:"description,omitempty"`
	Citations    []coop.Citation `json:"citations,omitempty"`
	Kind         string          `json:"kind,omitempty"`
	Country      string          `json:"country,omitempty"`
	Status       string          `json:"status,omitempty"`
	Proposed     string          `json:"proposed,omitempty"`
	Signed       string          `json:"signed,omitempty"`
	InForce      string          `json:"inForce,omitempty"`
	Ended        string          `json:"ended,omitempty"`
	Date         string          `json:"date,omitempty"`
	EndDate      string          `json:"endDate,omitempty"`
	Topics       []string        `json:"topics,omitempty"`
	Outcomes     []string        `json:"outcomes,omitempty"`
	EventType    string          `json:"eventType,omitempty"`
	SubEventType string          `json:"subEventType,omitempty"`
	Fatalities   *int            `json:"fatalities,omitempty"`
	Indicator    string          `json:"indicator,omitempty"`
	Value        *float64        `json:"value,omitempty"`
	Unit         string          `json:"unit,omitempty"`
	Bound        string          `json:"bound,omitempty"` // a statistic's: EXACT (the default), AT_LEAST, AT_MOST, ABOUT
	PeriodStart  string          `json:"periodStart,omitempty"`
	PeriodEnd    string          `json:"periodEnd,omitempty"`
	Publisher    string          `json:"publisher,omitempty"`
	Published    string          `json:"published,omitempty"`
	URL          string          `json:"url,omitempty"`
	Type         string          `json:"type,omitempty"`
	From         string          `json:"from,omitempty"`
	To           string          `json:"to,omitempty"`
	Since        string          `json:"since,omitempty"`
	Until        string          `json:"until,omitempty"`
	AsOf         string          `json:"asOf,omitempty"`
	Role         string          `json:"role,omitempty"`
	Synthetic    bool            `json:"synthetic,omitempty"` // invented data (coopgraph gen)
	// A passage record's: the source, the locator, the text (kind says
	// whose words), and whether it is a heading.
	Source  string `json:"source,omitempty"`
	Locator string `json:"locator,omitempty"`
	Text    string `json:"text,omitempty"`
	Heading bool   `json:"heading,omitempty"`
	// A candidate's note for the curator (coopgraph ingest's review file):
	// a record still carrying one is refused, so nothing unreviewed loads.
	Review string `json:"review,omitempty"`
}

// Reader accumulates records from one or more files, then validates
// references across all of them.
type Reader struct {
	ds    coop.Dataset
	errs  Errors
	known map[string]coop.Entity
	// stored marks known entities that came from Know, not from the input:
	// cite records on them are kept apart, in cites.
	stored map[string]bool
	cites  []Cite
	merged map[string]string // ids merged into others: they cannot be defined again
	follow bool              // records on merged ids go to the kept entity instead
	rels   map[string]*coop.Relationship
	line   map[string]LineError // where each id was defined, for messages
	// The locators of each source's passages, from the input or stored:
	// citations of a source with passages must name one of them.
	locators map[string]map[string]bool
	given    map[string]bool // sources whose passages the input gives
	// cited is, for stored sources, the locators stored facts cite and the
	// facts citing each: an input giving a source's passages anew must keep
	// them.
	cited map[string]map[string][]string
	// stored holds the locators of stored sources' passages; with
	// keepStored (the seed), those sources keep them, and passages the
	// input gives for them are left out.
	storedLocators map[string]map[string]bool
	keepStored     bool
	// passageTrouble is set by a problem that skipping records cannot fix:
	// a source's passages go in whole, and what cites them must find them.
	passageTrouble bool
	// willGive marks the sources whose passages the input gives (found
	// before reading): citations of them wait for finish, in deferred.
	willGive map[string]bool
	deferred []deferredCitation
	finished bool
}

// NewReader returns an empty Reader.
func NewReader() *Reader {
	return &Reader{known: map[string]coop.Entity{}, stored: map[string]bool{}, rels: map[string]*coop.Relationship{}, line: map[string]LineError{},
		locators: map[string]map[string]bool{}, given: map[string]bool{}, storedLocators: map[string]map[string]bool{},
		willGive: map[string]bool{}}
}

// Line is one record of an input file: its JSON object, and where it came
// from for error messages.
type Line struct {
	File string
	N    int // the line number in File
	JSON []byte
}

// JSONLines splits a JSON Lines input into its non-blank lines.
func JSONLines(file string, r io.Reader) ([]Line, Errors) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLineBytes)
	var lines []Line
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		lines = append(lines, Line{File: file, N: n, JSON: bytes.Clone(line)})
	}
	if err := sc.Err(); err != nil {
		return lines, Errors{{File: file, Line: n + 1, Msg: "cannot read: " + err.Error()}}
	}
	return lines, nil
}

// Read parses every line of a JSON Lines input, named file in errors.
func (rd *Reader) Read(file string, r io.Reader) {
	lines, errs := JSONLines(file, r)
	rd.errs = append(rd.errs, errs...)
	rd.ReadLines(lines)
}

// ReadLines validates records in order; each may refer to those before it.
func (rd *Reader) ReadLines(lines []Line) {
	for _, l := range lines {
		if !bytes.Contains(l.JSON, []byte(`"passage"`)) {
			continue
		}
		var p struct{ Record, Source string }
		if json.Unmarshal(l.JSON, &p) == nil && p.Record == "passage" {
			if s := rd.resolve(p.Source); !rd.keepStored || len(rd.storedLocators[s]) == 0 {
				rd.willGive[s] = true
			}
		}
	}
	for _, l := range lines {
		rd.readLine(l.File, l.N, l.JSON)
	}
}

// ReferencedIDs lists every id the records define or refer to, so that
// those already in a database can be looked up once, before validation.
func ReferencedIDs(lines []Line) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, l := range lines {
		var refs struct {
			ID, From, To, Country, Source string
			Citations                     []coop.Citation
		}
		if json.Unmarshal(l.JSON, &refs) != nil {
			continue
		}
		add(refs.ID)
		add(refs.From)
		add(refs.To)
		add(refs.Country)
		add(refs.Source)
		for _, c := range refs.Citations {
			add(c.SourceID)
		}
	}
	return ids
}

// Dataset returns what was read, or every error found.
func (rd *Reader) Dataset() (coop.Dataset, error) {
	rd.finish()
	if len(rd.errs) > 0 {
		return coop.Dataset{}, rd.errs
	}
	return rd.ds, nil
}

// Valid returns the records that passed, and the errors of those that did
// not (nil when all passed). A record that refers to a rejected one is
// rejected too.
func (rd *Reader) Valid() (coop.Dataset, Errors) {
	rd.finish()
	if len(rd.errs) == 0 {
		return rd.ds, nil
	}
	return rd.ds, rd.errs
}

// Cite is a cite record on an entity already stored: aliases and
// citations to add to it.
type Cite struct {
	At        LineError // where the record is, for messages
	ID        string
	Aliases   []string
	Citations []coop.Citation
}

// Merged tells the reader which ids were merged into others (id to the
// kept id). Unless follow, records may not define them again. With follow
// (the seed, loaded again after editors merged some of its entities),
// records defining a merged entity are skipped, and references and cite
// records go to the kept entity.
func (rd *Reader) Merged(m map[string]string, follow bool) { rd.merged, rd.follow = m, follow }

// resolve is the id a reference goes to: the kept one, when following merges.
func (rd *Reader) resolve(id string) string {
	if keep, ok := rd.merged[id]; ok && rd.follow {
		return keep
	}
	return id
}

// repoint sends the references of a record through resolve.
func (rd *Reader) repoint(ent coop.Entity, rel *coop.Relationship) {
	if len(rd.merged) == 0 || !rd.follow {
		return
	}
	switch x := ent.(type) {
	case *coop.Actor:
		x.CountryID = rd.resolve(x.CountryID)
	case *coop.Place:
		x.CountryID = rd.resolve(x.CountryID)
	}
	if rel != nil {
		rel.FromID, rel.ToID = rd.resolve(rel.FromID), rd.resolve(rel.ToID)
	}
	cites := coop.CitationsOf(ent, rel)
	for i := range cites {
		cites[i].SourceID = rd.resolve(cites[i].SourceID)
	}
}

// Cites returns the valid cite records on stored entities, in input order.
func (rd *Reader) Cites() []Cite { return rd.cites }

// Know makes entities that already exist (in the database, say) valid
// targets of references, without importing them again.
func (rd *Reader) Know(entities map[string]coop.Entity) {
	for id, e := range entities {
		if _, ok := rd.known[id]; !ok {
			rd.known[id] = e
			rd.stored[id] = true
		}
	}
}

// KnowPassages makes the passages of stored sources (source id to
// locators) what citations of those sources must name.
func (rd *Reader) KnowPassages(locators map[string][]string) {
	for source, ls := range locators {
		if rd.locators[source] == nil {
			rd.locators[source] = map[string]bool{}
		}
		rd.storedLocators[source] = map[string]bool{}
		for _, l := range ls {
			rd.locators[source][l] = true
			rd.storedLocators[source][l] = true
		}
	}
}

// KeepStoredPassages makes sources whose passages are stored keep them:
// passages the input gives for those sources are left out (the seed's
// summaries never replace a document a deployment ingested).
func (rd *Reader) KeepStoredPassages() { rd.keepStored = true }

// PassageTrouble reports problems that loading the valid records only
// would not fix: invalid passage records (a source's passages go in
// whole), or citations the passages given do not hold. An import with
// them loads nothing.
func (rd *Reader) PassageTrouble() bool { rd.finish(); return rd.passageTrouble }

// GivenPassages lists the sources whose passages the input gives, sorted.
func (rd *Reader) GivenPassages() []string { return slices.Sorted(maps.Keys(rd.given)) }

// KnowCited tells the reader which locators of stored sources stored facts
// cite (source to locator to the ids of the facts citing it).
func (rd *Reader) KnowCited(cited map[string]map[string][]string) { rd.cited = cited }

// finish runs the checks that need the whole input. An input that gives a
// source's passages anew must keep every locator a stored fact cites,
// unless the input gives that fact anew too; and every citation in the
// input must name one of the passages given, even one read before them.
func (rd *Reader) finish() {
	if rd.finished {
		return
	}
	rd.finished = true
	rejected := map[string]bool{}
	for _, source := range slices.Sorted(maps.Keys(rd.given)) {
		var lost []string
		for _, loc := range slices.SortedFunc(maps.Keys(rd.cited[source]), coop.CompareLocators) {
			if rd.locators[source][loc] {
				continue
			}
			facts := slices.DeleteFunc(slices.Clone(rd.cited[source][loc]), func(id string) bool { _, again := rd.line[id]; return again })
			if len(facts) > 0 {
				lost = append(lost, fmt.Sprintf("%s (cited by %s)", loc, strings.Join(facts[:min(3, len(facts))], ", ")+more(len(facts)-3)))
			}
		}
		if len(lost) == 0 {
			continue
		}
		rd.passageTrouble = true
		rejected[source] = true
		e := rd.firstPassage(source)
		e.Field, e.Msg = "locator", fmt.Sprintf("the passages given for %q leave out %s: give those passages too, or cite other ones first", source, strings.Join(lost, "; "))
		rd.errs = append(rd.errs, e)
	}
	rd.ds.Passages = slices.DeleteFunc(rd.ds.Passages, func(p coop.Passage) bool { return rejected[p.SourceID] })
	// Citations of sources whose passages the input gives, against all
	// of them, wherever they are in the input.
	for _, d := range rd.deferred {
		if !rd.locators[d.c.SourceID][d.c.Locator] {
			rd.passageTrouble = true
			e := d.at
			p := coop.NoPassage(d.i, d.c, rd.earlier())
			e.Field, e.Msg = p.Field, p.Message
			rd.errs = append(rd.errs, e)
		}
	}
}

// firstPassage is where the input gives a source's first passage.
func (rd *Reader) firstPassage(source string) LineError {
	for _, p := range rd.ds.Passages {
		if p.SourceID == source {
			return rd.line["passage "+p.Key()]
		}
	}
	return LineError{}
}

func more(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" and %d more", n)
}

// earlier looks references up among the entities defined so far.
func (rd *Reader) earlier() coop.Lookup {
	return coop.Lookup{Get: func(id string) (coop.Entity, bool) { e, ok := rd.known[id]; return e, ok }, Where: coop.OnAnEarlierLine, ByIndex: true}
}

// checkLocators checks that each citation of a source with passages names
// one of them. A source whose passages the input gives is checked in
// finish, against all of them.
func (rd *Reader) checkLocators(cites []coop.Citation, at LineError, fail func(field, format string, args ...any)) []deferredCitation {
	var later []deferredCitation
	for i, c := range cites {
		if s, ok := rd.known[c.SourceID]; !ok || s.EntityType() != coop.TypeSource {
			continue // CheckSources reports it
		} else if rd.willGive[c.SourceID] {
			later = append(later, deferredCitation{at: at, i: i, c: c}) // its passages are in the input
		} else if ls := rd.locators[c.SourceID]; len(ls) > 0 && !ls[c.Locator] {
			p := coop.NoPassage(i, c, rd.earlier())
			fail(p.Field, "%s", p.Message)
		}
	}
	return later
}

// deferredCitation is a citation of a source whose passages the input
// gives: checked in finish, against all of them.
type deferredCitation struct {
	at LineError
	i  int
	c  coop.Citation
}

// passage validates a passage record: its source must be defined earlier,
// its locator new to it in the input. Its order is its place among the
// input's passages of that source: an input gives a source's passages
// whole, in order.
func (rd *Reader) passage(v validator, rec *Record, at LineError) {
	before := len(rd.errs)
	p := coop.Passage{SourceID: rd.resolve(rec.Source), Locator: v.text("locator", rec.Locator, MaxPassageLocatorLength, true),
		Kind: coop.PassageKind(rec.Kind), Heading: rec.Heading, Text: v.text("text", rec.Text, coop.MaxPassageText, true)}
	v.enum("kind", p.Kind, rec.Kind)
	if rec.ID != "" || rec.Name != "" || rec.Title != "" || len(rec.Citations) > 0 {
		v.fail("record", "a passage record takes source, locator, kind, heading and text")
	}
	if s, ok := rd.known[p.SourceID]; !ok || s.EntityType() != coop.TypeSource {
		v.fail("source", "%q is not a source defined on an earlier line", rec.Source)
	}
	key := "passage " + p.Key()
	if prev, dup := rd.line[key]; dup {
		v.fail("locator", "%q already has a passage %q, at %s:%d", p.SourceID, p.Locator, prev.File, prev.Line)
	}
	if len(rd.errs) > before {
		rd.passageTrouble = true
		return
	}
	if rd.keepStored && len(rd.storedLocators[p.SourceID]) > 0 {
		return // the stored passages stay
	}
	rd.line[key] = at
	if !rd.given[p.SourceID] { // the input gives its passages anew
		rd.given[p.SourceID] = true
		rd.locators[p.SourceID] = map[string]bool{}
	}
	rd.locators[p.SourceID][p.Locator] = true
	p.Order = len(rd.locators[p.SourceID])
	rd.ds.Passages = append(rd.ds.Passages, p)
}

func (rd *Reader) readLine(file string, n int, line []byte) {
	at := LineError{File: file, Line: n}
	fail := func(field, format string, args ...any) {
		e := at
		e.Field, e.Msg = field, fmt.Sprintf(format, args...)
		rd.errs = append(rd.errs, e)
	}
	if !utf8.Valid(line) {
		fail("", "not valid UTF-8")
		return
	}
	var rec Record
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		fail("", "not a valid record: %s", jsonProblem(err))
		return
	}
	v := validator{fail: fail}
	if rec.Review != "" {
		fail("review", "this is a candidate from coopgraph ingest: complete it (type and status, or record and kind), then delete its review note, or delete the line")
		return
	}
	switch rec.Record {
	case "cite":
		rd.cite(v, &rec, at)
		return
	case "passage":
		rd.passage(v, &rec, at)
		return
	}
	before := len(rd.errs)
	ent, rel := v.decode(&rec)
	if ent == nil && rel == nil {
		fail("record", "must be one of source, passage, actor, place, agreement, meeting, event, statistic, relationship, cite; got %q", rec.Record)
		return
	}
	id := v.id(rec.ID)
	if keep, ok := rd.merged[id]; ok && ent != nil {
		if rd.follow {
			return // an editor merged it away: the kept entity stands for it
		}
		fail("id", "%q was merged into %q; write the record under that id", id, keep)
	}
	rd.repoint(ent, rel)
	if prev, dup := rd.line[id]; dup && id != "" {
		fail("id", "%q is already defined at %s:%d", id, prev.File, prev.Line)
	}
	// Every fact is cited; its citations' sources, country and ends must be defined earlier.
	if err := coop.CheckCited(ent, rel); err != nil {
		fail(err.Field, "%s", err.Message)
	}
	for _, p := range coop.CheckReferences(ent, rel, rd.earlier()) {
		fail(p.Field, "%s", p.Message)
	}
	later := rd.checkLocators(coop.CitationsOf(ent, rel), at, fail)
	if len(rd.errs) > before {
		return
	}
	rd.line[id] = at
	rd.deferred = append(rd.deferred, later...)
	if ent != nil {
		delete(rd.stored, id) // the input defines it anew
		rd.known[id] = ent
		rd.ds.Entities = append(rd.ds.Entities, ent)
	} else {
		rd.rels[id] = rel
		rd.ds.Relationships = append(rd.ds.Relationships, rel)
	}
}

// cite adds a later source's citations (and, for entities, aliases) to an
// entity or relationship defined earlier, so that facts several sources
// support stay one entity with every source's citations.
func (rd *Reader) cite(v validator, rec *Record, at LineError) {
	before := len(rd.errs)
	if rec.ID == "" {
		v.fail("id", "is required")
		return
	}
	allowed := rec.Name == "" && rec.Title == "" && rec.Kind == "" && rec.Type == "" && rec.From == "" && rec.To == "" && rec.Description == ""
	if !allowed {
		v.fail("record", "a cite record takes only id, aliases and citations")
	}
	_, ofTie := rd.rels[rd.resolve(rec.ID)]
	cites := v.citations(rec.Citations, ofTie)
	if len(cites) == 0 {
		v.fail("citations", "a cite record needs at least one citation")
	}
	for i := range cites {
		cites[i].SourceID = rd.resolve(cites[i].SourceID)
	}
	for _, p := range coop.CheckSources(cites, rd.earlier()) {
		v.fail(p.Field, "%s", p.Message)
	}
	later := rd.checkLocators(cites, at, v.fail)
	aliases := v.list("aliases", rec.Aliases)
	rec.ID = rd.resolve(rec.ID)
	e, isEntity := rd.known[rec.ID]
	r, isRel := rd.rels[rec.ID]
	switch {
	case isEntity && e.EntityType() == coop.TypeSource:
		v.fail("id", "%q is a source: sources take no citations", rec.ID)
	case isRel && len(aliases) > 0:
		v.fail("aliases", "relationships have no aliases")
	case !isEntity && !isRel:
		v.fail("id", "%q is not an entity or relationship defined on an earlier line", rec.ID)
	}
	if len(rd.errs) > before {
		return // a rejected record changes nothing
	}
	rd.deferred = append(rd.deferred, later...)
	if isEntity && rd.stored[rec.ID] {
		// In the database, not in the input: the importer adds to the
		// stored entity under its lock, so no concurrent edit is lost.
		rd.cites = append(rd.cites, Cite{At: at, ID: rec.ID, Aliases: aliases, Citations: cites})
		return
	}
	if isEntity {
		b := e.EntityBase()
		b.Citations = coop.MergeCitations(b.Citations, cites)
		b.Aliases = union(b.Aliases, aliases)
	} else {
		r.Citations = coop.MergeCitations(r.Citations, cites)
		r.Status = coop.Restatus(r.Status, r.Citations) // a later source may confirm what an earlier reported
	}
}

func union(xs, ys []string) []string {
	for _, y := range ys {
		if !slices.Contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("JSON syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s", te.Field, te.Type)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return "unknown field " + strings.TrimPrefix(msg, "json: unknown field ")
	}
	return "malformed JSON"
}

// Text normalises free text: Unicode NFC, trimmed, inner runs of space collapsed.
func Text(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}
