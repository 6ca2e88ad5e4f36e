package coop

// CheckReferences reports the first reference of an entity or relationship
// that is missing or of the wrong sort: citation sources must be sources,
// countries COUNTRY actors, and relationship ends must exist and suit the
// type's rule. get looks an id up in the stored graph.
func CheckReferences(e Entity, r *Relationship, get func(id string) (Entity, bool)) error {
	var cites []Citation
	if e != nil {
		cites = e.EntityBase().Citations
	} else {
		cites = r.Citations
	}
	for _, c := range cites {
		if s, ok := get(c.SourceID); !ok || s.EntityType() != TypeSource {
			return Invalidf("citations", "%q is not a source in the graph: create the source first", c.SourceID)
		}
	}
	country := CountryOf(e)
	if country != "" && e.EntityID() == country {
		return Invalidf("country", "an entity cannot be its own country")
	}
	if country != "" {
		found, _ := get(country)
		if c, ok := found.(*Actor); !ok || c.Kind != ActorCountry {
			return Invalidf("country", "%q is not a COUNTRY actor in the graph", country)
		}
	}
	if r == nil {
		return nil
	}
	if r.FromID == r.ToID {
		return Invalidf("to", "a relationship joins two different entities")
	}
	from, ok := get(r.FromID)
	if !ok {
		return Invalidf("from", "%q is not an entity in the graph", r.FromID)
	}
	to, ok := get(r.ToID)
	if !ok {
		return Invalidf("to", "%q is not an entity in the graph", r.ToID)
	}
	rule, ok := RuleFor(r.Type)
	if !ok {
		return Invalidf("type", "%q is not a relationship type", r.Type)
	}
	if err := WrittenThroughField(r.Type, "type"); err != nil {
		return err
	}
	if err := rule.Check(from, to); err != nil {
		return Invalidf("type", "%v", err)
	}
	return nil
}
