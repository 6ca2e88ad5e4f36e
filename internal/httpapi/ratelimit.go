package httpapi

import (
	"net"
	"net/http"
	"strconv"

	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/ratelimit"
	"github.com/coopgraph/coopgraph/internal/requestid"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// RateLimit bounds how fast one address may send GraphQL requests (IPv6
// callers per /64, which one holder can fill). Credentials do not choose
// this bucket: anyone can make one up. Verified principals have buckets
// of their own, in the auth middleware (auth.Config.RateLimit).
type RateLimit struct {
	ratelimit.Config
	Loopback bool // limit callers on the loopback interface too (off by default)
}

// DefaultRateLimit is ratelimit.Default, loopback aside.
var DefaultRateLimit = RateLimit{Config: ratelimit.Default}

// limitRate answers 429 with Retry-After to addresses past their rate.
func limitRate(cfg RateLimit, next http.Handler) http.Handler {
	l := ratelimit.New(cfg.Config)
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, limited := addressKey(r, cfg.Loopback)
		if !limited || l.Allow(key) {
			next.ServeHTTP(w, r)
			return
		}
		TooManyRequests(w, r, l.RetryAfter())
	})
}

// TooManyRequests answers 429, RATE_LIMITED, with Retry-After.
func TooManyRequests(w http.ResponseWriter, r *http.Request, retryAfter int) {
	outcome.From(r.Context()).SetCode(wirecode.RateLimited)
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	wirecode.Write(w, http.StatusTooManyRequests, wirecode.RateLimited,
		"too many requests from this caller; wait and retry (Retry-After says how long)", requestid.From(r.Context()))
}

// addressKey is the bucket of a request's address, and whether it is
// limited at all.
func addressKey(r *http.Request, loopback bool) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return host, true
	case ip.IsLoopback():
		return "", loopback
	case ip.To4() == nil:
		return ip.Mask(net.CIDRMask(64, 128)).String(), true
	}
	return ip.String(), true
}
