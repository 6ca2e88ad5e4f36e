package coop

import "context"

// Page size bounds shared by every list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PageSize bounds the first argument of every paged list.
var PageSize = Range{Default: DefaultPageSize, Min: 0, Max: MaxPageSize}

// PageArgs selects one page of a list ordered by id: First items after the
// item whose key is After ("" for the first page).
type PageArgs struct {
	First int
	After string
}

// EntityFilter selects entities of one type.
type EntityFilter struct {
	Type      EntityType
	Kinds     []string // kind values of the type (ActorKind, PlaceKind, ...); any when empty
	CountryID string   // actors and places in this country
	Name      string   // matches name or alias, ignoring case and accents
	Page      PageArgs
	Count     bool // compute TotalCount (costly on large graphs: only when asked)
	// Ahead is what to read with the entities, in the same round trip.
	Ahead Ahead
}

// MaxRelationshipLookahead is how many relationship filters one read of
// entities may carry (Ahead.Relationships); more are read level by level.
const MaxRelationshipLookahead = 4

// Ahead is what a read of entities also reads, in the same round trip,
// because the client will ask for it: a page of each entity's relationships
// per filter, and its country.
type Ahead struct {
	Relationships []RelationFilter
	Country       bool
}

// Any reports whether anything is to be read ahead.
func (a Ahead) Any() bool { return len(a.Relationships) > 0 || a.Country }

// Related is what was read ahead of one entity.
type Related struct {
	Ties    []RelationshipPage // one per filter of Ahead.Relationships
	Country Entity             // the entity its country field names, when asked and found
}

// EntityPage is one page of entities. TotalCount is -1 unless the filter
// asked for it.
type EntityPage struct {
	Entities    []Entity
	HasNextPage bool
	TotalCount  int
	// Related[i] is what was read ahead of entity i (Ahead).
	Related []Related
}

// RelationFilter selects the relationships of an entity.
type RelationFilter struct {
	Types     []RelationType // any when empty
	Direction Direction
	ActiveAt  Date // only ties that may have held on this date; any when zero
	Page      PageArgs
	Count     bool // compute TotalCount (a hub's count walks its ties: only when asked)
}

// RelationshipPage is one page of an entity's relationships, each with
// both end entities filled in. TotalCount is -1 unless the filter asked.
type RelationshipPage struct {
	Relationships []*Relationship
	HasNextPage   bool
	TotalCount    int
}

// Store reads the graph. Batch methods take many ids so that nested GraphQL
// lists cost one query per level, not one per parent.
type Store interface {
	// Entities returns the entities with the given ids; unknown ids are absent.
	Entities(ctx context.Context, ids []string) (map[string]Entity, error)
	// EntitiesWith is Entities with, for each entity found, what ahead asks
	// for, read in the same round trip.
	EntitiesWith(ctx context.Context, ids []string, ahead Ahead) (found map[string]Entity, related map[string]Related, err error)
	// ListEntities returns one page of entities matching f.
	ListEntities(ctx context.Context, f EntityFilter) (EntityPage, error)
	// Relationships returns, for each entity id, one page of its
	// relationships matching f. Every id is present in the result.
	Relationships(ctx context.Context, ids []string, f RelationFilter) (map[string]RelationshipPage, error)
	// Passages returns the passages with the given keys (PassageKey);
	// unknown keys are absent.
	Passages(ctx context.Context, keys []string) (map[string]Passage, error)
	// PassagesOf returns first passages of a source in order, after the
	// one at order after.
	PassagesOf(ctx context.Context, sourceID string, after, first int) (PassagePage, error)
	// MentionedBy returns the entities each passage (by key) mentions, by
	// id. Every key is present in the result.
	MentionedBy(ctx context.Context, keys []string) (map[string][]Entity, error)
	// PassagesMentioning returns, for each entity id of q.IDs, one page of
	// the passages that mention it and every entity of q.Also.
	PassagesMentioning(ctx context.Context, q MentionQuery) (map[string]PassagePage, error)
	// SearchPassages finds passages by their text, best first.
	SearchPassages(ctx context.Context, q PassageSearch) ([]PassageHit, error)

	Analyst
}
