package jobs

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// application is an applicant workflow made for a test.
type application struct{ wid, pid, jid int }

// addApplications creates n candidates on the seeded jobs, as recruiters
// would, before the test's measurements start.
func (h *wbHarness) addApplications(n int) []application {
	h.t.Helper()
	cid := icimstest.CustomerUS
	client, err := icims.New(icims.Config{CustomerID: cid, BaseURL: h.sim.APIBase(), HTTPClient: h.sim.Client(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(h.t, err)
	out := make([]application, 0, n)
	for i := range n {
		pid, err := h.sim.AddPerson(cid, map[string]any{"firstname": "Test", "lastname": "Candidate " + strconv.Itoa(i),
			"email": "test" + strconv.Itoa(i) + "@example.com"})
		require.NoError(h.t, err)
		jid := icimstest.USJob1 + i%3
		id, _, err := client.CreateApplicantWorkflow(h.ctx, icims.NewApplicantWorkflow{JobID: strconv.Itoa(jid), PersonID: strconv.Itoa(pid)})
		require.NoError(h.t, err)
		wid, err := strconv.Atoi(id)
		require.NoError(h.t, err)
		out = append(out, application{wid: wid, pid: pid, jid: jid})
	}
	return out
}

// backlog sends n invitations at once and waits (up to wait) until every
// Sent row is written; it returns the simulator's calls for them.
func (h *wbHarness) backlog(apps []application, wait time.Duration) []icimstest.Call {
	h.t.Helper()
	h.sim.ClearLog(icimstest.CustomerUS)
	cands := make([]*candidate, len(apps))
	for i, a := range apps {
		cands[i] = h.inviteFor(a.wid, a.pid, a.jid)
	}
	for _, c := range cands {
		c.sent()
	}
	require.Eventually(h.t, func() bool {
		var open int
		require.NoError(h.t, h.db.R.QueryRow(`SELECT COUNT(*) FROM writebacks WHERE tenant_id = ? AND (job_id IS NOT NULL OR written = '')`,
			h.tenant.ID).Scan(&open))
		return open == 0
	}, wait, 50*time.Millisecond, "the backlog was not written")
	for _, c := range cands {
		wb := c.writeback()
		require.Equal(h.t, assessments.WritebackDone, wb.State, wb.Problem)
	}
	return h.calls()
}

func rateLimited(calls []icimstest.Call) int {
	n := 0
	for _, c := range calls {
		if c.Status == 429 {
			n++
		}
	}
	return n
}

func TestWritebackPacingNeverExceedsATightLimit(t *testing.T) {
	// The pacer and the simulator share a fake clock: the pacer's waits
	// move virtual time instead of sleeping, and the simulator counts its
	// sliding minute in the same time, so the test is exact and quick.
	// One worker: clocktest.Clock.Sleep moves the shared time by each sleeper's
	// whole delay, so concurrent sleepers would push each other's calls
	// past their reserved times and bunch them, which real time does not.
	// JOBCANNON_BACKLOG_N and _L set the size (default 75 writes at 30 a
	// minute, so the limit binds for two and a half minutes).
	n, limit := envInt("JOBCANNON_BACKLOG_N", 75), envInt("JOBCANNON_BACKLOG_L", 30)
	clock := clocktest.New(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
	h := newWBHarness(t, wbOptions{clock: clock, maxWorkers: 1,
		limits: icims.PacerConfig{PerMinute: limit, Burst: 1, DailyQuota: 100_000}})
	apps := h.addApplications(n)
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: limit}))

	start, wall := clock.Now(), time.Now()
	calls := h.backlog(apps, time.Minute+time.Duration(n)*100*time.Millisecond)
	took := clock.Now().Sub(start)
	assert.Len(t, calls, n, "one POST per candidate, no retries")
	assert.Zero(t, rateLimited(calls), "no 429: the pacer keeps under the simulator's limit")
	assert.LessOrEqual(t, h.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute), limit)
	ideal := time.Duration(n) * time.Minute / time.Duration(limit)
	t.Logf("backlog of %d writes at %d/min: %s of virtual time (ideal N/L = %s); %d calls, %d answered 429, at most %d in any minute; %s of wall time",
		n, limit, took, ideal, len(calls), rateLimited(calls), h.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute),
		time.Since(wall).Round(time.Millisecond))
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestWritebackBacklogAtRealSpeed measures the backlog on the real clock:
// JOBCANNON_BACKLOG_N writes at JOBCANNON_BACKLOG_L a minute. It takes
// N/L minutes, so it runs only when asked.
func TestWritebackBacklogAtRealSpeed(t *testing.T) {
	if os.Getenv("JOBCANNON_BACKLOG_REAL") == "" {
		t.Skip("set JOBCANNON_BACKLOG_REAL=1 (and JOBCANNON_BACKLOG_N, _L) to measure a backlog at real speed")
	}
	// JOBCANNON_BACKLOG_PACE sets the pacer's rate apart from the
	// simulator's limit L: at exactly L, calls that leave on time still
	// arrive with a millisecond of jitter, and a strict sliding minute
	// then now and then sees L+1 of them.
	n, l := envInt("JOBCANNON_BACKLOG_N", 600), envInt("JOBCANNON_BACKLOG_L", 120)
	pace := envInt("JOBCANNON_BACKLOG_PACE", l)
	h := newWBHarness(t, wbOptions{limits: icims.PacerConfig{PerMinute: pace, Burst: 1, DailyQuota: 100_000}})
	apps := h.addApplications(n)
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: l}))
	start := time.Now()
	calls := h.backlog(apps, 2*time.Duration(n)*time.Minute/time.Duration(l)+time.Minute)
	took := time.Since(start)
	ideal := time.Duration(n) * time.Minute / time.Duration(l)
	t.Logf("backlog of %d writes at %d/min (paced at %d/min): %s (ideal N/L = %s, %.1f%%); %d calls, %d answered 429, at most %d in any minute",
		n, l, pace, took.Round(time.Millisecond), ideal, 100*took.Seconds()/ideal.Seconds(), len(calls), rateLimited(calls),
		h.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute))
	assert.Zero(t, rateLimited(calls))
}

func TestWritebackHonoursRetryAfterWithoutUsingAttempts(t *testing.T) {
	// Someone else's calls have used up the customer's minute: iCIMS
	// answers 429 with Retry-After, and the write waits that long.
	clock := clocktest.New(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
	h := newWBHarness(t, wbOptions{clock: clock})
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 1}))
	first := h.invite(1)
	first.sent()
	first.settled()
	clock.Advance(59*time.Second + 500*time.Millisecond)

	c := h.invite(2)
	c.sent()
	wb := c.waitFor(assessments.WritebackWaiting)
	assert.Equal(t, 429, wb.HTTPStatus)
	assert.Contains(t, wb.Problem, "rate limit")
	assert.Equal(t, clock.Now().Add(time.Second), wb.NextAttemptAt, "Retry-After: 1 (rounded up from half a second)")

	clock.Advance(time.Second) // the minute has passed for iCIMS
	wb = c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	assert.Empty(t, lastJobErrors(t, h.db), "a snooze is not a failed attempt")
	d := h.deliveries(c.inv.ID)
	require.Len(t, d, 1)
	assert.Equal(t, 2, d[0].Attempts, "the 429 and the write that followed")
}
