package icimsadapter_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

var paceStart = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// poolFixture is a pool over a real tenant store, connected by Basic auth
// to the simulator's customers, on the given clock.
type poolFixture struct {
	sim     *icimstest.Server
	db      *storage.DB
	tenants *storage.TenantStore
	pool    *icimsadapter.Pool
	us, eu  assessments.Tenant
}

func newPoolFixture(t *testing.T, clock icims.Clock) *poolFixture {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t)
	db, keyring := env.DB, env.Keyring
	f := &poolFixture{sim: icimstest.Start(t, icimstest.Options{Clock: clock}), db: db, tenants: storage.NewTenantStore(db, keyring, clock)}
	connectTo := func(cid string) assessments.Tenant {
		tn, err := f.tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Customer " + cid,
			Region: assessments.RegionUS, APIURL: f.sim.APIBase(), AuthMode: assessments.AuthBasic,
			Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
		require.NoError(t, err)
		return tn
	}
	f.us, f.eu = connectTo(icimstest.CustomerUS), connectTo(icimstest.CustomerEU)
	f.pool = icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: f.tenants, HTTPClient: f.sim.Client(), Clock: clock, Paces: db,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return f
}

// TestPoolPacingAgainstACustomerHeldAt20AMinute is the tester's case: a
// customer whose iCIMS allows 20 calls a minute (lower than the 500 the
// pool assumes), and a backlog of 150 calls made by eight concurrent
// callers, as the queue's workers make them. A caller told to wait (a 429
// from iCIMS, or the pacer's own hold) waits the Retry-After and tries
// again, as a write-back job snoozes. Every call must get through, and
// fewer than 15 % of the calls may meet a 429.
func TestPoolPacingAgainstACustomerHeldAt20AMinute(t *testing.T) {
	tests := []struct {
		name string
		// adminLimit is the calls a minute an admin set for the customer;
		// 0 leaves the pool's usual 490, which iCIMS's 20 undercuts.
		adminLimit int
		max429     float64 // share of requests
	}{
		{name: "limit unknown to JobCannon", max429: 0.15},
		{name: "limit set by the admin", adminLimit: 20, max429: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runBacklog(t, tt.adminLimit, tt.max429) })
	}
}

func runBacklog(t *testing.T, adminLimit int, max429 float64) {
	const calls, callers, limit = 150, 8, 20
	clock := clocktest.NewShared(paceStart, callers)
	f := newPoolFixture(t, clock)
	require.NoError(t, f.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: limit}))
	ctx := context.Background()
	if adminLimit > 0 {
		require.NoError(t, f.tenants.SetCallLimits(ctx, f.us.ID, adminLimit, 0))
		var err error
		f.us, err = f.tenants.Tenant(ctx, f.us.ID)
		require.NoError(t, err)
	}

	var next, waits atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer clock.Done()
			for next.Add(1) <= calls {
				for {
					c, err := f.pool.Client(ctx, f.us)
					if err != nil {
						errs <- err
						return
					}
					_, err = c.GetPerson(ctx, strconv.Itoa(icimstest.USPerson1), nil)
					var ie *icims.Error
					if err == nil {
						break
					}
					if !errors.As(err, &ie) || ie.Kind != icims.RateLimited {
						errs <- err
						return
					}
					waits.Add(1)
					wait := ie.RetryAfter
					if wait <= 0 {
						wait = 30 * time.Second // the write-back's wait when iCIMS gives none
					}
					_ = clock.Sleep(ctx, wait)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	got := f.sim.Calls(icimstest.CustomerUS)
	limited, ok := 0, 0
	for _, c := range got {
		switch c.Status {
		case 429:
			limited++
		case 200:
			ok++
		}
	}
	took := clock.Now().Sub(paceStart)
	t.Logf("%d calls by %d callers against %d/min: %d requests reached iCIMS, %d answered 429 (%.1f%%), %d answered 200; %d waits; %s of virtual time (ideal %s)",
		calls, callers, limit, len(got), limited, 100*float64(limited)/float64(len(got)), ok, waits.Load(), took.Round(time.Second),
		time.Duration(calls)*time.Minute/limit)
	assert.Equal(t, calls, ok, "every call got through in the end")
	assert.LessOrEqual(t, float64(limited), max429*float64(len(got)), "share of the calls that met a 429")

	// The other customer was never slowed: full pace, no hold, and its
	// call leaves at once.
	eu := f.pool.CallPace(f.eu)
	assert.False(t, eu.Slowed())
	assert.True(t, eu.HeldUntil.IsZero())
	before := clock.Now()
	c, err := f.pool.Client(ctx, f.eu)
	require.NoError(t, err)
	_, err = c.GetPerson(ctx, strconv.Itoa(icimstest.EUPerson1), nil)
	require.NoError(t, err)
	assert.Equal(t, before, clock.Now())
}

// countingCredentials counts the reads of a tenant's credentials.
type countingCredentials struct {
	assessments.TenantStore
	reads atomic.Int64
}

func (c *countingCredentials) Credentials(ctx context.Context, id int64) (assessments.Credentials, error) {
	c.reads.Add(1)
	return c.TenantStore.Credentials(ctx, id)
}

// TestABatchBuildsEachTenantsClientOnce: every client is built from the
// credentials as stored now (a rotated secret counts at the next call),
// but the deliveries of a batch, processed together within
// WithBatchClients, share their tenant's client: one read of its
// credentials, not one a delivery.
func TestABatchBuildsEachTenantsClientOnce(t *testing.T) {
	f := newPoolFixture(t, icims.SystemClock{})
	counted := &countingCredentials{TenantStore: f.tenants}
	pool := icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: counted, HTTPClient: f.sim.Client(), Paces: f.db,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx := context.Background()

	for range 3 {
		_, err := pool.Client(ctx, f.us)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3), counted.reads.Load(), "outside a batch each client reads the credentials")

	counted.reads.Store(0)
	batch := icimsadapter.WithBatchClients(ctx)
	var wg sync.WaitGroup
	clients := make([]*icims.Client, 8)
	for i := range clients {
		wg.Go(func() {
			tn := f.us
			if i%2 == 1 {
				tn = f.eu
			}
			c, err := pool.Client(batch, tn)
			assert.NoError(t, err)
			clients[i] = c
		})
	}
	wg.Wait()
	assert.Equal(t, int64(2), counted.reads.Load(), "one read per tenant of the batch")
	for i := 2; i < len(clients); i++ {
		assert.Same(t, clients[i%2], clients[i], "the batch shares its tenant's client")
	}
	assert.NotSame(t, clients[0], clients[1], "each tenant has its own")
	p, err := clients[0].GetPerson(batch, strconv.Itoa(icimstest.USPerson1), nil)
	require.NoError(t, err)
	assert.NotEmpty(t, p.Email, "the shared client calls iCIMS as its tenant")
}
