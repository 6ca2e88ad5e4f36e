// Package server builds coopgraph's whole HTTP handler: the HTTP surface
// (package httpapi) around the auth layer around the GraphQL endpoint
// (package graph), ready when the store serves. serve runs it, bench
// measures it and the tests drive it (apitest.Start): all the same handler.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/httpapi"
)

// Store is what the handler serves: the GraphQL layer's backend, and what
// the store knows of Neo4j's health (neo4jstore.Store is one).
type Store interface {
	graph.Backend
	// Serving reports whether queries would be served now: /readyz.
	Serving(ctx context.Context) error
	// Down reports a known outage: /graphql then answers 503 at once.
	Down() bool
}

// Config is everything the handler is built from.
type Config struct {
	Logger  *slog.Logger
	HTTP    httpapi.Config // its Outage is the store's Down
	Auth    auth.Config
	GraphQL graph.Options
	// Prepared, when set, must also pass for /readyz to say ready (serve:
	// the schema is applied).
	Prepared httpapi.ReadyFunc
}

// DefaultConfig is what coopgraph serves with, logging to logger: anyone
// may read, a credential is needed to write.
func DefaultConfig(logger *slog.Logger) Config {
	return Config{Logger: logger, HTTP: httpapi.DefaultConfig, GraphQL: graph.DefaultOptions(logger)}
}

// New returns the whole handler over store.
func New(store Store, cfg Config) http.Handler {
	cfg.HTTP.Outage = store.Down
	ready := func(ctx context.Context) error {
		if cfg.Prepared != nil {
			if err := cfg.Prepared(ctx); err != nil {
				return err
			}
		}
		if err := store.Serving(ctx); err != nil {
			return errors.New("Neo4j does not run a read and a write transaction")
		}
		return nil
	}
	api := auth.New(cfg.Auth, store).Middleware(cfg.Logger, graph.NewHandler(store, cfg.GraphQL))
	return httpapi.NewServer(cfg.HTTP, cfg.Logger, api, ready)
}
