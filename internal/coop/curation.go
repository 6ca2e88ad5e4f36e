package coop

import (
	"context"
	"time"
)

// Role is what a credential may do. Each role may do what the roles before
// it may: a reader reads, an editor also writes, an admin also manages keys.
type Role string

const (
	RoleReader Role = "reader"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Roles lists the roles, weakest first.
var Roles = []Role{RoleReader, RoleEditor, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether r may do what need may do.
func (r Role) Allows(need Role) bool { return r.Valid() && r.rank() >= need.rank() }

// Principal is who makes a request: the name of an API key, the subject of
// a token, or the operator at the command line.
type Principal struct {
	Name string
	Role Role
	Via  string // "key", "jwt" or "cli"
}

// Who is how the audit trail names a principal: "key:alice", "jwt:sub-123".
// It is one line, whatever the name holds (names are checked where they
// come in; this is the last guard).
func (p Principal) Who() string { return safeText(p.Via + ":" + p.Name) }

// Edit is what every write carries besides its data: who, why and on what
// evidence.
type Edit struct {
	Author    Principal
	Citations []Citation // evidence for what is created or changed
	Reason    string     // for removals and merges
	RequestID string
}

// Action is what a change did.
type Action string

const (
	ActionCreate      Action = "CREATE"
	ActionUpdate      Action = "UPDATE"
	ActionAddAlias    Action = "ADD_ALIASES"
	ActionRemoveAlias Action = "REMOVE_ALIASES"
	ActionDelete      Action = "DELETE"
	ActionMerge       Action = "MERGE"
	ActionImport      Action = "IMPORT"
)

// Target says what a change was made to.
type Target string

const (
	TargetEntity       Target = "ENTITY"
	TargetRelationship Target = "RELATIONSHIP"
	TargetGraph        Target = "GRAPH" // imports
)

// Change is one entry of the audit trail. Before and After are the record
// (in the import format, as JSON) before and after the change; empty when
// there was none.
type Change struct {
	Seq       int64 // commit order: a later change has a larger Seq
	At        time.Time
	Who       string
	Action    Action
	Target    Target
	TargetID  string
	EntityIDs []string // the entities the change concerns (both ends for a relationship)
	Before    string
	After     string
	Citations []Citation
	Reason    string
	RequestID string
}

// ChangeFilter selects audit entries, in Seq order.
type ChangeFilter struct {
	Since    time.Time // zero: from the start
	EntityID string    // only changes concerning this entity
	First    int
	After    int64 // Seq of the last entry of the previous page
}

// ChangePage is one page of the audit trail.
type ChangePage struct {
	Changes     []Change
	HasNextPage bool
}

// Written is the result of a create: the stored value, and whether this
// call created it (false when an identical one already existed, as when a
// client retries).
type Written[T any] struct {
	Value   T
	Created bool
	Change  *Change // nil when nothing changed
}

// EntityEdit turns the stored entity into the new one, or refuses with a
// coded error. It runs inside the write, after the entity is locked.
type EntityEdit func(current Entity) (Entity, error)

// RelationshipEdit turns the stored relationship into the new one.
type RelationshipEdit func(current *Relationship) (*Relationship, error)

// Curator writes the graph. Every write is one transaction that checks
// references and kind rules against the stored graph, bumps the version of
// what it changes, and records a Change; an error leaves the graph as it was.
type Curator interface {
	// CreateEntity creates e. If an entity with its id exists and is equal,
	// nothing changes and Created is false; if it differs, CONFLICT.
	CreateEntity(ctx context.Context, e Entity, ed Edit) (Written[Entity], error)
	// UpdateEntity applies edit to the entity with id if its version is
	// still version, else CONFLICT.
	UpdateEntity(ctx context.Context, id string, version int64, action Action, edit EntityEdit, ed Edit) (Written[Entity], error)
	CreateRelationship(ctx context.Context, r *Relationship, ed Edit) (Written[*Relationship], error)
	// UpdateRelationship is UpdateEntity for relationships; version 0
	// skips the version check (for edits that cannot lose another's work).
	UpdateRelationship(ctx context.Context, id string, version int64, edit RelationshipEdit, ed Edit) (Written[*Relationship], error)
	DeleteRelationship(ctx context.Context, id string, version int64, ed Edit) (Written[*Relationship], error)
	// DeleteEntity deletes an entity nothing refers to (no relationships,
	// not a country or a cited source of anything); CONFLICT otherwise.
	DeleteEntity(ctx context.Context, id string, version int64, ed Edit) (Written[Entity], error)
	// MergeEntities moves every relationship, alias and citation of remove
	// to keep, deletes remove and leaves a redirect from its id to keep.
	MergeEntities(ctx context.Context, keep, remove string, ed Edit) (Written[Entity], error)
	Changes(ctx context.Context, f ChangeFilter) (ChangePage, error)
}

var (
	actions = enumOf(ActionCreate, ActionUpdate, ActionAddAlias, ActionRemoveAlias, ActionDelete, ActionMerge, ActionImport)
	targets = enumOf(TargetEntity, TargetRelationship, TargetGraph)
)

func (a Action) Valid() bool     { return actions.has(string(a)) }
func (Action) Allowed() []string { return actions }
func (t Target) Valid() bool     { return targets.has(string(t)) }
func (Target) Allowed() []string { return targets }
