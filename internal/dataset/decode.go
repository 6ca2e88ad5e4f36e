package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Decode validates one record, given as a JSON object in the import format,
// on its own, as DecodeRecord does.
func Decode(obj []byte) (coop.Entity, *coop.Relationship, Errors) {
	var rec Record
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return nil, nil, Errors{{Msg: jsonProblem(err)}}
	}
	return DecodeRecord(rec)
}

// DecodeRecord validates one record on its own: every problem is reported
// with its field, none with a line. References (citation sources,
// countries, relationship ends) are not checked here; the writer checks
// them against the stored graph.
func DecodeRecord(rec Record) (coop.Entity, *coop.Relationship, Errors) {
	var errs Errors
	v := validator{fail: func(field, format string, args ...any) {
		errs = append(errs, LineError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}}
	ent, rel := v.decode(&rec)
	if ent == nil && rel == nil && len(errs) == 0 {
		v.fail("record", "must be one of source, actor, place, agreement, meeting, event, statistic, relationship; got %q", rec.Record)
	}
	v.id(rec.ID)
	if err := coop.CheckCited(ent, rel); err != nil {
		v.fail(err.Field, "%s", err.Message)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return ent, rel, nil
}

// decode dispatches on the record type; nil, nil for an unknown one.
func (v validator) decode(rec *Record) (coop.Entity, *coop.Relationship) {
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

// EntityRecord is an entity as its import record.
func EntityRecord(e coop.Entity) Record { return entityRecord(e) }

// RelationshipRecord is a relationship as its import record.
func RelationshipRecord(r *coop.Relationship) Record { return relationshipRecord(r) }

// EntityJSON is an entity as one line of the import format, for the audit
// trail; RelationshipJSON likewise.
func EntityJSON(e coop.Entity) string { return compact(entityRecord(e)) }

func RelationshipJSON(r *coop.Relationship) string { return compact(relationshipRecord(r)) }

func compact(r Record) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(r)
	return string(bytes.TrimSpace(b.Bytes()))
}

func fields(r Record) map[string]any {
	m := map[string]any{}
	json.Unmarshal([]byte(compact(r)), &m)
	return m
}
