// Package metrics is coopgraph's Prometheus instrumentation: requests by
// GraphQL operation and outcome, their latency, Neo4j round trips, refused
// queries by reason, writes by mutation, and the Go runtime, served at
// /metrics. Every method is safe on a nil *Metrics, which records nothing.
package metrics

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// Metrics holds the collectors of one service.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	trips     *prometheus.CounterVec
	tripTime  *prometheus.HistogramVec
	inFlight  prometheus.Gauge
	refused   *prometheus.CounterVec
	writes    *prometheus.CounterVec
	mu        sync.Mutex
	operation map[string]bool // operation names seen, bounded (maxOperations)
}

// Operation names are chosen by clients: at most maxOperations distinct
// well-formed names get a label of their own; the rest count as "other".
const maxOperations = 200

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// New registers coopgraph's collectors and the Go runtime's.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), operation: map[string]bool{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "coopgraph_requests_total",
		Help: "GraphQL requests by operation name and outcome code (OK, or the first error's code)."}, []string{"operation", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "coopgraph_request_duration_seconds",
		Help: "Time to answer a GraphQL request, by operation name.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 15)}, []string{"operation"})
	m.trips = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "coopgraph_neo4j_round_trips_total",
		Help: "Transactions sent to Neo4j, by access mode and whether they failed."}, []string{"mode", "failed"})
	m.tripTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "coopgraph_neo4j_round_trip_seconds",
		Help: "Time of one Neo4j transaction, retries included, by access mode.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"mode"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "coopgraph_neo4j_transactions_in_flight",
		Help: "Neo4j transactions running now: each holds one of the driver's pooled connections."})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "coopgraph_refused_total",
		Help: "Requests refused before any Cypher ran, by reason (the error code)."}, []string{"reason"})
	m.writes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "coopgraph_writes_total",
		Help: "Successful writes, by mutation."}, []string{"mutation"})
	m.registry.MustRegister(m.requests, m.latency, m.trips, m.tripTime, m.inFlight, m.refused, m.writes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Refusals are the codes of requests refused before any Cypher ran.
var Refusals = map[string]bool{wirecode.QueryTooComplex: true, wirecode.ResponseTooLarge: true, wirecode.RateLimited: true,
	wirecode.PayloadTooLarge: true, "GRAPHQL_PARSE_FAILED": true, "GRAPHQL_VALIDATION_FAILED": true, wirecode.Saturated: true,
	wirecode.BadRequest: true, wirecode.MethodNotAllowed: true}

// Request counts one answered GraphQL request.
func (m *Metrics) Request(operation, code string, took time.Duration) {
	if m == nil {
		return
	}
	operation = m.label(operation)
	if code == "" {
		code = "OK"
	}
	m.requests.WithLabelValues(operation, code).Inc()
	m.latency.WithLabelValues(operation).Observe(took.Seconds())
	if Refusals[code] {
		m.refused.WithLabelValues(code).Inc()
	}
}

func (m *Metrics) label(operation string) string {
	switch {
	case operation == "":
		return "anonymous"
	case !operationName.MatchString(operation):
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.operation[operation] {
		if len(m.operation) >= maxOperations {
			return "other"
		}
		m.operation[operation] = true
	}
	return operation
}

// RoundTrip starts timing one Neo4j transaction; the function it returns
// ends it.
func (m *Metrics) RoundTrip(mode string) func(failed bool) {
	if m == nil {
		return func(bool) {}
	}
	start := time.Now()
	m.inFlight.Inc()
	return func(failed bool) {
		m.inFlight.Dec()
		f := "false"
		if failed {
			f = "true"
		}
		m.trips.WithLabelValues(mode, f).Inc()
		m.tripTime.WithLabelValues(mode).Observe(time.Since(start).Seconds())
	}
}

// Write counts one successful mutation.
func (m *Metrics) Write(mutation string) {
	if m == nil {
		return
	}
	m.writes.WithLabelValues(mutation).Inc()
}
