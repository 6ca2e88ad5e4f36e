package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// Writes take import records, which package dataset checks as it checks an
// imported line. A create's input is what names the record (its type, id
// and citations; a tie's type and ends) plus its other fields as a patch
// laid over an empty record; an update lays its patch over the stored
// record. Each patch's Lay is the one place its fields meet the record's,
// and it names every field, so a field renamed in the schema breaks the
// build, not a request (graph/records_test.go checks that every field arrives).

// RecordInput is a create's input: it becomes one import record.
type RecordInput interface {
	Record() dataset.Record
}

// RecordPatch is an update's set of fields.
type RecordPatch interface {
	// Lay writes the fields the patch sets into r, leaving the others as
	// they are; a field set to null is cleared.
	Lay(r *dataset.Record)
}

func (in ActorInput) Record() dataset.Record {
	return record("actor", in.ID, in.Citations, ActorPatch{Name: given(in.Name), Kind: given(in.Kind), Country: in.Country,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p ActorPatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layText(&r.Kind, p.Kind)
	layText(&r.Country, p.Country)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in PlaceInput) Record() dataset.Record {
	return record("place", in.ID, in.Citations, PlacePatch{Name: given(in.Name), Kind: given(in.Kind), Country: in.Country,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p PlacePatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layText(&r.Kind, p.Kind)
	layText(&r.Country, p.Country)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in AgreementInput) Record() dataset.Record {
	return record("agreement", in.ID, in.Citations, AgreementPatch{Name: given(in.Name), Kind: given(in.Kind), Status: given(in.Status),
		Proposed: in.Proposed, Signed: in.Signed, InForce: in.InForce, Ended: in.Ended,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p AgreementPatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layText(&r.Kind, p.Kind)
	layText(&r.Status, p.Status)
	layDate(&r.Proposed, p.Proposed)
	layDate(&r.Signed, p.Signed)
	layDate(&r.InForce, p.InForce)
	layDate(&r.Ended, p.Ended)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in MeetingInput) Record() dataset.Record {
	return record("meeting", in.ID, in.Citations, MeetingPatch{Name: given(in.Name), Date: given(in.Date), Topics: in.Topics, Outcomes: in.Outcomes,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p MeetingPatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layDate(&r.Date, p.Date)
	lay(&r.Topics, p.Topics)
	lay(&r.Outcomes, p.Outcomes)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in EventInput) Record() dataset.Record {
	return record("event", in.ID, in.Citations, EventPatch{Name: given(in.Name), EventType: given(in.EventType), SubEventType: in.SubEventType,
		Date: in.Date, EndDate: in.EndDate, Fatalities: in.Fatalities,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p EventPatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layText(&r.EventType, p.EventType)
	layText(&r.SubEventType, p.SubEventType)
	layDate(&r.Date, p.Date)
	layDate(&r.EndDate, p.EndDate)
	lay(&r.Fatalities, p.Fatalities)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in StatisticInput) Record() dataset.Record {
	return record("statistic", in.ID, in.Citations, StatisticPatch{Name: given(in.Name), Indicator: given(in.Indicator), Value: given(in.Value), Unit: given(in.Unit),
		Bound: in.Bound, PeriodStart: given(in.PeriodStart), PeriodEnd: given(in.PeriodEnd),
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p StatisticPatch) Lay(r *dataset.Record) {
	layText(&r.Name, p.Name)
	layText(&r.Indicator, p.Indicator)
	lay(&r.Value, p.Value)
	layText(&r.Unit, p.Unit)
	layText(&r.Bound, p.Bound)
	layDate(&r.PeriodStart, p.PeriodStart)
	layDate(&r.PeriodEnd, p.PeriodEnd)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

func (in SourceInput) Record() dataset.Record {
	return record("source", in.ID, nil, SourcePatch{Title: given(in.Title), Kind: given(in.Kind), Publisher: in.Publisher, Published: in.Published, URL: in.URL,
		Aliases: in.Aliases, EditorialAliases: in.EditorialAliases, Basis: in.Basis, Inference: in.Inference, Description: in.Description})
}

func (p SourcePatch) Lay(r *dataset.Record) {
	layText(&r.Title, p.Title)
	layText(&r.Kind, p.Kind)
	layText(&r.Publisher, p.Publisher)
	layDate(&r.Published, p.Published)
	layText(&r.URL, p.URL)
	entityPatch{Aliases: p.Aliases, EditorialAliases: p.EditorialAliases, Basis: p.Basis, Inference: p.Inference, Description: p.Description}.lay(r)
}

// Record is a tie's input as its record; without an id, the validator
// makes one from the ends and the type.
func (in RelationshipInput) Record() dataset.Record {
	r := record("relationship", text(in.ID.Value()), in.Citations, RelationshipPatch{Since: in.Since, Until: in.Until, AsOf: in.AsOf, Role: in.Role,
		Status: in.Status, Description: in.Description, Basis: in.Basis, Inference: in.Inference})
	r.Type, r.From, r.To = string(in.Type), in.From, in.To
	return r
}

func (p RelationshipPatch) Lay(r *dataset.Record) {
	layDate(&r.Since, p.Since)
	layDate(&r.Until, p.Until)
	layDate(&r.AsOf, p.AsOf)
	layText(&r.Role, p.Role)
	layText(&r.Status, p.Status)
	layText(&r.Description, p.Description)
	layText(&r.Basis, p.Basis)
	layText(&r.Inference, p.Inference)
}

// record is a create's record: its type, id and citations, and the rest of
// its fields given as a patch over nothing.
func record(typ, id string, cites []*coop.Citation, fields RecordPatch) dataset.Record {
	r := dataset.Record{Record: typ, ID: id, Citations: cited(cites)}
	fields.Lay(&r)
	return r
}

// entityPatch is the part every entity's patch has: its other names, and
// how it is known and described.
type entityPatch struct {
	Aliases, EditorialAliases graphql.Omittable[[]string]
	Basis                     graphql.Omittable[*coop.Basis]
	Inference, Description    graphql.Omittable[*string]
}

func (p entityPatch) lay(r *dataset.Record) {
	lay(&r.Aliases, p.Aliases)
	lay(&r.EditorialAliases, p.EditorialAliases)
	layText(&r.Basis, p.Basis)
	layText(&r.Inference, p.Inference)
	layText(&r.Description, p.Description)
}

// given is a required input field as a patch sets it.
func given[T any](v T) graphql.Omittable[*T] { return graphql.OmittableOf(&v) }

// lay writes a field the patch sets into the record's field; null clears it.
func lay[T any](field *T, o graphql.Omittable[T]) {
	if v, ok := o.ValueOK(); ok {
		*field = v
	}
}

// layText is lay for text, ids and enums, which a record holds as strings
// ("" for none).
func layText[T ~string](field *string, o graphql.Omittable[*T]) { layAs(field, o, text[T]) }

// layDate is lay for dates, which a record holds as written.
func layDate(field *string, o graphql.Omittable[*coop.Date]) {
	layAs(field, o, func(d *coop.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	})
}

func layAs[T any](field *string, o graphql.Omittable[T], str func(T) string) {
	if v, ok := o.ValueOK(); ok {
		*field = str(v)
	}
}

func text[T ~string](v *T) string {
	if v == nil {
		return ""
	}
	return string(*v)
}

// cited is a create's citations as its record holds them.
func cited(cs []*coop.Citation) []coop.Citation {
	out := make([]coop.Citation, 0, len(cs))
	for _, c := range cs {
		out = append(out, *c)
	}
	return out
}
