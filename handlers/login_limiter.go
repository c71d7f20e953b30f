package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter slows password guessing: each key (an e-mail address, a
// client IP) gets a small burst of attempts, then one every interval. It
// lives in memory; with several instances each counts on its own.
type LoginLimiter struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	every    time.Duration
	burst    int
}

// NewLoginLimiter allows burst attempts per key, then one per every.
func NewLoginLimiter(burst int, every time.Duration) *LoginLimiter {
	return &LoginLimiter{limiters: map[string]*rate.Limiter{}, every: every, burst: burst}
}

// Allow reports whether an attempt at time now may go ahead for all keys,
// and counts it against each.
func (l *LoginLimiter) Allow(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.limiters) > 100_000 {
		// A flood of distinct keys must not grow memory without bound;
		// dropping the table only forgets counts.
		l.limiters = map[string]*rate.Limiter{}
	}
	ok := true
	for _, k := range keys {
		lim, found := l.limiters[k]
		if !found {
			lim = rate.NewLimiter(rate.Every(l.every), l.burst)
			l.limiters[k] = lim
		}
		if !lim.AllowN(now, 1) {
			ok = false
		}
	}
	return ok
}
