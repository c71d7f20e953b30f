package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestWritebackAFailedCompleteIsWrittenAgain: the PATCH that makes the row
// Complete fails (iCIMS answers 500). The row must not count as Complete:
// the write is tried again, and iCIMS ends up showing Complete with the
// score. (Found by the fault test: a failed write was recorded as
// written, the scorecard went out after it, and the row stayed Sent.)
func TestWritebackAFailedCompleteIsWrittenAgain(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(1)
	c.sent()
	require.Eventually(t, func() bool { wb := c.writeback(); return wb.Written == assessments.StatusSent && wb.JobID == 0 },
		30*time.Second, 10*time.Millisecond)

	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{ErrorRate: 1}))
	c.startAndCompleteNow(71.5)
	wb := c.waitFor(assessments.WritebackRetrying)
	assert.Equal(t, assessments.StatusSent, wb.Written, "a write iCIMS refused is not written")
	assert.Empty(t, c.person()[icimstest.FieldAssessmentScore], "nothing after it went out")

	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{}))
	require.Eventually(t, func() bool {
		wb := c.writeback()
		return wb.Written == assessments.StatusCompleted && wb.Scorecard == "done" && wb.JobID == 0
	}, 30*time.Second, 20*time.Millisecond, "the write was tried again")
	rows := c.rows()
	require.Len(t, rows, 1)
	assert.Equal(t, icimstest.AssessmentComplete, rows[0].AssessmentStatus)
	require.NotNil(t, rows[0].Score)
	assert.InDelta(t, 71.5, *rows[0].Score, 0.001)
	assert.Equal(t, "71.5", c.person()[icimstest.FieldAssessmentScore])
}

// startAndCompleteNow is a candidate who starts and submits at once.
func (c *candidate) startAndCompleteNow(overall float64) {
	c.h.t.Helper()
	c.start()
	c.complete(overall, assessments.VerdictConsider)
}
