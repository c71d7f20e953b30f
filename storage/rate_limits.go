package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// rateLimitSweepEvery is how often an instance deletes the buckets that
// have refilled. A full bucket behaves as a missing one, so sweeping late
// only keeps a few rows longer.
const rateLimitSweepEvery = time.Minute

// RateLimits keeps the token buckets of assessments.RateLimit in the
// database, so that every instance on it spends from the same buckets.
//
// A key is stored as an HMAC under the secret key (shared by the
// instances), not in clear: the table never holds an e-mail address or an
// IP, and a plain hash would not do, since every IPv4 address can be
// hashed in minutes. Rotating the secret key starts every bucket afresh.
type RateLimits struct {
	db     *DB
	signer assessments.Signer

	mu sync.Mutex
	// nextSweep is when this instance next deletes full buckets.
	nextSweep time.Time
}

// NewRateLimits returns a RateLimits that hashes keys with signer.
func NewRateLimits(db *DB, signer assessments.Signer) *RateLimits {
	return &RateLimits{db: db, signer: signer}
}

var _ assessments.RateLimitStore = (*RateLimits)(nil)

// keyHash is what the table stores for key under l.
func (s *RateLimits) keyHash(l assessments.RateLimit, key string) string {
	return s.signer.Sign([]byte("rate-limit\x00" + l.Name + "\x00" + key))
}

// TakeRateLimit implements assessments.RateLimitStore. Each key is one
// upsert that takes a token only if the bucket holds one (the WHERE of
// DO UPDATE), so the check and the take are one atomic statement on
// either database; RETURNING no row means the bucket was empty. The keys
// are taken one statement each, outside any transaction: no key's answer
// depends on another's, and on PostgreSQL a lone upsert waits for a
// concurrent one on its row instead of failing a write transaction.
func (s *RateLimits) TakeRateLimit(ctx context.Context, l assessments.RateLimit, now time.Time,
	keys ...string) (bool, error) {
	ok := true
	for _, k := range keys {
		var fullAt int64
		err := s.db.W.QueryRowContext(ctx, `INSERT INTO rate_limits (name, key_hash, full_at) VALUES (?, ?, ?)
			ON CONFLICT (name, key_hash) DO UPDATE
			SET full_at = CASE WHEN rate_limits.full_at > ? THEN rate_limits.full_at ELSE ? END + ?
			WHERE rate_limits.full_at <= ?
			RETURNING full_at`,
			l.Name, s.keyHash(l, k), l.Taken(now, now).UnixNano(),
			now.UnixNano(), now.UnixNano(), int64(l.Every), l.TakeBefore(now).UnixNano()).Scan(&fullAt)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			ok = false
		case err != nil:
			return false, fmt.Errorf("storage: take rate limit %s: %w", l.Name, err)
		}
	}
	return ok, s.sweep(ctx, now)
}

// RateLimitWait implements assessments.RateLimitStore.
func (s *RateLimits) RateLimitWait(ctx context.Context, l assessments.RateLimit, now time.Time,
	key string) (time.Duration, error) {
	var fullAt int64
	err := s.db.R.QueryRowContext(ctx, `SELECT full_at FROM rate_limits WHERE name = ? AND key_hash = ?`,
		l.Name, s.keyHash(l, key)).Scan(&fullAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("storage: rate limit %s: %w", l.Name, err)
	}
	return l.Wait(time.Unix(0, fullAt), now), nil
}

// sweep deletes the buckets full again at now, at most once a
// rateLimitSweepEvery per instance: the table holds only the keys seen
// within their limit's refill time, however many an attacker invents.
func (s *RateLimits) sweep(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	due := !now.Before(s.nextSweep)
	if due {
		s.nextSweep = now.Add(rateLimitSweepEvery)
	}
	s.mu.Unlock()
	if !due {
		return nil
	}
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM rate_limits WHERE full_at <= ?`, now.UnixNano()); err != nil {
		return fmt.Errorf("storage: sweep rate limits: %w", err)
	}
	return nil
}
