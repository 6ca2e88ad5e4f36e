// Package model holds the GraphQL types that are not domain types: pages,
// edges and views of relationships. Domain types (coop.Actor, ...) are
// bound directly in gqlgen.yml.
package model

import (
	"github.com/coopgraph/coopgraph/internal/coop"
)

// PageInfo tells a client whether there is more and where to continue.
type PageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// Edge is one entity of a page with its cursor.
type Edge[T coop.Entity] struct {
	Cursor string
	Node   T
}

// Connection is one page of entities of one type.
type Connection[T coop.Entity] struct {
	Edges      []*Edge[T]
	Nodes      []T
	PageInfo   *PageInfo
	TotalCount int
}

type (
	ActorEdge           = Edge[*coop.Actor]
	ActorConnection     = Connection[*coop.Actor]
	PlaceEdge           = Edge[*coop.Place]
	PlaceConnection     = Connection[*coop.Place]
	AgreementEdge       = Edge[*coop.Agreement]
	AgreementConnection = Connection[*coop.Agreement]
	MeetingEdge         = Edge[*coop.Meeting]
	MeetingConnection   = Connection[*coop.Meeting]
	EventEdge           = Edge[*coop.Event]
	EventConnection     = Connection[*coop.Event]
	StatisticEdge       = Edge[*coop.Statistic]
	StatisticConnection = Connection[*coop.Statistic]
	SourceEdge          = Edge[*coop.Source]
	SourceConnection    = Connection[*coop.Source]
)

// PassageConnection is one page of a source's passages.
type PassageConnection struct {
	Edges    []*PassageEdge
	Nodes    []coop.Passage
	PageInfo *PageInfo
}

// PassageEdge is one passage with its cursor.
type PassageEdge struct {
	Cursor string
	Node   coop.Passage
}

// RelationshipEdge is a relationship seen from one of its ends.
type RelationshipEdge struct {
	Cursor    string
	Direction coop.Direction
	Other     coop.Entity
	Node      *coop.Relationship
}

// RelationshipConnection is one page of an entity's relationships.
type RelationshipConnection struct {
	Edges      []*RelationshipEdge
	Nodes      []*coop.Relationship
	PageInfo   *PageInfo
	TotalCount int
}

// Office is a HOLDS_OFFICE relationship seen from the person.
type Office struct {
	Title              *string
	Organization       *coop.Actor
	Since, Until, AsOf coop.Date
	Status             coop.Status
	Citations          []coop.Citation
	Relationship       *coop.Relationship
}

// Involvement is an actor's part in a meeting, agreement or event.
type Involvement struct {
	Actor        *coop.Actor
	Role         *string
	Status       coop.Status
	Citations    []coop.Citation
	Relationship *coop.Relationship
}

// Network is a neighbourhood shaped for graph-drawing libraries.
type Network struct {
	Nodes     []NetworkNode
	Edges     []*coop.Relationship
	Truncated bool
}

// NetworkNode is an entity as a drawing library wants it: id, name, kind.
type NetworkNode struct {
	Entity coop.Entity
}

func (n NetworkNode) ID() string   { return n.Entity.EntityID() }
func (n NetworkNode) Name() string { return n.Entity.EntityBase().Name }
func (n NetworkNode) Type() string { return string(n.Entity.EntityType()) }

// Synthetic says the entity is invented data (coopgraph gen).
func (n NetworkNode) Synthetic() bool { return n.Entity.EntityBase().Synthetic }

// Kind is the entity's kind, or its type for entities without kinds.
func (n NetworkNode) Kind() string { return coop.KindOf(n.Entity) }

// Path is a chain of entities with the hop between each pair.
type Path struct {
	Length int
	Nodes  []coop.Entity
	Edges  []*PathEdge
}

// PathEdge is one hop of a path.
type PathEdge struct {
	Relationship *coop.Relationship
	Direction    PathDirection
	Citations    []coop.Citation
}

// TimelineEdge is one timeline item with its cursor.
type TimelineEdge struct {
	Cursor string
	Node   coop.TimelineItem
}

// TimelineConnection is one page of a timeline.
type TimelineConnection struct {
	Edges    []*TimelineEdge
	Nodes    []coop.TimelineItem
	PageInfo *PageInfo
}

// ChangeEdge is one audit entry of a page with its cursor.
type ChangeEdge struct {
	Cursor string
	Node   *coop.Change
}

// ChangeConnection is one page of the audit trail.
type ChangeConnection struct {
	Edges    []*ChangeEdge
	Nodes    []*coop.Change
	PageInfo *PageInfo
}
