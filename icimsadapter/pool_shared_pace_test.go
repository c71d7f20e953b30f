package icimsadapter_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
)

// instancePool is what a second `serve` process on the same database
// builds: its own Pool, sharing nothing in memory with the first.
func (f *poolFixture) instancePool(clock icims.Clock, limits icims.PacerConfig) *icimsadapter.Pool {
	return icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: f.tenants, HTTPClient: f.sim.Client(), Clock: clock, Paces: f.db,
		Limits: limits, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestTwoInstancesShareOnePace: callers on two instances (two Pools on one
// database) together call a customer no faster than its limit, not twice
// its limit.
func TestTwoInstancesShareOnePace(t *testing.T) {
	const limit, perCaller, callersPerPool = 60, 30, 2
	clock := clocktest.NewShared(paceStart, 2*callersPerPool)
	f := newPoolFixture(t, clock)
	limits := icims.PacerConfig{PerMinute: limit, Burst: 1, DailyQuota: 10_000}
	pools := []*icimsadapter.Pool{f.instancePool(clock, limits), f.instancePool(clock, limits)}
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, 2*callersPerPool)
	for _, pool := range pools {
		for range callersPerPool {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer clock.Done()
				for range perCaller {
					c, err := pool.Client(ctx, f.us)
					if err == nil {
						_, err = c.GetPerson(ctx, strconv.Itoa(icimstest.USPerson1), nil)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	require.Len(t, f.sim.Calls(icimstest.CustomerUS), 2*callersPerPool*perCaller)
	assert.LessOrEqual(t, f.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute), limit,
		"calls from both instances in any minute")
	took := clock.Now().Sub(paceStart)
	assert.GreaterOrEqual(t, took, time.Duration(2*callersPerPool*perCaller-1)*time.Minute/limit, "one pace, not one each")
}

// TestA429OnOneInstanceHoldsTheOther: iCIMS's Retry-After is the
// customer's state, so the other instance does not call until it ends.
func TestA429OnOneInstanceHoldsTheOther(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(paceStart)
	f := newPoolFixture(t, clock)
	require.NoError(t, f.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 1}))
	limits := icims.PacerConfig{PerMinute: 60, Burst: 1, DailyQuota: 10_000}
	a, b := f.instancePool(clock, limits), f.instancePool(clock, limits)
	person := strconv.Itoa(icimstest.USPerson1)

	ca, err := a.Client(ctx, f.us)
	require.NoError(t, err)
	_, err = ca.GetPerson(ctx, person, nil)
	require.NoError(t, err)
	_, err = ca.GetPerson(ctx, person, nil)
	var limited *icims.Error
	require.True(t, errors.As(err, &limited), "got %v", err)
	require.Equal(t, 429, limited.HTTPStatus)

	pace := b.CallPace(f.us)
	assert.Equal(t, clock.Now().Add(limited.RetryAfter), pace.HeldUntil, "the other instance shows the hold")
	assert.Equal(t, 30.0, pace.Pace, "and the halved pace")

	cb, err := b.Client(ctx, f.us)
	require.NoError(t, err)
	_, err = cb.GetLists(ctx)
	var held *icims.Error
	require.True(t, errors.As(err, &held), "got %v", err)
	assert.Equal(t, icims.RateLimited, held.Kind)
	assert.Zero(t, held.HTTPStatus, "held by the shared pacer, not sent")
	assert.Len(t, f.sim.Calls(icimstest.CustomerUS), 2, "the held call never reached iCIMS")

	clock.Advance(held.RetryAfter)
	_, err = cb.GetLists(ctx)
	require.NoError(t, err)
}

// TestDailyQuotaSurvivesARestart: a new Pool on the same database (a
// restarted or added instance) counts the calls already made today.
func TestDailyQuotaSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(paceStart)
	f := newPoolFixture(t, clock)
	limits := icims.PacerConfig{PerMinute: 600, Burst: 1, DailyQuota: 3}
	before := f.instancePool(clock, limits)
	c, err := before.Client(ctx, f.us)
	require.NoError(t, err)
	for range 3 {
		_, err = c.GetLists(ctx)
		require.NoError(t, err)
	}

	after := f.instancePool(clock, limits)
	assert.Equal(t, 3, after.CallPace(f.us).UsedToday)
	c, err = after.Client(ctx, f.us)
	require.NoError(t, err)
	_, err = c.GetLists(ctx)
	var e *icims.Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, icims.QuotaExhausted, e.Kind)
	assert.Len(t, f.sim.Calls(icimstest.CustomerUS), 3, "the refused call never reached iCIMS")
}
