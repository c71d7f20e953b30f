package icims_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	// These tests run outside the package, on a real database as the
	// service's pacers do; the dot import keeps them as written inside it.
	. "github.com/jobcannon/jobcannon/icims"
)

func TestPacerHoldAfter429(t *testing.T) {
	tests := []struct {
		name    string
		maxWait time.Duration
		// wantErr: the wait is handed back as RateLimited instead of slept.
		wantErr bool
	}{
		{name: "blocking pacer sleeps through the hold", maxWait: 0},
		{name: "bounded pacer hands the hold back", maxWait: 5 * time.Second, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clocktest.New(pacerStart)
			p := newPacer(t, PacerConfig{PerMinute: 60, Burst: 1, MaxWait: tt.maxWait, Clock: clock})
			require.NoError(t, p.Wait(context.Background()))
			p.Limited(clock.Now(), 40*time.Second)

			st := p.State()
			assert.Equal(t, pacerStart.Add(40*time.Second), st.HeldUntil)
			assert.Equal(t, 30.0, st.Pace, "halved")
			assert.Equal(t, pacerStart, st.LastLimited)

			err := p.Wait(context.Background())
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Equal(t, pacerStart.Add(40*time.Second), clock.Now(), "no call before the Retry-After has passed")
				require.NoError(t, p.Wait(context.Background()))
				assert.Equal(t, pacerStart.Add(42*time.Second), clock.Now(), "then one call every 2 s at the halved pace")
				return
			}
			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %v", err)
			assert.Equal(t, RateLimited, e.Kind)
			assert.Zero(t, e.HTTPStatus, "the pacer's own refusal, not iCIMS's")
			assert.Equal(t, 40*time.Second, e.RetryAfter)
			assert.Contains(t, e.Message, "until 09:00:40 UTC")
			assert.Equal(t, pacerStart, clock.Now(), "a long hold does not block")
			used, _ := p.Used()
			assert.Equal(t, 1, used, "a refused call does not count against the quota")

			clock.Advance(e.RetryAfter)
			require.NoError(t, p.Wait(context.Background()))
			assert.Equal(t, pacerStart.Add(40*time.Second), clock.Now())
		})
	}
}

func TestPacerCutsOncePerRoundOf429s(t *testing.T) {
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 40, Burst: 1, Clock: clock})
	sent := clock.Now()
	clock.Advance(time.Second)
	// Three calls in flight together all meet the limit: one cut.
	for range 3 {
		p.Limited(sent, 10*time.Second)
	}
	assert.Equal(t, 20.0, p.State().Pace)
	// A call sent after the cut that still meets a 429: cut again.
	clock.Advance(10 * time.Second)
	p.Limited(clock.Now(), 10*time.Second)
	assert.Equal(t, 10.0, p.State().Pace)
	for range 10 {
		p.Limited(clock.Now(), time.Second)
		clock.Advance(time.Second)
	}
	assert.Equal(t, 1.0, p.State().Pace, "never below one call a minute")
}

func TestPacerClimbsBackSlowly(t *testing.T) {
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 20, Burst: 1, Clock: clock})
	p.Limited(clock.Now(), 30*time.Second)
	require.Equal(t, 10.0, p.State().Pace)

	tests := []struct {
		after time.Duration // since the 429
		pace  float64
	}{
		{59 * time.Second, 10},
		{time.Minute, 11}, // one step: a fiftieth of the limit, at least 1
		{5 * time.Minute, 15},
		{15 * time.Minute, 20}, // never above the limit
	}
	for _, tt := range tests {
		clock.Advance(pacerStart.Add(tt.after).Sub(clock.Now()))
		assert.Equal(t, tt.pace, p.State().Pace, "after %s", tt.after)
	}
	assert.False(t, p.State().Slowed())

	// A 429 restarts the quiet time.
	p.Limited(clock.Now(), time.Second)
	clock.Advance(90 * time.Second)
	assert.Equal(t, 11.0, p.State().Pace)
}

func TestPacerSetLimits(t *testing.T) {
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 490, Burst: 1, DailyQuota: 10_000, Clock: clock})
	p.SetLimits(20, 2000)
	st := p.State()
	assert.Equal(t, 20, st.Limit)
	assert.Equal(t, 20.0, st.Pace)
	assert.Equal(t, 2000, st.Quota)

	p.Limited(clock.Now(), time.Second)
	p.SetLimits(100, 0)
	st = p.State()
	assert.Equal(t, 100, st.Limit)
	assert.Equal(t, 10.0, st.Pace, "a slowed pace stays slowed")
	assert.Equal(t, 2000, st.Quota, "0 keeps the quota")

	p.SetLimits(5, 0)
	assert.Equal(t, 5.0, p.State().Pace, "never above a lowered limit")
}
