package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Decode validates one record, given as a JSON object in the import format,
// on its own: every problem is reported with its field, none with a line.
// References (citation sources, countries, relationship ends) are not
// checked here; the writer checks them against the stored graph.
func Decode(obj []byte) (coop.Entity, *coop.Relationship, Errors) {
	var errs Errors
	var rec record
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return nil, nil, Errors{{Msg: jsonProblem(err)}}
	}
	v := validator{fail: func(field, format string, args ...any) {
		errs = append(errs, LineError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}}
	ent, rel := v.decode(&rec)
	if ent == nil && rel == nil && len(errs) == 0 {
		v.fail("record", "must be one of source, actor, place, agreement, meeting, event, statistic, relationship; got %q", rec.Record)
	}
	v.id(rec.ID)
	if ent != nil && ent.EntityType() != coop.TypeSource && len(ent.EntityBase().Citations) == 0 {
		v.fail("citations", "every fact needs at least one citation")
	}
	if rel != nil && len(rel.Citations) == 0 {
		v.fail("citations", "every fact needs at least one citation")
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return ent, rel, nil
}

// decode dispatches on the record type; nil, nil for an unknown one.
func (v validator) decode(rec *record) (coop.Entity, *coop.Relationship) {
	switch rec.Record {
	case "source":
		return v.source(rec), nil
	case "actor":
		return v.actor(rec), nil
	case "place":
		return v.place(rec), nil
	case "agreement":
		return v.agreement(rec), nil
	case "meeting":
		return v.meeting(rec), nil
	case "event":
		return v.event(rec), nil
	case "statistic":
		return v.statistic(rec), nil
	case "relationship":
		return nil, v.relationship(rec)
	}
	return nil, nil
}

// EntityFields is an entity as its import record: field name to value.
func EntityFields(e coop.Entity) map[string]any { return fields(entityRecord(e)) }

// RelationshipFields is a relationship as its import record.
func RelationshipFields(r *coop.Relationship) map[string]any { return fields(relationshipRecord(r)) }

// EntityJSON is an entity as one line of the import format, for the audit
// trail; RelationshipJSON likewise.
func EntityJSON(e coop.Entity) string { return compact(entityRecord(e)) }

func RelationshipJSON(r *coop.Relationship) string { return compact(relationshipRecord(r)) }

func compact(r record) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(r)
	return string(bytes.TrimSpace(b.Bytes()))
}

func fields(r record) map[string]any {
	m := map[string]any{}
	json.Unmarshal([]byte(compact(r)), &m)
	return m
}
