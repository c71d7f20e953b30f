package assessments

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memoryRateLimits is a RateLimitStore for the domain's tests, which
// cannot import storage; it applies RateLimit's arithmetic as
// storage.RateLimits's upsert does.
type memoryRateLimits struct {
	fullAt map[string]time.Time
}

func newMemoryRateLimits() *memoryRateLimits {
	return &memoryRateLimits{fullAt: map[string]time.Time{}}
}

func (m *memoryRateLimits) TakeRateLimit(_ context.Context, l RateLimit, now time.Time, keys ...string) (bool, error) {
	ok := true
	for _, k := range keys {
		full, found := m.fullAt[l.Name+"\x00"+k]
		if !found || !full.After(l.TakeBefore(now)) {
			m.fullAt[l.Name+"\x00"+k] = l.Taken(full, now)
		} else {
			ok = false
		}
	}
	return ok, nil
}

func (m *memoryRateLimits) RateLimitWait(_ context.Context, l RateLimit, now time.Time, key string) (time.Duration, error) {
	return l.Wait(m.fullAt[l.Name+"\x00"+key], now), nil
}

// TestRateLimitIsATokenBucket follows one bucket of 3, refilling one a
// minute, through RateLimit's arithmetic alone.
func TestRateLimitIsATokenBucket(t *testing.T) {
	l := RateLimit{Name: "t", Burst: 3, Every: time.Minute}
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	take := func(fullAt, now time.Time) (time.Time, bool) {
		if fullAt.After(l.TakeBefore(now)) {
			return fullAt, false
		}
		return l.Taken(fullAt, now), true
	}

	var fullAt time.Time // never used: full
	assert.Zero(t, l.Wait(fullAt, t0))
	for i := range 3 {
		var ok bool
		fullAt, ok = take(fullAt, t0)
		require.True(t, ok, "burst attempt %d", i+1)
	}
	assert.Equal(t, t0.Add(3*time.Minute), fullAt, "full again three minutes on")
	_, ok := take(fullAt, t0)
	assert.False(t, ok, "the fourth at once is refused")
	assert.Equal(t, time.Minute, l.Wait(fullAt, t0))
	assert.Equal(t, 15*time.Second, l.Wait(fullAt, t0.Add(45*time.Second)))

	fullAt, ok = take(fullAt, t0.Add(time.Minute))
	assert.True(t, ok, "one token back after a minute")
	_, ok = take(fullAt, t0.Add(time.Minute))
	assert.False(t, ok, "and only one")

	later := t0.Add(time.Hour)
	assert.Zero(t, l.Wait(fullAt, later))
	for i := range 3 {
		fullAt, ok = take(fullAt, later)
		require.True(t, ok, "a refilled bucket holds Burst again, not more: attempt %d", i+1)
	}
	_, ok = take(fullAt, later)
	assert.False(t, ok, "an idle hour does not save up more than Burst")
}

func TestLimiterCountsEveryKey(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	lim := NewLimiter(newMemoryRateLimits(), RateLimit{Name: "login", Burst: 2, Every: time.Minute})
	for _, k := range []string{"a", "a"} {
		ok, err := lim.Allow(ctx, now, "email:"+k, "ip:1")
		require.NoError(t, err)
		require.True(t, ok)
	}
	ok, err := lim.Allow(ctx, now, "email:b", "ip:1")
	require.NoError(t, err)
	assert.False(t, ok, "the IP's bucket is spent though the address is new")
	ok, err = lim.Allow(ctx, now, "email:b", "ip:2")
	require.NoError(t, err)
	assert.True(t, ok, "another IP and address are unaffected")
	wait, err := lim.RetryAfter(ctx, now, "ip:1")
	require.NoError(t, err)
	assert.Equal(t, time.Minute, wait)
}
