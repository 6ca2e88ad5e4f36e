package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

// writeInputs are the write inputs, each with the generated unmarshaler a
// request's values go through.
func writeInputs() map[string]func(raw any) (any, error) {
	ec := newExecutionContext(nil, nil, nil)
	return map[string]func(any) (any, error){
		"ActorInput": unmarshaler(ec.unmarshalInputActorInput), "ActorPatch": unmarshaler(ec.unmarshalInputActorPatch),
		"PlaceInput": unmarshaler(ec.unmarshalInputPlaceInput), "PlacePatch": unmarshaler(ec.unmarshalInputPlacePatch),
		"AgreementInput": unmarshaler(ec.unmarshalInputAgreementInput), "AgreementPatch": unmarshaler(ec.unmarshalInputAgreementPatch),
		"MeetingInput": unmarshaler(ec.unmarshalInputMeetingInput), "MeetingPatch": unmarshaler(ec.unmarshalInputMeetingPatch),
		"EventInput": unmarshaler(ec.unmarshalInputEventInput), "EventPatch": unmarshaler(ec.unmarshalInputEventPatch),
		"StatisticInput": unmarshaler(ec.unmarshalInputStatisticInput), "StatisticPatch": unmarshaler(ec.unmarshalInputStatisticPatch),
		"SourceInput": unmarshaler(ec.unmarshalInputSourceInput), "SourcePatch": unmarshaler(ec.unmarshalInputSourcePatch),
		"RelationshipInput": unmarshaler(ec.unmarshalInputRelationshipInput), "RelationshipPatch": unmarshaler(ec.unmarshalInputRelationshipPatch),
	}
}

func unmarshaler[T any](f func(context.Context, any) (T, error)) func(any) (any, error) {
	return func(raw any) (any, error) { return f(context.Background(), raw) }
}

// everyField gives every field of an input struct a value of its own, as a
// request would (GraphQL field name to value), and says which fields are
// omittable.
func everyField(t *testing.T, typ reflect.Type) (raw map[string]any, omittable []string) {
	t.Helper()
	raw = map[string]any{}
	used := map[string]bool{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		if value, ok := ft.MethodByName("Value"); ok && ft.PkgPath() == "github.com/99designs/gqlgen/graphql" {
			omittable = append(omittable, name) // a graphql.Omittable[T]
			ft = value.Type.Out(0)
		}
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		var v any
		switch {
		case ft == reflect.TypeFor[coop.Date]():
			v = fmt.Sprintf("%d", 1990+i)
		case ft == reflect.TypeFor[[]*coop.Citation]():
			v = []any{map[string]any{"source": "source-" + name, "locator": fmt.Sprintf("¶%d", i)}}
		case ft == reflect.TypeFor[[]string]():
			v = []any{"names-" + name}
		case ft.Kind() == reflect.Int:
			v = 1000 + i
		case ft.Kind() == reflect.Float64:
			v = float64(i) + 0.5
		case ft.Implements(reflect.TypeFor[interface{ Allowed() []string }]()):
			// An enum: a value no other field of this input has.
			allowed := reflect.Zero(ft).Interface().(interface{ Allowed() []string }).Allowed()
			k := slices.IndexFunc(allowed, func(a string) bool { return !used[a] })
			if k < 0 {
				t.Fatalf("%s.%s: every value of %s is taken by another field", typ.Name(), name, ft.Name())
			}
			v = allowed[k]
		case ft.Kind() == reflect.String:
			v = "value-of-" + strings.ToLower(name)
		default:
			t.Fatalf("%s.%s: no sample value for %s; add one", typ.Name(), name, f.Type)
		}
		if s, ok := v.(string); ok {
			used[s] = true
		}
		raw[name] = v
	}
	return raw, omittable
}

// asJSON is a record's fields as JSON values, by name.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Every field of every write input reaches the import record under its
// own name (the import format's names are the API's), with the value
// given: a field left out of a conversion, or laid into another field,
// fails here.
func TestEveryInputFieldReachesTheRecord(t *testing.T) {
	inputs := writeInputs()
	if len(inputs) != 16 {
		t.Fatalf("%d write inputs", len(inputs))
	}
	for name, unmarshal := range inputs {
		t.Run(name, func(t *testing.T) {
			typ := reflect.TypeOf(must(unmarshal(map[string]any{})))
			raw, omittable := everyField(t, typ)
			v, err := unmarshal(raw)
			if err != nil {
				t.Fatalf("unmarshal %v: %v", raw, err)
			}
			given := asJSON(t, raw)
			switch v := v.(type) {
			case model.RecordInput:
				rec := asJSON(t, v.Record())
				for field, want := range given {
					if !reflect.DeepEqual(rec[field], want) {
						t.Errorf("%s: the record has %v, want %v", field, rec[field], want)
					}
				}
				if rec["record"] == nil {
					t.Errorf("the record names no record type: %v", rec)
				}
			case model.RecordPatch:
				if len(omittable) != typ.NumField() {
					t.Fatalf("only %v of %d fields are omittable: a patch must tell null from a field left out", omittable, typ.NumField())
				}
				rec := dataset.Record{Record: "patched", ID: "patched"} // written always, as the import format's keys
				v.Lay(&rec)
				full := asJSON(t, rec)
				for field, want := range given {
					if !reflect.DeepEqual(full[field], want) {
						t.Errorf("%s: the record has %v, want %v", field, full[field], want)
					}
				}
				if len(full) != len(raw)+2 {
					t.Errorf("the patch set %d fields and the record has %d besides record and id: %v", len(raw), len(full)-2, full)
				}
				// Left out, a field stays; set to null, it is cleared.
				kept := rec
				must(unmarshal(map[string]any{})).(model.RecordPatch).Lay(&kept)
				if got := asJSON(t, kept); !reflect.DeepEqual(got, full) {
					t.Errorf("an empty patch changed the record: %v, was %v", got, full)
				}
				for field := range raw {
					cleared := rec
					must(unmarshal(map[string]any{field: nil})).(model.RecordPatch).Lay(&cleared)
					got := asJSON(t, cleared)
					if _, still := got[field]; still {
						t.Errorf("%s: null left %v", field, got[field])
					}
					if len(got) != len(full)-1 {
						t.Errorf("%s: null changed other fields too: %v", field, got)
					}
				}
			default:
				t.Fatalf("%T is neither a model.RecordInput nor a model.RecordPatch", v)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A patch that sets nothing is refused before anything is read; one that
// sets a field, even to null, is not.
func TestAPatchMustSetAField(t *testing.T) {
	for name, unmarshal := range writeInputs() {
		if !strings.HasSuffix(name, "Patch") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if err := checkPatch("entity", 1, must(unmarshal(map[string]any{})).(model.RecordPatch)); err == nil || !strings.Contains(err.Error(), "names no field to change") {
				t.Errorf("an empty patch: %v", err)
			}
			typ := reflect.TypeOf(must(unmarshal(map[string]any{})))
			for i := range typ.NumField() {
				field, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
				if err := checkPatch("entity", 1, must(unmarshal(map[string]any{field: nil})).(model.RecordPatch)); err != nil {
					t.Errorf("a patch setting %s to null: %v", field, err)
				}
			}
		})
	}
}
