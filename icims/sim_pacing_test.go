package icims_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestSimPacingUnderATightLimit runs a burst of calls through the pacer
// against the simulator's rate-limit fault at the same per-minute limit.
// The pacer and the simulator share one fake clock: the pacer's waits move
// it, and the simulator's sliding window reads it, so a minute of traffic
// takes no real minute.
func TestSimPacingUnderATightLimit(t *testing.T) {
	// 30 a minute is one call every 2 s, exact in floating point, so the
	// virtual schedule has no rounding to blur the window's edge.
	const limit, burst = 30, 95
	tests := []struct {
		name  string
		burst int
		// firstLimited is the index of the first call answered 429, or -1.
		firstLimited int
		retryAfter   time.Duration
	}{
		// A bucket of one paces evenly: any minute holds at most limit calls.
		{name: "burst of one", burst: 1, firstLimited: -1},
		// A full bucket lets limit calls through at once and the next one
		// 2 s later, when the minute-long window is still full. This is the
		// case that proves the test can fail.
		{name: "burst at the limit", burst: limit, firstLimited: limit, retryAfter: 58 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := clocktest.New(simStart)
			srv := icimstest.Start(t, icimstest.Options{Clock: clock})
			require.NoError(t, srv.SetFaults(us, icimstest.Faults{RateLimit: limit}))
			pacer := newPacer(t, icims.PacerConfig{PerMinute: limit, Burst: tt.burst, Clock: clock})
			c := newClient(t, srv, us, basicAuth(us), func(cfg *icims.Config) {
				cfg.Pacer = pacer
				cfg.Clock = clock
			})

			for i := range burst {
				_, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
				if i == tt.firstLimited {
					e := requireKind(t, err, icims.RateLimited)
					assert.Equal(t, tt.retryAfter, e.RetryAfter)
					return
				}
				require.NoError(t, err, "call %d at %s", i, clock.Now().Sub(simStart))
			}
			require.Equal(t, -1, tt.firstLimited)

			calls := srv.Calls(us)
			require.Len(t, calls, burst)
			for _, call := range calls {
				assert.Equal(t, http.StatusOK, call.Status)
				assert.Empty(t, call.Fault)
			}
			assert.Equal(t, limit, srv.MaxCallsInWindow(us, time.Minute), "as close to the limit as allowed, never over")
			assert.Equal(t, (burst-1)*2*time.Second, clock.Now().Sub(simStart), "one call every 60/limit seconds of virtual time")
			used, quota := pacer.Used()
			assert.Equal(t, burst, used)
			assert.Equal(t, icims.DefaultDailyQuota, quota)
		})
	}
}

// TestSimPacingDailyQuota stops at the tenant's daily quota without
// calling iCIMS, and says when the next UTC day starts.
func TestSimPacingDailyQuota(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(simStart)
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	pacer := newPacer(t, icims.PacerConfig{DailyQuota: 3, Clock: clock})
	c := newClient(t, srv, us, basicAuth(us), func(cfg *icims.Config) { cfg.Pacer = pacer; cfg.Clock = clock })

	for range 3 {
		_, err := c.GetJob(ctx, id(icimstest.USJob1), nil)
		require.NoError(t, err)
	}
	_, err := c.GetJob(ctx, id(icimstest.USJob1), nil)
	e := requireKind(t, err, icims.QuotaExhausted)
	assert.Equal(t, 15*time.Hour, e.RetryAfter, "09:00 to midnight UTC")
	assert.True(t, icims.IsRetryable(err))
	assert.Len(t, srv.Calls(us), 3, "the refused call never reached iCIMS")

	clock.Advance(e.RetryAfter)
	_, err = c.GetJob(ctx, id(icimstest.USJob1), nil)
	require.NoError(t, err, "a new day, a new quota")
}
