package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestWritebackRateLimitHoldsTheCustomer: after one write meets a 429, the
// customer's other writes wait out the Retry-After without calling iCIMS
// (the tester saw them keep going 0.12 s apart, each drawing a 429 and
// burning the day's quota), and they snooze instead of holding a worker.
func TestWritebackRateLimitHoldsTheCustomer(t *testing.T) {
	clock := clocktest.New(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
	h := newWBHarness(t, wbOptions{clock: clock})
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 1}))
	first := h.invite(1)
	first.sent()
	first.settled()

	second := h.invite(2)
	second.sent()
	wb := second.waitFor(assessments.WritebackWaiting)
	assert.Equal(t, 429, wb.HTTPStatus)
	assert.Contains(t, wb.Problem, "rate limit")

	third := h.invite(3)
	third.sent()
	wb = third.waitFor(assessments.WritebackWaiting)
	assert.Contains(t, wb.Problem, "JobCannon is pacing its calls to this customer's iCIMS (iCIMS asked for a pause until 09:01:00 UTC)")
	assert.WithinDuration(t, time.Date(2025, 3, 3, 9, 1, 0, 0, time.UTC), wb.NextAttemptAt, time.Second,
		"it waits for the hold iCIMS asked for")
	assert.Equal(t, 1, rateLimited(h.calls()), "the held write never reached iCIMS")
	assert.Len(t, h.calls(), 2)
}
