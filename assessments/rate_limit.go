package assessments

import (
	"context"
	"time"
)

// RateLimit is the shape of a token bucket: Burst attempts at once, then
// one more each Every. Buckets are kept in a RateLimitStore that every
// instance shares, so two instances behind a load balancer give an
// attacker one budget, not two.
//
// A bucket is stored as the single time at which it is full again
// (fullAt; the "theoretical arrival time" of GCRA): it holds
// Burst - (fullAt-now)/Every tokens, and a fullAt in the past means full.
// One time per key, rather than a count and a timestamp, lets a store take
// a token in one conditional statement with every time computed here.
type RateLimit struct {
	// Name tells limits apart in the store: the same key under two names
	// is two buckets.
	Name  string
	Burst int
	Every time.Duration
}

// TakeBefore is the latest fullAt from which a token can still be taken at
// now: a bucket whose fullAt is later holds less than one token.
func (l RateLimit) TakeBefore(now time.Time) time.Time {
	return now.Add(time.Duration(l.Burst-1) * l.Every)
}

// Taken is fullAt after a token is taken at now from a bucket that held
// one.
func (l RateLimit) Taken(fullAt, now time.Time) time.Time {
	return later(fullAt, now).Add(l.Every)
}

// Wait is how long a bucket full again at fullAt makes the next attempt
// wait at now: zero when it holds a token.
func (l RateLimit) Wait(fullAt, now time.Time) time.Duration {
	return max(0, fullAt.Sub(l.TakeBefore(now)))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// RateLimitStore keeps token buckets where every instance sees them;
// storage.RateLimits is one.
type RateLimitStore interface {
	// TakeRateLimit takes one token at now from the bucket of each key
	// under l that holds one, and reports whether every key's did. Each
	// take is atomic, so concurrent attempts on any instances never spend
	// the same token twice.
	TakeRateLimit(ctx context.Context, l RateLimit, now time.Time, keys ...string) (bool, error)
	// RateLimitWait is how long key's bucket under l makes an attempt at
	// now wait; it takes nothing.
	RateLimitWait(ctx context.Context, l RateLimit, now time.Time, key string) (time.Duration, error)
}

// Limiter applies one RateLimit to the keys its callers name (an address,
// an IP, a client id) through a shared RateLimitStore.
type Limiter struct {
	store RateLimitStore
	limit RateLimit
}

// NewLimiter returns a Limiter of limit kept in store.
func NewLimiter(store RateLimitStore, limit RateLimit) *Limiter {
	return &Limiter{store: store, limit: limit}
}

// Allow reports whether an attempt at now may go ahead for all keys, and
// counts it against each key that still had room.
func (l *Limiter) Allow(ctx context.Context, now time.Time, keys ...string) (bool, error) {
	return l.store.TakeRateLimit(ctx, l.limit, now, keys...)
}

// RetryAfter is how long key must wait at now before its next attempt is
// allowed; zero when it may try now.
func (l *Limiter) RetryAfter(ctx context.Context, now time.Time, key string) (time.Duration, error) {
	return l.store.RateLimitWait(ctx, l.limit, now, key)
}
