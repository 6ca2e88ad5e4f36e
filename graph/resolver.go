package graph

//go:generate go run github.com/99designs/gqlgen generate

import (
	"github.com/coopgraph/coopgraph/internal/coop"
)

// Resolver holds the dependencies of every resolver. It is shared by
// concurrent requests, so it holds no per-request state: that lives in the
// loaders attached to each request's context.
type Resolver struct {
	Store coop.Store
}
