package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph/internal/requestid"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// Credential is the credential a request carries: the token of an
// "Authorization: Bearer" header, or an "X-API-Key" header; "" for none.
func Credential(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return "\x00" // another scheme: not valid here, and said so
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// Middleware authenticates each request and puts its principal in the
// request's context. A request without a credential goes on anonymous
// (unless reads need one); one with a credential that is not valid is
// refused with 401 whatever it asks, so a client learns of a bad key at
// once. Credentials are never logged.
func (a *Authenticator) Middleware(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r) // CORS preflights carry no credentials
			return
		}
		cred := Credential(r)
		if cred == "" {
			if a.cfg.ReadNeedsCredential {
				refuse(w, http.StatusUnauthorized, wirecode.Unauthenticated,
					"this server needs a credential for every request: send an API key or a JWT as \"Authorization: Bearer ...\"", "")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if cred == "\x00" {
			refuse(w, http.StatusUnauthorized, wirecode.Unauthenticated, "use \"Authorization: Bearer <API key or JWT>\"", "")
			return
		}
		p, err := a.Authenticate(r.Context(), cred)
		var invalid *ErrInvalid
		switch {
		case errors.As(err, &invalid):
			refuse(w, http.StatusUnauthorized, wirecode.Unauthenticated, invalid.Error(), "")
			return
		case err != nil:
			rid := requestid.From(r.Context())
			logger.ErrorContext(r.Context(), "could not check a credential", "request_id", rid, "error", err)
			refuse(w, http.StatusServiceUnavailable, wirecode.ServiceUnavailable, "could not check the credential; try again shortly", rid)
			return
		}
		if !a.limiter.Allow(p.Who()) {
			w.Header().Set("Retry-After", strconv.Itoa(a.limiter.RetryAfter()))
			refuse(w, http.StatusTooManyRequests, wirecode.RateLimited,
				"too many requests with this credential; wait and retry (Retry-After says how long)", requestid.From(r.Context()))
			return
		}
		next.ServeHTTP(w, r.WithContext(With(r.Context(), p)))
	})
}

func refuse(w http.ResponseWriter, status int, code, msg, rid string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="coopgraph"`)
	}
	wirecode.Write(w, status, code, msg, rid)
}
