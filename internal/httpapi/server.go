// Package httpapi is coopgraph's HTTP surface: routes, middleware (request
// ids, logging, body limits, deadlines, panics), health checks, and the
// browser pages (package webui).
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/requestid"
	"github.com/coopgraph/coopgraph/internal/webui"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// Config bounds what one request may take.
type Config struct {
	MaxBodyBytes   int64         // larger bodies get 413 before parsing
	RequestTimeout time.Duration // every query is cut at this deadline
	CORSOrigins    []string      // browser origins allowed to call /graphql; "*" for any
	// MaxResponseBytes caps every answer (uncompressed): a larger one is
	// replaced by a RESPONSE_TOO_LARGE error. 0 means no cap.
	MaxResponseBytes int64
	// RateLimit bounds each caller's request rate on /graphql.
	RateLimit RateLimit
	// SlowRequest is the time past which a request is logged as slow
	// (with its operation and the size of its variables); 0: never.
	SlowRequest time.Duration
	// Metrics, when set, counts requests and serves GET /metrics.
	Metrics *metrics.Metrics
	// MaxInFlight bounds the /graphql requests served at once; past it a
	// request is refused at once with 503 and SATURATED. 0: no bound.
	MaxInFlight int
	// BookmarkSecret signs the bookmarks answers carry (X-Coopgraph-Bookmark):
	// replicas that accept each other's share it; empty, each process
	// makes up its own.
	BookmarkSecret []byte
	// Outage, when set, reports that the database is known to be down:
	// /graphql then answers every request at once with HTTP 503 and
	// SERVICE_UNAVAILABLE, reads and writes alike.
	Outage func() bool
}

// DefaultConfig is what coopgraph serves with.
var DefaultConfig = Config{MaxBodyBytes: 1 << 20, RequestTimeout: 15 * time.Second, CORSOrigins: DefaultCORSOrigins,
	MaxResponseBytes: 8 << 20, RateLimit: DefaultRateLimit, SlowRequest: 2 * time.Second, MaxInFlight: 256}

// ReadyFunc reports whether the service can answer queries.
type ReadyFunc func(ctx context.Context) error

// NewServer returns the whole HTTP surface.
func NewServer(cfg Config, logger *slog.Logger, graphql http.Handler, ready ReadyFunc) http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, cfg, graphql, ready)
	var h http.Handler = mux
	h = recoverPanics(logger, h)
	h = logRequests(logger, cfg, h)
	h = withRequestID(h)
	return h
}

func addRoutes(mux *http.ServeMux, cfg Config, graphql http.Handler, ready ReadyFunc) {
	mux.Handle("/graphql", cors(cfg.CORSOrigins, limitRate(cfg.RateLimit, limitInFlight(cfg.MaxInFlight, gzipResponses(capAnswers(cfg.MaxResponseBytes, failFast(cfg.Outage,
		withBookmarks(cfg.BookmarkSecret, onlyGraphQLRequests(limitBody(cfg.MaxBodyBytes, withDeadline(cfg.RequestTimeout, graphql)))))))))))
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics.Handler())
	}
	webui.Default().Register(mux) // the IDE at /, the explorer at /explore, their assets
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", readiness(ready))
}

func readiness(ready ReadyFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// failFast answers 503 with SERVICE_UNAVAILABLE while outage says the
// database is down, before anything else looks at the request.
func failFast(outage func() bool, next http.Handler) http.Handler {
	if outage == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !outage() {
			next.ServeHTTP(w, r)
			return
		}
		rid := requestid.From(r.Context())
		w.Header().Set("Retry-After", "1")
		wirecode.Write(w, http.StatusServiceUnavailable, wirecode.ServiceUnavailable, coop.Unavailable(nil).Message, rid)
	})
}

// limitInFlight refuses requests past max at once, with 503 and SATURATED:
// a burst beyond what the service can hold gets a quick answer, not a
// queue that times everything out.
func limitInFlight(max int, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		default:
			outcome.From(r.Context()).SetCode(wirecode.Saturated)
			w.Header().Set("Retry-After", "1")
			wirecode.Write(w, http.StatusServiceUnavailable, wirecode.Saturated,
				"the service is answering as many requests as it can; try again shortly", requestid.From(r.Context()))
		}
	})
}
