package jobs

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// rowWrites lists the simulator's calls on assessment result rows, as
// "POST" and "PATCH", in order.
func (h *wbHarness) rowWrites() []string {
	var out []string
	for _, c := range h.calls() {
		if strings.Contains(c.Path, "/fields/assessmentresults") && c.Status/100 == 2 {
			out = append(out, c.Method)
		}
	}
	return out
}

func TestWritebackOrderUnderRetries(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(1)
	h.sim.ClearLog(icimstest.CustomerUS)
	// iCIMS is down when the invitation goes out; the candidate starts and
	// finishes while the Sent write waits for its retry.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{OutageUntil: time.Now().Add(time.Second)}))
	c.sent()
	c.waitFor(assessments.WritebackRetrying)
	c.start()
	c.complete(55, assessments.VerdictConsider)

	wb := c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	rows := c.rows()
	require.Len(t, rows, 1, "one row, however often the create was tried")
	assert.Equal(t, icimstest.AssessmentComplete, rows[0].AssessmentStatus)
	assert.Equal(t, assessments.VerdictConsider, rows[0].Result)
	// The retry writes the newest state: the row is created (as Sent, see
	// NextWrite) and PATCHed once, to Complete. In-Progress, which iCIMS
	// never saw in time, is not written after it.
	assert.Equal(t, []string{"POST", "PATCH"}, h.rowWrites())

	ds := h.deliveries(c.inv.ID)
	require.NotEmpty(t, ds)
	assert.Equal(t, "assessment_result.create", ds[0].Kind)
	assert.GreaterOrEqual(t, ds[0].Attempts, 2, "the failed try and the retry are attempts of one delivery")
	attempts := h.attempts(ds[0].ID)
	assert.Equal(t, 503, attempts[0].ResponseStatus)
	assert.Equal(t, 201, attempts[len(attempts)-1].ResponseStatus)

	// A late job for this invitation (a repeat, or one queued for an older
	// state) reads the current state and writes nothing.
	h.sim.ClearLog(icimstest.CustomerUS)
	_, err := h.queue.Insert(context.Background(), jobargs.WritebackArgs{TenantID: h.tenant.ID, InvitationID: c.inv.ID}, nil)
	require.NoError(t, err)
	time.Sleep(300 * time.Millisecond)
	c.settled()
	assert.Empty(t, h.calls())
}

func TestWritebackTransitionsDuringAWriteAreNotLost(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	// Every call takes a while, so the candidate's next steps arrive while
	// the job is in the middle of a write and owns the stream.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{Latency: 150 * time.Millisecond}))
	c := h.invite(2)
	c.sent()
	require.Eventually(t, func() bool { return len(h.calls()) > 0 }, 10*time.Second, time.Millisecond)
	c.start()
	c.complete(80, assessments.VerdictRecommended)
	wb := c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	rows := c.rows()
	require.Len(t, rows, 1)
	assert.Equal(t, icimstest.AssessmentComplete, rows[0].AssessmentStatus)
	assert.Equal(t, "done", wb.Scorecard)
	writes := h.rowWrites()
	assert.Equal(t, "PATCH", writes[len(writes)-1])
}

func TestWritebackRepeatedCreateAfterACrashMakesNoSecondRow(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(3)
	c.sent()
	first := c.settled()
	require.Len(t, c.rows(), 1)
	// The POST succeeded but the process stopped before its Location was
	// stored: the write-back still thinks there is no row.
	_, err := h.db.W.Exec(`UPDATE writebacks SET location = '', written = '' WHERE invitation_id = ?`, c.inv.ID)
	require.NoError(t, err)
	require.NoError(t, h.wb.Retry(h.ctx, h.tenant.ID, c.inv.ID))
	wb := c.settled()
	assert.Equal(t, first.Location, wb.Location, "iCIMS answers the repeated POST with the existing row")
	assert.Len(t, c.rows(), 1)
}

func TestWritebackMovesTheWorkflowAfterTheResult(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(4)
	c.sent()
	c.start()
	c.complete(88, assessments.VerdictRecommended)
	// The custom-workflow follow-up asks for the move in its own
	// transaction, perhaps before the Complete row is written: the move
	// joins the invitation's stream and goes out after the row and the
	// scorecard.
	_, err := h.events.CreateFollowUp(h.ctx, c.inv, 0, nil, &assessments.WorkflowMove{TenantID: h.tenant.ID, WorkflowID: strconv.Itoa(c.wid),
		StatusID: icimstest.StatusInterview, InvitationID: c.inv.ID, RuleID: 0, Verdict: assessments.VerdictRecommended})
	require.NoError(t, err)

	wb := c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	assert.Equal(t, "done", wb.Move)
	status, err := h.sim.WorkflowStatus(icimstest.CustomerUS, c.wid)
	require.NoError(t, err)
	assert.Equal(t, icimstest.StatusInterview, status)
	ds := h.deliveries(c.inv.ID)
	assert.Equal(t, "workflow.move", ds[len(ds)-1].Kind, "the move is the stream's last write")
	assert.Equal(t, icimstest.AssessmentComplete, c.rows()[0].AssessmentStatus)
}
