package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
	"github.com/coopgraph/coopgraph/internal/requestid"
)

// Writes reuse the import format: a create's input is an import record
// (the same fields, the same names), checked by package dataset exactly as
// an imported line is; an update turns the stored entity into its record,
// lays the patch over it and checks the result the same way. So the API and
// `coopgraph import` cannot disagree about what a valid record is.

const maxReasonLength = 1000

// edit makes the provenance of a write: who (from the request's
// credential), the evidence, the reason. needCites and needReason say which
// the mutation requires.
func edit(ctx context.Context, cites []*coop.Citation, needCites bool, reason string, needReason bool) (coop.Edit, error) {
	ed := coop.Edit{Author: auth.From(ctx), RequestID: requestid.From(ctx), Reason: dataset.Text(reason)}
	if needCites && len(cites) == 0 {
		return ed, coop.Invalidf("citations", "every change must cite at least one source and locator")
	}
	if len(cites) > dataset.MaxListLength {
		return ed, coop.Invalidf("citations", "has more than %d items", dataset.MaxListLength)
	}
	for i, c := range cites {
		field := fmt.Sprintf("citations[%d]", i)
		if !coop.ValidID(c.SourceID) {
			return ed, coop.Invalidf(field+".source", "%q is not an id", truncate(c.SourceID))
		}
		loc := dataset.Text(c.Locator)
		if loc == "" || utf8.RuneCountInString(loc) > 100 {
			return ed, coop.Invalidf(field+".locator", "give where in the source, such as ¶5, in 1 to 100 characters")
		}
		if err := coop.CheckText(field+".locator", loc); err != nil {
			return ed, err
		}
		// Whether a status may stand (on a tie's citation, not an entity's)
		// is the validator's to say, when the record is written.
		ed.Citations = coop.MergeCitations(ed.Citations, []coop.Citation{{SourceID: c.SourceID, Locator: loc, Status: c.Status}})
	}
	if needReason && ed.Reason == "" {
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

// decode checks a record given as fields; the first problem becomes the
// error's field, and every problem is in its message.
func decode(fields map[string]any) (coop.Entity, *coop.Relationship, error) {
	obj, err := json.Marshal(fields)
	if err != nil {
		return nil, nil, coop.Invalidf("input", "cannot be read")
	}
	e, r, errs := dataset.Decode(obj)
	if len(errs) > 0 {
		// The first problem's field is the error's; the rest are named in the message.
		msg := errs[0].Msg
		for _, le := range errs[1:] {
			msg += "; " + le.Field + ": " + le.Msg
		}
		return nil, nil, &coop.Error{Code: coop.CodeInvalid, Field: errs[0].Field, Message: msg}
	}
	return e, r, nil
}

// plain turns gqlgen's typed input values (pointers, dates, enums) into
// plain JSON values; an explicit null stays as a nil value.
func plain(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	out := map[string]any{}
	json.Unmarshal(b, &out)
	return out
}

func (r *mutationResolver) createEntity(ctx context.Context, record string, input map[string]any) (*model.EntityPayload, error) {
	fields := plain(input)
	fields["record"] = record
	e, _, err := decode(fields)
	if err != nil {
		return nil, err
	}
	ed, err := edit(ctx, nil, false, "", false)
	if err != nil {
		return nil, err
	}
	ed.Citations = e.EntityBase().Citations
	w, err := r.Curator.CreateEntity(ctx, e, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Created: w.Created, Change: w.Change}, nil
}

// updateEntity lays set over the stored record of the entity of type t,
// adds the evidence to its citations, and writes it if version is current.
func (r *mutationResolver) updateEntity(ctx context.Context, t coop.EntityType, id string, version int, set map[string]any, cites []*coop.Citation) (*model.EntityPayload, error) {
	ed, err := edit(ctx, cites, true, "", false)
	if err != nil {
		return nil, err
	}
	patch, err := patchArgs("entity", version, set)
	if err != nil {
		return nil, err
	}
	w, err := r.Curator.UpdateEntity(ctx, id, int64(version), coop.ActionUpdate, func(current coop.Entity) (coop.Entity, error) {
		if current.EntityType() != t {
			return nil, coop.Invalidf("id", "%q is a %s, not a %s", id, current.EntityType(), t)
		}
		fields := dataset.EntityFields(current)
		overlay(fields, patch)
		if t != coop.TypeSource { // sources take no citations; the audit entry keeps the evidence
			fields["citations"] = withCitations(current.EntityBase().Citations, ed.Citations)
		}
		next, _, err := decode(fields)
		return next, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Change: w.Change}, nil
}

// patchArgs checks an update's expected version and turns its patch into
// plain values.
func patchArgs(what string, version int, set map[string]any) (map[string]any, error) {
	if version < 1 {
		return nil, coop.Invalidf("expectedVersion", "is the %s's version as you read it: 1 or more", what)
	}
	patch := plain(set)
	if len(patch) == 0 {
		return nil, coop.Invalidf("set", "names no field to change")
	}
	return patch, nil
}

// overlay lays a patch over a record's fields: null clears a field.
func overlay(fields, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
}

func withCitations(have, add []coop.Citation) []coop.Citation { return coop.MergeCitations(have, add) }

// changeAliases adds or removes names; no version is needed, as the edit
// applies to whatever is stored when the write holds the lock.
//
// An added alias is editorial (no source uses it) when editorial is set;
// otherwise its citations are a source using it, so an editorial alias
// given again stops being editorial. A removed alias goes from both lists.
func (r *mutationResolver) changeAliases(ctx context.Context, id string, aliases []string, ed coop.Edit, add, editorial bool) (*model.EntityPayload, error) {
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
	if !add {
		action = coop.ActionRemoveAlias
	}
	w, err := r.Curator.UpdateEntity(ctx, id, 0, action, func(current coop.Entity) (coop.Entity, error) {
		fields := dataset.EntityFields(current)
		b := current.EntityBase()
		all, marked := slices.Clone(b.Aliases), slices.Clone(b.EditorialAliases)
		if add {
			for _, n := range names {
				if n == b.Name {
					continue
				}
				if !slices.Contains(all, n) {
					all = append(all, n)
				}
				switch {
				case editorial && !slices.Contains(marked, n) && !slices.Contains(b.Aliases, n):
					marked = append(marked, n) // a name sources use stays theirs
				case !editorial:
					marked = slices.DeleteFunc(marked, func(m string) bool { return m == n })
				}
			}
			if current.EntityType() != coop.TypeSource {
				fields["citations"] = withCitations(b.Citations, ed.Citations)
			}
		} else {
			gone := func(a string) bool { return slices.Contains(names, a) }
			all, marked = slices.DeleteFunc(all, gone), slices.DeleteFunc(marked, gone)
		}
		fields["aliases"], fields["editorialAliases"] = all, marked
		e, _, err := decode(fields)
		return e, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.EntityPayload{Entity: w.Value, Change: w.Change}, nil
}

func (r *mutationResolver) createRelationship(ctx context.Context, input map[string]any) (*model.RelationshipPayload, error) {
	fields := plain(input)
	fields["record"] = "relationship"
	_, rel, err := decode(fields)
	if err != nil {
		return nil, err
	}
	ed, err := edit(ctx, nil, false, "", false)
	if err != nil {
		return nil, err
	}
	ed.Citations = rel.Citations
	w, err := r.Curator.CreateRelationship(ctx, rel, ed)
	if err != nil {
		return nil, err
	}
	return &model.RelationshipPayload{Relationship: w.Value, Created: w.Created, Change: w.Change}, nil
}

// updateRelationship lays patch over the stored relationship.
func (r *mutationResolver) updateRelationship(ctx context.Context, id string, version int64, patch map[string]any, ed coop.Edit) (*model.RelationshipPayload, error) {
	w, err := r.Curator.UpdateRelationship(ctx, id, version, func(current *coop.Relationship) (*coop.Relationship, error) {
		fields := dataset.RelationshipFields(current)
		overlay(fields, patch)
		cites := withCitations(current.Citations, ed.Citations)
		fields["citations"] = cites
		if _, set := patch["status"]; !set {
			// New evidence may lift the tie: a source confirming what another reported.
			fields["status"] = string(coop.Restatus(current.Status, cites))
		}
		_, next, err := decode(fields)
		return next, err
	}, ed)
	if err != nil {
		return nil, err
	}
	return &model.RelationshipPayload{Relationship: w.Value, Change: w.Change}, nil
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
	p, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	f.First = p.First
	if p.After != "" {
		var seq int64
		if _, err := fmt.Sscan(p.After, &seq); err != nil || seq < 0 {
			return nil, coop.Invalidf("after", "is not a cursor given by this API; pass a pageInfo.endCursor")
		}
		f.After = seq
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
