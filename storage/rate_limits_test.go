package storage_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func take(t *testing.T, s *storage.RateLimits, l assessments.RateLimit, now time.Time, keys ...string) bool {
	t.Helper()
	ok, err := s.TakeRateLimit(context.Background(), l, now, keys...)
	require.NoError(t, err)
	return ok
}

func waitFor(t *testing.T, s *storage.RateLimits, l assessments.RateLimit, now time.Time, key string) time.Duration {
	t.Helper()
	wait, err := s.RateLimitWait(context.Background(), l, now, key)
	require.NoError(t, err)
	return wait
}

func countRateLimits(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.R.QueryRow(`SELECT COUNT(*) FROM rate_limits`).Scan(&n))
	return n
}

func TestRateLimitsShareOneBudgetAcrossInstances(t *testing.T) {
	env := storetest.New(t)
	a := storage.NewRateLimits(env.DB, env.Keyring)
	b := storage.NewRateLimits(env.Reopen(t), env.Keyring)
	l := assessments.RateLimit{Name: "login", Burst: 5, Every: 3 * time.Minute}
	now := env.Clock.Now()

	for i := range 5 {
		require.True(t, take(t, a, l, now, "email:ops@acme.example"), "attempt %d on A", i+1)
	}
	assert.False(t, take(t, b, l, now, "email:ops@acme.example"), "the sixth, on B, finds A's spent bucket")
	assert.Equal(t, 3*time.Minute, waitFor(t, b, l, now, "email:ops@acme.example"))
	assert.Equal(t, 3*time.Minute, waitFor(t, a, l, now, "email:ops@acme.example"), "both instances see one wait")
}

func TestRateLimitsRefillWithTheClock(t *testing.T) {
	env := storetest.New(t)
	s := storage.NewRateLimits(env.DB, env.Keyring)
	l := assessments.RateLimit{Name: "inbound-token", Burst: 10, Every: time.Minute}
	for range 10 {
		require.True(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"))
	}
	require.False(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"))
	assert.Equal(t, time.Minute, waitFor(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"))

	env.Clock.Advance(40 * time.Second)
	assert.Equal(t, 20*time.Second, waitFor(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"), "part of a token is no token")
	assert.False(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"))
	env.Clock.Advance(20 * time.Second)
	assert.Zero(t, waitFor(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"))
	assert.True(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"), "one token a minute")
	assert.False(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"), "and only one")

	env.Clock.Advance(24 * time.Hour)
	for i := range 10 {
		require.True(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"), "refilled to the burst: attempt %d", i+1)
	}
	assert.False(t, take(t, s, l, env.Clock.Now(), "jc-1-aaaaaa"), "a day idle saves up no more than the burst")
}

func TestRateLimitKeysDoNotInterfere(t *testing.T) {
	env := storetest.New(t)
	s := storage.NewRateLimits(env.DB, env.Keyring)
	login := assessments.RateLimit{Name: "login", Burst: 2, Every: time.Minute}
	apply := assessments.RateLimit{Name: "apply-ip", Burst: 2, Every: time.Minute}
	now := env.Clock.Now()

	require.True(t, take(t, s, login, now, "email:a@acme.example", "ip:192.0.2.1"))
	require.True(t, take(t, s, login, now, "email:a@acme.example", "ip:192.0.2.1"))
	assert.False(t, take(t, s, login, now, "email:a@acme.example", "ip:192.0.2.9"), "a's bucket is spent")
	assert.True(t, take(t, s, login, now, "email:b@acme.example", "ip:192.0.2.2"), "another account from another IP")
	assert.True(t, take(t, s, apply, now, "ip:192.0.2.1"), "the same key under another limit is another bucket")
	assert.False(t, take(t, s, login, now, "email:c@acme.example", "ip:192.0.2.1"),
		"one spent key refuses the attempt, as before")
	assert.Zero(t, waitFor(t, s, login, now, "email:c@acme.example"), "yet c's own bucket is charged")
	assert.True(t, take(t, s, login, now, "email:c@acme.example", "ip:192.0.2.3"))
	assert.False(t, take(t, s, login, now, "email:c@acme.example", "ip:192.0.2.4"), "c spent both its tokens")
}

func TestRateLimitsStoreNoKeyInClear(t *testing.T) {
	env := storetest.New(t)
	s := storage.NewRateLimits(env.DB, env.Keyring)
	l := assessments.RateLimit{Name: "login", Burst: 5, Every: time.Minute}
	require.True(t, take(t, s, l, env.Clock.Now(), "email:ops@acme.example", "ip:192.0.2.1"))

	rows, err := env.DB.R.Query(`SELECT name, key_hash FROM rate_limits`)
	require.NoError(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, hash string
		require.NoError(t, rows.Scan(&name, &hash))
		assert.Equal(t, "login", name)
		assert.NotContains(t, hash, "acme")
		assert.NotContains(t, hash, "192.0.2.1")
		n++
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, 2, n)

	other := storage.NewRateLimits(env.DB, storetest.NewKeyring(t))
	assert.Zero(t, waitFor(t, other, l, env.Clock.Now(), "email:ops@acme.example"),
		"the hash is keyed: another secret key finds nothing")
}

func TestRateLimitsForgetRefilledKeys(t *testing.T) {
	env := storetest.New(t)
	s := storage.NewRateLimits(env.DB, env.Keyring)
	l := assessments.RateLimit{Name: "apply-ip", Burst: 10, Every: time.Minute}
	for i := range 50 {
		take(t, s, l, env.Clock.Now(), "ip:192.0.2."+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	require.Equal(t, 50, countRateLimits(t, env.DB), "an attacker's invented keys are kept while they count")

	env.Clock.Advance(time.Minute)
	take(t, s, l, env.Clock.Now(), "ip:192.0.2.200")
	assert.Equal(t, 1, countRateLimits(t, env.DB), "keys whose buckets refilled are deleted on a later write")
}

func TestRateLimitsConcurrentTakesSpendEachTokenOnce(t *testing.T) {
	env := storetest.New(t)
	instances := []*storage.RateLimits{storage.NewRateLimits(env.DB, env.Keyring),
		storage.NewRateLimits(env.Reopen(t), env.Keyring)}
	l := assessments.RateLimit{Name: "inbound-token", Burst: 10, Every: time.Minute}
	now := env.Clock.Now()

	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := instances[i%2].TakeRateLimit(context.Background(), l, now, "jc-1-aaaaaa")
			assert.NoError(t, err)
			if ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(10), allowed.Load())
}
