package httpapi

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/requestid"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestid.FromClient(r.Header.Get(requestid.Header))
		w.Header().Set(requestid.Header, id)
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

// statusRecorder remembers what a handler answered, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs every request, with its GraphQL operation and outcome
// code for /graphql (and counts those in cfg.Metrics); a request slower
// than cfg.SlowRequest is logged again, as a warning, with the size of its
// variables (never their values).
func logRequests(logger *slog.Logger, cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		ctx, o := outcome.With(r.Context())
		next.ServeHTTP(rec, r.WithContext(ctx))
		took := time.Since(start)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			level = slog.LevelDebug
		}
		attrs := []any{"request_id", requestid.From(r.Context()), "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(took.Microseconds()) / 1000}
		if r.URL.Path == "/graphql" {
			op, code := o.Get()
			if code == "" {
				code = codeOfStatus(rec.status)
			}
			cfg.Metrics.Request(op, code, took)
			attrs = append(attrs, "operation", op, "code", code)
			if cfg.SlowRequest > 0 && took > cfg.SlowRequest {
				logger.WarnContext(r.Context(), "slow request", "request_id", requestid.From(r.Context()), "operation", op, "code", code,
					"variables_bytes", o.VariablesBytes(), "body_bytes", r.ContentLength, "duration_ms", float64(took.Microseconds())/1000)
			}
		}
		logger.Log(r.Context(), level, "request", attrs...)
	})
}

// codeOfStatus is the outcome of a request answered before GraphQL saw it.
func codeOfStatus(status int) string {
	switch status {
	case 0, http.StatusOK:
		return "OK"
	case http.StatusRequestEntityTooLarge:
		return wirecode.PayloadTooLarge
	case http.StatusMethodNotAllowed:
		return wirecode.MethodNotAllowed
	case http.StatusTooManyRequests:
		return wirecode.RateLimited
	case http.StatusServiceUnavailable:
		return wirecode.ServiceUnavailable
	case http.StatusUnauthorized:
		return wirecode.Unauthenticated
	}
	return "HTTP_" + strconv.Itoa(status)
}

func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic", "request_id", requestid.From(r.Context()), "panic", v, "stack", string(debug.Stack()))
				wirecode.Write(w, http.StatusInternalServerError, wirecode.Internal, "internal error", requestid.From(r.Context()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody answers 413 itself when a body exceeds max bytes, before anything
// parses it. (gqlgen behind http.MaxBytesHandler would answer 200.)
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			wirecode.Write(w, http.StatusRequestEntityTooLarge, wirecode.PayloadTooLarge,
				"the request body is larger than "+strconv.FormatInt(max, 10)+" bytes", "")
		}
		if r.ContentLength > max {
			tooLarge()
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
		if err != nil {
			wirecode.Write(w, http.StatusBadRequest, wirecode.BadRequest, "could not read the request body", "")
			return
		}
		if int64(len(body)) > max {
			tooLarge()
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// withDeadline bounds every request, and so every query it runs.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// onlyGraphQLRequests answers 405 to methods other than GET, POST and
// OPTIONS, and 415 to POST bodies other than application/json: form and
// multipart posts are refused, so a browser cannot be tricked into sending
// a query across sites without a preflight.
func onlyGraphQLRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
		case http.MethodPost:
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				wirecode.Write(w, http.StatusUnsupportedMediaType, wirecode.UnsupportedMediaType,
					"POST a JSON body with Content-Type: application/json", "")
				return
			}
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			wirecode.Write(w, http.StatusMethodNotAllowed, wirecode.MethodNotAllowed, "use GET or POST", "")
			return
		}
		next.ServeHTTP(w, r)
	})
}
