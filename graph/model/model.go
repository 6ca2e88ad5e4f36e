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
