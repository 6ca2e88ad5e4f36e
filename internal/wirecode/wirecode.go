// Package wirecode is the one place where error codes meet the wire: the
// extensions.code strings clients see, the domain's neutral codes mapped
// onto them, and the JSON error answer the HTTP layers write before GraphQL
// runs.
package wirecode

import (
	"encoding/json"
	"net/http"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// The codes clients see in extensions.code.
const (
	BadUserInput       = "BAD_USER_INPUT"
	NotFound           = "NOT_FOUND"
	Conflict           = "CONFLICT"
	ServiceUnavailable = "SERVICE_UNAVAILABLE"
	Timeout            = "TIMEOUT"
	QueryTooComplex    = "QUERY_TOO_COMPLEX"
	Internal           = "INTERNAL"
	Unauthenticated    = "UNAUTHENTICATED"
	Forbidden          = "FORBIDDEN"
	// Codes of the transport alone.
	RateLimited          = "RATE_LIMITED"
	ResponseTooLarge     = "RESPONSE_TOO_LARGE"
	BadRequest           = "BAD_REQUEST"
	MethodNotAllowed     = "METHOD_NOT_ALLOWED"
	PayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	Saturated            = "SATURATED"
)

var ofDomain = map[coop.Code]string{
	coop.CodeInvalid:         BadUserInput,
	coop.CodeNotFound:        NotFound,
	coop.CodeConflict:        Conflict,
	coop.CodeUnavailable:     ServiceUnavailable,
	coop.CodeTimeout:         Timeout,
	coop.CodeTooComplex:      QueryTooComplex,
	coop.CodeInternal:        Internal,
	coop.CodeUnauthenticated: Unauthenticated,
	coop.CodeForbidden:       Forbidden,
}

// Of is the wire code of a domain code; INTERNAL for one it does not know.
func Of(c coop.Code) string {
	if s, ok := ofDomain[c]; ok {
		return s
	}
	return Internal
}

// Write answers a request with one coded GraphQL error and the given HTTP
// status, for refusals made before GraphQL runs (credentials, rate limits).
// rid, when not empty, is the request id the client can quote.
func Write(w http.ResponseWriter, status int, code, msg, rid string) {
	ext := map[string]any{"code": code}
	if rid != "" {
		ext["requestId"] = rid
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
}
