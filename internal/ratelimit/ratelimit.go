// Package ratelimit keeps a token bucket per key (an address, a verified
// principal): how fast one caller may send requests.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config is one limit.
type Config struct {
	PerSecond float64 // tokens added per second; 0 turns limiting off
	Burst     int     // bucket size: requests a caller may send at once
}

// Default suits one service on one machine: generous for people and front
// ends, a brake on scripts gone wrong.
var Default = Config{PerSecond: 50, Burst: 100}

// maxBuckets bounds a limiter's memory: past it, new keys are not limited
// until idle ones are forgotten.
const maxBuckets = 100_000

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// Limiter holds the buckets of one limit. A nil *Limiter allows all.
type Limiter struct {
	cfg     Config
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

// New returns a limiter, or nil when cfg turns limiting off.
func New(cfg Config) *Limiter {
	if cfg.PerSecond <= 0 {
		return nil
	}
	return &Limiter{cfg: cfg, buckets: map[string]*bucket{}, swept: time.Now()}
}

// Allow takes a token from key's bucket, and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	if l == nil {
		return true
	}
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
	if !ok && len(l.buckets) >= maxBuckets {
		return true // full: a new caller is not limited, rather than starved by a shared bucket
	}
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.cfg.PerSecond), max(l.cfg.Burst, 1))}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// RetryAfter is the Retry-After a refused caller gets, in whole seconds.
func (l *Limiter) RetryAfter() int {
	if l == nil {
		return 1
	}
	return max(int(math.Ceil(1/l.cfg.PerSecond)), 1)
}
