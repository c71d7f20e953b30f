package jobs

import (
	"testing"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

func TestWritebackWaitsForReauthorizationThenWakes(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	require.NoError(t, h.tenants.SetStatus(h.ctx, h.tenant.ID, assessments.TenantNeedsReauth, "OAuth token expired."))
	c := h.invite(1)
	c.sent()
	wb := c.waitFor(assessments.WritebackWaiting)
	assert.Contains(t, wb.Problem, "OAuth token expired.")
	assert.Empty(t, h.calls(), "a tenant that must re-authorize gets no call")

	require.NoError(t, h.tenants.SetStatus(h.ctx, h.tenant.ID, assessments.TenantActive, ""))
	h.wb.Wake(h.ctx, h.tenant.ID)
	wb = c.settled()
	assert.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	assert.Len(t, c.rows(), 1)
}

func TestWritebackGivesUpAfterTheLastAttemptAndRetryNowRevivesIt(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(2)
	// The invitation is sent with its write-back queued on a job that has
	// one attempt left, as one that has retried for three days.
	// The send's own write-back job is parked far ahead, so that only
	// the job below works the stream (taking it over from the parked one).
	unpark := parkWritebacks(t, h.db)
	c.sent()
	unpark()
	markTx(t, h, c)
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{ErrorRate: 1}))
	_, err := h.queue.Insert(h.ctx, jobargs.WritebackArgs{TenantID: h.tenant.ID, InvitationID: c.inv.ID}, &river.InsertOpts{MaxAttempts: 1})
	require.NoError(t, err)

	wb := c.waitFor(assessments.WritebackDead)
	assert.False(t, wb.DeadAt.IsZero())
	assert.Contains(t, wb.Problem, "Gave up after 1 tries")
	assert.Contains(t, wb.Problem, "iCIMS answered 500")
	assert.Zero(t, wb.JobID, "a dead write holds no job: the next transition or Retry now queues one")
	problems, err := h.wb.Problems(h.ctx, h.tenant.ID)
	require.NoError(t, err)
	require.Len(t, problems, 1)
	assert.Equal(t, assessments.WritebackDead, problems[0].State)

	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{}))
	require.NoError(t, h.wb.Retry(h.ctx, h.tenant.ID, c.inv.ID))
	wb = c.settled()
	assert.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	assert.True(t, wb.DeadAt.IsZero())
	assert.Len(t, c.rows(), 1)
	d := h.deliveries(c.inv.ID)
	require.Len(t, d, 1, "the retry adds its attempt to the same delivery")
	assert.Equal(t, assessments.DeliveryProcessed, d[0].Status)
	assert.Equal(t, 2, d[0].Attempts)
}

func markTx(t *testing.T, h *wbHarness, c *candidate) {
	t.Helper()
	tx, err := h.db.W.BeginTx(h.ctx, nil)
	require.NoError(t, err)
	_, err = h.store.MarkTx(h.ctx, tx, h.tenant.ID, c.inv.ID)
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
}
