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

var pacerStart = time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)

func TestPacerRate(t *testing.T) {
	tests := []struct {
		name      string
		cfg       PacerConfig
		calls     int
		wantTotal time.Duration
	}{
		// 10 at once, then one a second.
		{"small", PacerConfig{PerMinute: 60, Burst: 10}, 200, 190 * time.Second},
		// 1,000 at once, then 500 more at one every 120 ms.
		{"defaults", PacerConfig{}, 1500, time.Minute},
		{"no burst", PacerConfig{PerMinute: 5, Burst: 1}, 11, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clocktest.New(pacerStart)
			tt.cfg.Clock = clock
			p := newPacer(t, tt.cfg)
			at := make([]time.Time, 0, tt.calls)
			for range tt.calls {
				require.NoError(t, p.Wait(context.Background()))
				at = append(at, clock.Now())
			}

			assert.InDelta(t, tt.wantTotal.Seconds(), clock.Now().Sub(pacerStart).Seconds(), 0.001)

			perMinute, burst := tt.cfg.PerMinute, tt.cfg.Burst
			if perMinute == 0 {
				perMinute, burst = DefaultPerMinute, DefaultBurst
			}
			// A token bucket allows at most burst + rate·w calls in any
			// window of length w.
			for _, w := range []time.Duration{time.Second, 10 * time.Second, time.Minute} {
				limit := burst + int(float64(perMinute)*w.Minutes())
				j := 0
				for i := range at {
					for j < len(at) && at[j].Sub(at[i]) < w {
						j++
					}
					require.LessOrEqual(t, j-i, limit, "window %s starting at call %d", w, i)
				}
			}
		})
	}
}

func TestPacerDailyQuota(t *testing.T) {
	clock := clocktest.New(time.Date(2024, 3, 5, 23, 59, 0, 0, time.UTC))
	p := newPacer(t, PacerConfig{DailyQuota: 3, Clock: clock})
	for range 3 {
		require.NoError(t, p.Wait(context.Background()))
	}
	used, quota := p.Used()
	assert.Equal(t, 3, used)
	assert.Equal(t, 3, quota)

	before := clock.Now()
	err := p.Wait(context.Background())
	var e *Error
	require.True(t, errors.As(err, &e), "want *Error, got %v", err)
	assert.Equal(t, QuotaExhausted, e.Kind)
	assert.Equal(t, time.Minute, e.RetryAfter)
	assert.True(t, IsRetryable(err))
	assert.Equal(t, before, clock.Now(), "an exhausted quota does not block")

	clock.Advance(time.Minute)
	require.NoError(t, p.Wait(context.Background()), "a new UTC day has a new quota")
	used, _ = p.Used()
	assert.Equal(t, 1, used)
}

func TestPacerCanceledWaitReturnsItsQuota(t *testing.T) {
	clock := clocktest.New(pacerStart)
	p := newPacer(t, PacerConfig{PerMinute: 1, Burst: 1, DailyQuota: 2, Clock: clock})
	require.NoError(t, p.Wait(context.Background()))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := p.Wait(ctx)
	require.ErrorIs(t, err, context.Canceled)
	used, _ := p.Used()
	assert.Equal(t, 1, used)
	assert.Equal(t, pacerStart, clock.Now())

	// The canceled reservation was given back: the next call waits one
	// interval, not two.
	require.NoError(t, p.Wait(context.Background()))
	assert.Equal(t, pacerStart.Add(time.Minute), clock.Now())
}

func TestSystemClockSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, SystemClock{}.Sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, SystemClock{}.Sleep(context.Background(), time.Millisecond))
}
