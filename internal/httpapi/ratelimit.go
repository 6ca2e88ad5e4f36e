package httpapi

import (
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/coopgraph/coopgraph/internal/requestid"
)

// RateLimit bounds how fast one caller may send GraphQL requests: a token
// bucket per credential (the Authorization header), or per address for
// anonymous callers.
type RateLimit struct {
	PerSecond float64 // tokens added per second; 0 turns limiting off
	Burst     int     // bucket size: requests a caller may send at once
	Loopback  bool    // limit callers on the loopback interface too (off by default)
}

// DefaultRateLimit suits one service on one machine: generous for people
// and front ends, a brake on scripts gone wrong.
var DefaultRateLimit = RateLimit{PerSecond: 50, Burst: 100}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

type limiter struct {
	cfg     RateLimit
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

// limitRate answers 429 with Retry-After to callers past their rate.
func limitRate(cfg RateLimit, next http.Handler) http.Handler {
	if cfg.PerSecond <= 0 {
		return next
	}
	l := &limiter{cfg: cfg, buckets: map[string]*bucket{}, swept: time.Now()}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, limited := l.key(r)
		if !limited || l.allow(key) {
			next.ServeHTTP(w, r)
			return
		}
		retry := int(math.Ceil(1 / cfg.PerSecond))
		w.Header().Set("Retry-After", strconv.Itoa(max(retry, 1)))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []any{map[string]any{
			"message":    "too many requests from this caller; wait and retry (Retry-After says how long)",
			"extensions": map[string]any{"code": "RATE_LIMITED", "requestId": requestid.From(r.Context())}}}})
	})
}

// key is whose bucket a request draws on, and whether it is limited at all.
func (l *limiter) key(r *http.Request) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() && !l.cfg.Loopback {
		return "", false
	}
	if cred := r.Header.Get("Authorization"); cred != "" {
		sum := sha256.Sum256([]byte(cred)) // the credential itself is never kept
		return "cred:" + string(sum[:16]), true
	}
	return "addr:" + host, true
}

func (l *limiter) allow(key string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute { // forget callers idle for ten minutes
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.cfg.PerSecond), max(l.cfg.Burst, 1))}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
