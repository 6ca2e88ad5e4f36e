package coop

import (
	"context"
)

// Bounds of the analyst queries. Every traversal has a fixed upper bound.
const (
	MaxSearchResults   = 100
	MaxNetworkDepth    = 3
	DefaultNetworkSize = 200
	MaxNetworkSize     = 2000
	DefaultPerNode     = 50 // how many ties one node may add to a network
	MaxPerNode         = 500
	MaxPathHops        = 6
	DefaultPathHops    = 4
	MaxPaths           = 20
	DefaultPaths       = 5
	DefaultPathDegree  = 1000 // paths do not pass through nodes with more ties
	MaxPathDegree      = 10000
)

// Range bounds an integer argument: what it is when not given, and the
// least and the most it may be.
type Range struct{ Default, Min, Max int }

// Take is v checked against r, or r's default when v is nil.
func (r Range) Take(field string, v *int) (int, error) {
	if v == nil {
		return r.Default, nil
	}
	if !r.Holds(*v) {
		return 0, Invalidf(field, "must be between %d and %d; got %d", r.Min, r.Max, *v)
	}
	return *v, nil
}

// Holds reports whether v is within r.
func (r Range) Holds(v int) bool { return v >= r.Min && v <= r.Max }

// The bounds of the analyst queries' arguments, for the API, the export's
// -network and the store alike.
var (
	NetworkDepth   = Range{Default: 1, Min: 1, Max: MaxNetworkDepth}
	NetworkSize    = Range{Default: DefaultNetworkSize, Min: 1, Max: MaxNetworkSize}
	NetworkPerNode = Range{Default: DefaultPerNode, Min: 1, Max: MaxPerNode}
	SearchResults  = Range{Default: 10, Min: 0, Max: MaxSearchResults}
	PathHops       = Range{Default: DefaultPathHops, Min: 1, Max: MaxPathHops}
	PathCount      = Range{Default: DefaultPaths, Min: 1, Max: MaxPaths}
	PathDegree     = Range{Default: DefaultPathDegree, Min: 1, Max: MaxPathDegree}
)

// MaxQueryIDs is how many entities one network or timeline may start from.
const MaxQueryIDs = 50

// NewNetworkQuery checks a network's arguments, nil ones taking their
// defaults; ids must already be checked as ids.
func NewNetworkQuery(ids []string, depth, limit, perNode *int) (NetworkQuery, error) {
	q := NetworkQuery{IDs: ids}
	var err error
	if len(ids) == 0 {
		return q, Invalidf("ids", "must name at least one entity")
	}
	if q.Depth, err = NetworkDepth.Take("depth", depth); err != nil {
		return q, err
	}
	if q.Limit, err = NetworkSize.Take("limit", limit); err != nil {
		return q, err
	}
	if q.PerNode, err = NetworkPerNode.Take("perNode", perNode); err != nil {
		return q, err
	}
	return q, nil
}

// SearchQuery finds entities by name or alias, ignoring case and accents.
type SearchQuery struct {
	Text       string
	Types      []EntityType // any of these entity types...
	ActorKinds []ActorKind  // ...or actors of these kinds; everything when both are empty
	First      int
}

// SearchHit is one entity found, with how well and by which of its names.
type SearchHit struct {
	Entity  Entity
	Match   SearchMatch // how its best name matches
	Matched string      // that name or alias, as written
	Extra   int         // words of that name the text leaves over: fewer is closer
	Ties    int         // how many relationships it has: among equal matches, more come first
	Score   float64     // the full-text score
}

// NetworkQuery asks for the neighbourhood of some entities.
type NetworkQuery struct {
	IDs      []string
	Depth    int
	Types    []RelationType
	ActiveAt Date
	Limit    int // most nodes returned
	PerNode  int // most ties followed from one node per hop
}

// Network is a neighbourhood as nodes and edges. Truncated says a limit cut it.
type Network struct {
	Nodes     []Entity
	Edges     []*Relationship
	Truncated bool
}

// PathQuery asks for the shortest paths between two entities.
type PathQuery struct {
	From, To string
	MaxHops  int
	Types    []RelationType
	ActiveAt Date
	First    int
	// MaxDegree: nodes with more ties are not passed through (ends may be
	// hubs), which keeps searches bounded on graphs with hubs.
	MaxDegree int
}

// Path is a chain of entities; Edges[i] joins Nodes[i] and Nodes[i+1], in
// either direction.
type Path struct {
	Nodes []Entity
	Edges []*Relationship
}

// TimelineKind says what a timeline item marks.
type TimelineKind string

const (
	TimelineEvent           TimelineKind = "EVENT"
	TimelineMeeting         TimelineKind = "MEETING"
	TimelineAgreementState  TimelineKind = "AGREEMENT"
	TimelineOfficeTaken     TimelineKind = "OFFICE_TAKEN"
	TimelineOfficeLeft      TimelineKind = "OFFICE_LEFT"
	TimelineStatisticPeriod TimelineKind = "STATISTIC"
)

var timelineKinds = enumOf(TimelineEvent, TimelineMeeting, TimelineAgreementState, TimelineOfficeTaken, TimelineOfficeLeft, TimelineStatisticPeriod)

func (k TimelineKind) Valid() bool     { return timelineKinds.has(string(k)) }
func (TimelineKind) Allowed() []string { return timelineKinds }

// TimelineQuery asks for dated items about some entities (all when empty).
type TimelineQuery struct {
	IDs      []string
	From, To Date // bounds, each optional
	Page     PageArgs
}

// TimelineItem is one dated fact. What is "proposed", "signed", "in force"
// or "ended" for agreements, "taken"/"left" for offices, and empty otherwise.
type TimelineItem struct {
	Key          string // stable and ordered: the item's cursor
	Date         Date
	EndDate      Date
	Kind         TimelineKind
	What         string
	Entity       Entity
	Relationship *Relationship
}

// Precision is the precision of the item's date.
func (i TimelineItem) Precision() Precision { return i.Date.Precision() }

// TimelinePage is one page of a timeline in date order.
type TimelinePage struct {
	Items       []TimelineItem
	HasNextPage bool
}

// TypeCount is how many relationships of one type an entity has.
type TypeCount struct {
	Type  RelationType
	Count int
}

// KindCount is how many entities of one type and kind the graph holds.
type KindCount struct {
	Type  EntityType
	Kind  string
	Count int
}

// Analyst answers the questions analysts come with. Each method is one
// query to the database.
type Analyst interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	Network(ctx context.Context, q NetworkQuery) (Network, error)
	Paths(ctx context.Context, q PathQuery) ([]Path, error)
	Timeline(ctx context.Context, q TimelineQuery) (TimelinePage, error)
	// RelationshipCounts counts each entity's relationships by type.
	RelationshipCounts(ctx context.Context, ids []string) (map[string][]TypeCount, error)
	EntityCounts(ctx context.Context) ([]KindCount, error)
}
