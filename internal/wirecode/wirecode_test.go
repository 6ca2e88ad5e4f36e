package wirecode

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/coopgraph/coopgraph/internal/coop"
)

func TestEveryDomainCodeHasItsWireCode(t *testing.T) {
	for domain, wire := range map[coop.Code]string{
		coop.CodeInvalid: "BAD_USER_INPUT", coop.CodeNotFound: "NOT_FOUND", coop.CodeConflict: "CONFLICT",
		coop.CodeUnavailable: "SERVICE_UNAVAILABLE", coop.CodeTimeout: "TIMEOUT", coop.CodeTooComplex: "QUERY_TOO_COMPLEX",
		coop.CodeInternal: "INTERNAL", coop.CodeUnauthenticated: "UNAUTHENTICATED", coop.CodeForbidden: "FORBIDDEN",
		coop.Code("something new"): "INTERNAL",
	} {
		t.Run(string(domain), func(t *testing.T) {
			if got := Of(domain); got != wire {
				t.Errorf("Of(%q) = %q; want %q", domain, got, wire)
			}
		})
	}
}

// A code added to the domain must get a wire code of its own: one left out
// would reach clients as INTERNAL.
func TestEachDomainCodeIsMappedToItsOwnWireCode(t *testing.T) {
	seen := map[string]coop.Code{}
	for _, c := range coop.Codes {
		wire, ok := ofDomain[c]
		if !ok {
			t.Errorf("%q has no wire code", c)
		}
		if other, dup := seen[wire]; dup {
			t.Errorf("%q and %q share the wire code %s", c, other, wire)
		}
		seen[wire] = c
	}
	if len(ofDomain) != len(coop.Codes) {
		t.Errorf("ofDomain maps %d codes; coop has %d", len(ofDomain), len(coop.Codes))
	}
}

func TestWriteAnswersOneCodedError(t *testing.T) {
	rec := httptest.NewRecorder()
	Write(rec, 429, RateLimited, "slow down", "rid-1")
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	e := body.Errors[0]
	if rec.Code != 429 || e.Message != "slow down" || e.Extensions["code"] != "RATE_LIMITED" || e.Extensions["requestId"] != "rid-1" ||
		rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("status %d, error %+v, headers %v", rec.Code, e, rec.Header())
	}
}
