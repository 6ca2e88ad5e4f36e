package graph

//go:generate go run github.com/99designs/gqlgen generate

import (
	"github.com/coopgraph/coopgraph/internal/coop"
)

// Backend is what the GraphQL layer needs of storage: reads, writes with
// their audit trail, and API keys.
type Backend interface {
	coop.Store
	coop.Curator
	coop.Keys
}

// Resolver holds the dependencies of every resolver. It is shared by
// concurrent requests, so it holds no per-request state: that lives in the
// loaders attached to each request's context.
type Resolver struct {
	Store   coop.Store
	Curator coop.Curator
	Keys    coop.Keys
}
