package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/requestid"
)

// Writes reuse the import format: a create's input becomes an import
// record (dataset.Record: the same fields, the same names; see
// graph/model/records.go), checked by package dataset exactly as an
// imported line is; an update turns the stored entity into its record, lays
// the fields its patch sets over it and checks the result the same way. So
// the API and `coopgraph import` cannot disagree about what a valid record
// is.

const maxReasonLength = 1000

// by is the provenance every write starts from: who (from the request's
// credential) and in which request.
func by(ctx context.Context) coop.Edit {
	return coop.Edit{Author: auth.From(ctx), RequestID: requestid.From(ctx)}
}

// citing is the provenance of a write that changes facts (an update, added
// aliases, an ended tie): its citations are the evidence, and it needs one
// at least.
func citing(ctx context.Context, cites []*coop.Citation) (coop.Edit, error) {
	ed := by(ctx)
	if len(cites) == 0 {
		return ed, coop.Invalidf("citations", "every change must cite at least one source and locator")
	}
	var err error
	ed.Citations, err = evidence(cites)
	return ed, err
}

// explaining is the provenance of a write that removes or merges: it says
// why, for the audit trail, and may cite evidence.
func explaining(ctx context.Context, reason string, cites []*coop.Citation) (coop.Edit, error) {
	ed := by(ctx)
	var err error
	if ed.Citations, err = evidence(cites); err != nil {
		return ed, err
	}
	ed.Reason = dataset.Text(reason)
	if ed.Reason == "" {
		return ed, coop.Invalidf("reason", "say why, for the audit trail")
	}
	if err := coop.CheckText("reason", ed.Reason); err != nil {
		return ed, err
	}
	if utf8.RuneCountInString(ed.Reason) > maxReasonLength {
		return ed, coop.Invalidf("reason", "is longer than %d characters", maxReasonLength)
	}
	return ed, nil
}

// evidence checks the citations a write gives as its evidence.
func evidence(cites []*coop.Citation) ([]coop.Citation, error) {
	if len(cites) > dataset.MaxListLength {
		return nil, coop.Invalidf("citations", "has more than %d items", dataset.MaxListLength)
	}
	var out []coop.Citation
	for i, c := range cites {
		field := fmt.Sprintf("citations[%d]", i)
		if !coop.ValidID(c.SourceID) {
			return nil, coop.Invalidf(field+".source", "%q is not an id", truncate(c.SourceID))
		}
		loc := dataset.Text(c.Locator)
		if loc == "" || utf8.RuneCountInString(loc) > dataset.MaxLocatorLength {
			return nil, coop.Invalidf(field+".locator", "give where in the source, such as ¶5, in 1 to %d characters", dataset.MaxLocatorLength)
		}
		if err := coop.CheckText(field+".locator", loc); err != nil {
			return nil, err
		}
		// Whether a status may stand (on a tie's citation, not an entity's)
		// is the validator's to say, when the record is written.
		out = coop.MergeCitations(out, []coop.Citation{{SourceID: c.SourceID, Locator: loc, Status: c.Status}})
	}
	return out, nil
}

// withEvidence adds an edit's evidence to the citations of the record of
// an entity of type t. Sources take no citations: the audit entry keeps
// their evidence.
func withEvidence(rec *dataset.Record, t coop.EntityType, ed coop.Edit) {
	if t != coop.TypeSource {
		rec.Citations = coop.MergeCitations(rec.Citations, ed.Citations)
	}
}

// decode checks a record; the first problem becomes the error's field, and
// every problem is in its message.
func decode(rec dataset.Record) (coop.Entity, *coop.Relationship, error) {
	e, r, errs := dataset.DecodeRecord(rec)
	if len(errs) > 0 {
		ps := make(coop.Problems, len(errs))
		for i, le := range errs {
			ps[i] = coop.Invalidf(le.Field, "%s", le.Msg)
		}
		return nil, nil, ps.Err()
	}
	return e, r, nil
}

func (r *mutationResolver) createEntity(ctx context.Context, input model.RecordInput) (*model.EntityPayload, error) {
	e, _, err := decode(input.Record())
	if err != nil {
		return nil, err
	}
	ed := by(ctx)
	ed.Citations = e.EntityBase().Citations
	w, err := r.Curator.CreateEntity(ctx, e, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Created: w.Created, Change: w.Change}, nil
}

// updateEntity lays set over the stored record of the entity of type t,
// adds the evidence to its citations, and writes it if version is current.
func (r *mutationResolver) updateEntity(ctx context.Context, t coop.EntityType, id string, version int, set model.RecordPatch, cites []*coop.Citation) (*model.EntityPayload, error) {
	ed, err := citing(ctx, cites)
	if err != nil {
		return nil, err
	}
	if err := checkPatch("entity", version, set); err != nil {
		return nil, err
	}
	w, err := r.Curator.UpdateEntity(ctx, id, int64(version), coop.ActionUpdate, func(current coop.Entity) (coop.Entity, error) {
		if current.EntityType() != t {
			return nil, coop.Invalidf("id", "%q is a %s, not a %s", id, current.EntityType(), t)
		}
		rec := dataset.EntityRecord(current)
		set.Lay(&rec)
		withEvidence(&rec, t, ed)
		next, _, err := decode(rec)
		return next, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Change: w.Change}, nil
}

// checkPatch checks an update's expected version and that its patch sets
// a field.
func checkPatch(what string, version int, set model.RecordPatch) error {
	if version < 1 {
		return coop.Invalidf("expectedVersion", "is the %s's version as you read it: 1 or more", what)
	}
	// Every field of a patch is a graphql.Omittable, zero when left out.
	if reflect.ValueOf(set).IsZero() {
		return coop.Invalidf("set", "names no field to change")
	}
	return nil
}

// aliasChange says what changeAliases does with the names it is given.
type aliasChange struct {
	remove    bool // take them away; otherwise add them
	editorial bool // added names are editorial: no source uses them
}

// changeAliases adds or removes names; no version is needed, as the edit
// applies to whatever is stored when the write holds the lock.
//
// An added alias is editorial (no source uses it) when how.editorial is
// set; otherwise its citations are a source using it, so an editorial alias
// given again stops being editorial. A removed alias goes from both lists.
func (r *mutationResolver) changeAliases(ctx context.Context, id string, aliases []string, ed coop.Edit, how aliasChange) (*model.EntityPayload, error) {
	if len(aliases) == 0 || len(aliases) > dataset.MaxListLength {
		return nil, coop.Invalidf("aliases", "give 1 to %d names", dataset.MaxListLength)
	}
	names := make([]string, len(aliases))
	for i, a := range aliases {
		names[i] = dataset.Text(a)
		if names[i] == "" || utf8.RuneCountInString(names[i]) > dataset.MaxNameLength {
			return nil, coop.Invalidf(fmt.Sprintf("aliases[%d]", i), "must be 1 to %d characters", dataset.MaxNameLength)
		}
	}
	action := coop.ActionAddAlias
	if how.remove {
		action = coop.ActionRemoveAlias
	}
	w, err := r.Curator.UpdateEntity(ctx, id, 0, action, func(current coop.Entity) (coop.Entity, error) {
		rec := dataset.EntityRecord(current)
		b := current.EntityBase()
		all, marked := slices.Clone(b.Aliases), slices.Clone(b.EditorialAliases)
		if !how.remove {
			for _, n := range names {
				if n == b.Name {
					continue
				}
				if !slices.Contains(all, n) {
					all = append(all, n)
				}
				switch {
				case how.editorial && !slices.Contains(marked, n) && !slices.Contains(b.Aliases, n):
					marked = append(marked, n) // a name sources use stays theirs
				case !how.editorial:
					marked = slices.DeleteFunc(marked, func(m string) bool { return m == n })
				}
			}
			withEvidence(&rec, current.EntityType(), ed)
		} else {
			gone := func(a string) bool { return slices.Contains(names, a) }
			all, marked = slices.DeleteFunc(all, gone), slices.DeleteFunc(marked, gone)
		}
		rec.Aliases, rec.EditorialAliases = all, marked
		e, _, err := decode(rec)
		return e, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Change: w.Change}, nil
}

func (r *mutationResolver) createRelationship(ctx context.Context, input model.RelationshipInput) (*model.RelationshipPayload, error) {
	_, rel, err := decode(input.Record())
	if err != nil {
		return nil, err
	}
	ed := by(ctx)
	ed.Citations = rel.Citations
	w, err := r.Curator.CreateRelationship(ctx, rel, ed)
	if err != nil {
		return nil, err
	}
	return &model.RelationshipPayload{Relationship: w.Value, Created: w.Created, Change: w.Change}, nil
}

// updateRelationship lays set over the stored relationship and adds the
// evidence to its citations.
func (r *mutationResolver) updateRelationship(ctx context.Context, id string, version int64, set model.RelationshipPatch, ed coop.Edit) (*model.RelationshipPayload, error) {
	w, err := r.Curator.UpdateRelationship(ctx, id, version, func(current *coop.Relationship) (*coop.Relationship, error) {
		rec := dataset.RelationshipRecord(current)
		set.Lay(&rec)
		rec.Citations = coop.MergeCitations(current.Citations, ed.Citations)
		if !set.Status.IsSet() {
			// New evidence may lift the tie: a source confirming what another reported.
			rec.Status = string(coop.Restatus(current.Status, rec.Citations))
		}
		_, next, err := decode(rec)
		return next, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.RelationshipPayload{Relationship: w.Value, Change: w.Change}, nil
}

// ending is the patch that ends a tie: until, and the status (ENDED unless
// given).
func ending(until coop.Date, status *coop.Status) model.RelationshipPatch {
	st := coop.StatusEnded
	if status != nil {
		st = *status
	}
	return model.RelationshipPatch{Until: graphql.OmittableOf(&until), Status: graphql.OmittableOf(&st)}
}

func optionalVersion(v *int) (int64, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 1 {
		return 0, coop.Invalidf("expectedVersion", "is the version as you read it: 1 or more")
	}
	return int64(*v), nil
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// changeConnection turns a page of the audit trail into a connection.
func changeConnection(page coop.ChangePage) *model.ChangeConnection {
	c := &model.ChangeConnection{Edges: []*model.ChangeEdge{}, Nodes: []*coop.Change{}}
	last := ""
	for i := range page.Changes {
		ch := &page.Changes[i]
		last = fmt.Sprint(ch.Seq)
		c.Edges = append(c.Edges, &model.ChangeEdge{Cursor: encodeCursor(last), Node: ch})
		c.Nodes = append(c.Nodes, ch)
	}
	c.PageInfo = pageInfo(page.HasNextPage, last)
	return c
}

// changes checks the arguments of an audit trail page and reads it.
func (r *Resolver) changes(ctx context.Context, f coop.ChangeFilter, first *int, after *string) (*model.ChangeConnection, error) {
	var err error
	if f.First, err = coop.PageSize.Take("first", first); err != nil {
		return nil, err
	}
	if f.After, err = cursorArg("after", after, seqKey); err != nil {
		return nil, err
	}
	page, err := r.Curator.Changes(ctx, f)
	if err != nil {
		return nil, err
	}
	return changeConnection(page), nil
}

// record parses a stored record for Change.before and after. A merge's
// before holds two records, given as keep and remove.
func record(s string) (map[string]any, error) {
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "[") {
		var two []map[string]any
		if err := json.Unmarshal([]byte(s), &two); err != nil || len(two) != 2 {
			return nil, fmt.Errorf("audit record is not valid JSON: %v", err)
		}
		return map[string]any{"keep": two[0], "remove": two[1]}, nil
	}
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("audit record is not valid JSON: %w", err)
	}
	return m, nil
}
