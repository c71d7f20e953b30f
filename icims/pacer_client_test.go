package icims_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestPacer429HoldsEveryCaller: a 429 to one client is fed into the
// tenant's shared pacer, so another client of the same tenant (another
// worker, the connection check) waits out the Retry-After without calling.
func TestPacer429HoldsEveryCaller(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(simStart)
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	require.NoError(t, srv.SetFaults(us, icimstest.Faults{RateLimit: 1}))
	pacer := newPacer(t, icims.PacerConfig{PerMinute: 60, Burst: 1, MaxWait: 5 * time.Second, Clock: clock})
	cfg := func(cfg *icims.Config) { cfg.Pacer = pacer; cfg.Clock = clock }
	writer := newClient(t, srv, us, basicAuth(us), cfg)
	checker := newClient(t, srv, us, basicAuth(us), cfg)

	_, err := writer.GetPerson(ctx, id(icimstest.USPerson1), nil)
	require.NoError(t, err)
	_, err = writer.GetPerson(ctx, id(icimstest.USPerson1), nil)
	e := requireKind(t, err, icims.RateLimited)
	assert.Equal(t, 429, e.HTTPStatus)
	st := pacer.State()
	assert.Equal(t, clock.Now().Add(e.RetryAfter), st.HeldUntil)
	assert.Equal(t, 30.0, st.Pace)

	_, err = checker.GetLists(ctx)
	held := requireKind(t, err, icims.RateLimited)
	assert.Zero(t, held.HTTPStatus, "held by the pacer, not sent")
	assert.Equal(t, "get lists", held.Op)
	assert.Len(t, srv.Calls(us), 2, "the held call never reached iCIMS")

	clock.Advance(held.RetryAfter)
	_, err = checker.GetLists(ctx)
	require.NoError(t, err)
}
