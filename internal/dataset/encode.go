package dataset

import (
	"encoding/json"
	"io"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// Writer writes records in the format Reader reads.
type Writer struct{ enc *json.Encoder }

// NewWriter writes JSON Lines to w.
func NewWriter(w io.Writer) *Writer {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &Writer{enc: enc}
}

// ExportOrder ranks entities so that every reference points backwards:
// sources (cited by all), then countries (the country of actors and
// places), then everything else.
func ExportOrder(e coop.Entity) int {
	switch x := e.(type) {
	case *coop.Source:
		return 0
	case *coop.Actor:
		if x.Kind == coop.ActorCountry {
			return 1
		}
	}
	return 2
}

// RecordWriter writes records in one of the formats import reads.
type RecordWriter interface {
	Entity(coop.Entity) error
	Passage(coop.Passage) error
	Relationship(*coop.Relationship) error
}

// Dataset writes a whole dataset in export order.
func (w *Writer) Dataset(ds coop.Dataset) error { return writeDataset(ds, w) }

// writeDataset hands a dataset's records to a writer in export order, so
// that every reference points backwards: sources, their passages (which
// citations name), countries, other entities, relationships.
func writeDataset(ds coop.Dataset, w RecordWriter) error {
	for rank := 0; rank <= 2; rank++ {
		for _, e := range ds.Entities {
			if ExportOrder(e) == rank {
				if err := w.Entity(e); err != nil {
					return err
				}
			}
		}
		if rank == 0 {
			for _, p := range ds.Passages {
				if err := w.Passage(p); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range ds.Relationships {
		if err := w.Relationship(r); err != nil {
			return err
		}
	}
	return nil
}

// Entity writes one entity record.
func (w *Writer) Entity(e coop.Entity) error { return w.enc.Encode(entityRecord(e)) }

// Passage writes one passage record.
func (w *Writer) Passage(p coop.Passage) error { return w.enc.Encode(passageRecord(p)) }

func passageRecord(p coop.Passage) Record {
	return Record{Record: "passage", Source: p.SourceID, Locator: p.Locator, Kind: string(p.Kind), Heading: p.Heading, Text: p.Text}
}

// Relationship writes one relationship record.
func (w *Writer) Relationship(r *coop.Relationship) error { return w.enc.Encode(relationshipRecord(r)) }

func relationshipRecord(r *coop.Relationship) Record {
	rec := Record{Record: "relationship", ID: r.ID, Type: string(r.Type), From: r.FromID, To: r.ToID,
		Since: r.Since.String(), Until: r.Until.String(), AsOf: r.AsOf.String(), Role: r.Role, Status: string(r.Status),
		Description: r.Description, Citations: r.Citations}
	provenanceRecord(&rec, r.Provenance)
	return rec
}

// provenanceRecord writes a fact's basis: only an inferred one, STATED
// being what a record without one means.
func provenanceRecord(rec *Record, p coop.Provenance) {
	if p.Basis.OrStated() != coop.BasisStated {
		rec.Basis, rec.Inference = string(p.Basis), p.Inference
	}
}

func entityRecord(e coop.Entity) Record {
	b := e.EntityBase()
	r := Record{ID: b.ID, Name: b.Name, Aliases: b.Aliases, EditorialAliases: b.EditorialAliases, Description: b.Description,
		Citations: b.Citations, Synthetic: b.Synthetic}
	provenanceRecord(&r, b.Provenance)
	switch x := e.(type) {
	case *coop.Source:
		r.Record, r.Name, r.Title = "source", "", b.Name
		r.Kind, r.Publisher, r.Published, r.URL = string(x.Kind), x.Publisher, x.Published.String(), x.URL
	case *coop.Actor:
		r.Record, r.Kind, r.Country = "actor", string(x.Kind), x.CountryID
	case *coop.Place:
		r.Record, r.Kind, r.Country = "place", string(x.Kind), x.CountryID
	case *coop.Agreement:
		r.Record, r.Kind, r.Status = "agreement", string(x.Kind), string(x.Status)
		r.Proposed, r.Signed, r.InForce, r.Ended = x.Proposed.String(), x.Signed.String(), x.InForce.String(), x.Ended.String()
	case *coop.Meeting:
		r.Record, r.Date, r.Topics, r.Outcomes = "meeting", x.Date.String(), x.Topics, x.Outcomes
	case *coop.Event:
		r.Record, r.EventType, r.SubEventType = "event", string(x.EventType), x.SubEventType
		r.Date, r.EndDate, r.Fatalities = x.Date.String(), x.EndDate.String(), x.Fatalities
	case *coop.Statistic:
		v := x.Value
		r.Record, r.Indicator, r.Value, r.Unit = "statistic", x.Indicator, &v, x.Unit
		if x.Bound.OrExact() != coop.BoundExact {
			r.Bound = string(x.Bound)
		}
		r.PeriodStart, r.PeriodEnd = x.PeriodStart.String(), x.PeriodEnd.String()
	}
	return r
}

// Candidates are records for a curator to complete (coopgraph ingest's
// review file): the fields only a curator can fill (a relationship's type
// and status, an entity's kind) are written empty, and the review note says
// what to do. Import refuses them as they are.
type (
	candidateTie struct {
		Record    string          `json:"record"`
		Type      string          `json:"type"`
		From      string          `json:"from"`
		To        string          `json:"to"`
		Status    string          `json:"status"`
		Citations []coop.Citation `json:"citations"`
		Review    string          `json:"review"`
	}
	candidateEntity struct {
		Record    string          `json:"record"`
		ID        string          `json:"id"`
		Name      string          `json:"name"`
		Kind      string          `json:"kind"`
		Citations []coop.Citation `json:"citations"`
		Review    string          `json:"review"`
	}
)

// CandidateRelationship writes a relationship record without type or
// status, for a curator to complete.
func (w *Writer) CandidateRelationship(from, to string, cites []coop.Citation, note string) error {
	return w.enc.Encode(candidateTie{Record: "relationship", From: from, To: to, Citations: cites, Review: note})
}

// CandidateEntity writes an actor record without kind, for a curator to
// complete (or to make a place, an event, ...).
func (w *Writer) CandidateEntity(id, name string, cites []coop.Citation, note string) error {
	return w.enc.Encode(candidateEntity{Record: "actor", ID: id, Name: name, Citations: cites, Review: note})
}
