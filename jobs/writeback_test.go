package jobs

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestWritebackFullSequence(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	c := h.invite(1)
	h.sim.ClearLog(icimstest.CustomerUS)

	c.sent()
	wb := c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	rows := c.rows()
	require.Len(t, rows, 1)
	assert.Equal(t, icimstest.AssessmentBigFive, rows[0].AssessmentName)
	assert.Equal(t, icimstest.AssessmentSent, rows[0].AssessmentStatus)
	assert.NotEmpty(t, rows[0].Date)
	assert.True(t, strings.HasPrefix(rows[0].URL, "https://jobcannon.test/r/"), rows[0].URL)
	assert.Equal(t, strconv.Itoa(rows[0].Entry), entryOf(wb.Location), "the row's Location is kept")

	c.start()
	c.settled()
	rows = c.rows()
	require.Len(t, rows, 1, "later states PATCH the same row")
	assert.Equal(t, icimstest.AssessmentInProgress, rows[0].AssessmentStatus)

	c.complete(71.26, assessments.VerdictRecommended)
	wb = c.settled()
	require.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
	rows = c.rows()
	require.Len(t, rows, 1)
	r := rows[0]
	assert.Equal(t, icimstest.AssessmentComplete, r.AssessmentStatus)
	require.NotNil(t, r.Score)
	assert.InDelta(t, 71.26, *r.Score, 0.001)
	assert.Equal(t, assessments.VerdictRecommended, r.Result)
	assert.Equal(t, "Extraversion 64, Conscientiousness 71.", r.Notes)
	assert.True(t, strings.HasPrefix(r.URL, "https://jobcannon.test/r/"), "the report link stays")
	person := c.person()
	assert.Equal(t, "71.3", person[icimstest.FieldAssessmentScore])
	assert.Equal(t, assessments.VerdictRecommended, person[icimstest.FieldAssessmentVerdict])

	// Cheap on quota: the ids come from the invitation, nothing is read.
	var calls []string
	for _, call := range h.calls() {
		calls = append(calls, call.Method+" "+call.Path[strings.Index(call.Path, "/customers/"):])
	}
	assert.Equal(t, []string{
		"POST /customers/1234/applicantworkflows/3001/fields/assessmentresults",
		"PATCH /customers/1234/applicantworkflows/3001/fields/assessmentresults/" + entryOf(wb.Location),
		"PATCH /customers/1234/applicantworkflows/3001/fields/assessmentresults/" + entryOf(wb.Location),
		"PATCH /customers/1234/people/1001",
	}, calls, "Sent → In-Progress → Complete + scorecard is 4 calls")

	// Every write is an outbound delivery with its attempt, bodies kept.
	ds := h.deliveries(c.inv.ID)
	var kinds []string
	for _, d := range ds {
		kinds = append(kinds, d.Kind)
		assert.Equal(t, assessments.DeliveryProcessed, d.Status, d.Kind)
		assert.Equal(t, 1, d.Attempts, d.Kind)
		assert.Equal(t, "3001", d.WorkflowID)
		assert.Equal(t, "1001", d.PersonID)
	}
	assert.Equal(t, []string{"assessment_result.create", "assessment_result.update", "assessment_result.update", "scorecard.update"}, kinds)
	create := h.attempts(ds[0].ID)
	require.Len(t, create, 1)
	assert.Equal(t, "POST", create[0].Method)
	assert.Equal(t, 201, create[0].ResponseStatus)
	assert.Contains(t, create[0].RequestBody, `"assessmentstatus":{"id":"D37002019004"}`)
	card := h.attempts(ds[3].ID)
	require.Len(t, card, 1)
	assert.Contains(t, card[0].RequestBody, `"rcf3001":71.3`)
	for _, d := range ds {
		for _, a := range h.attempts(d.ID) {
			for _, secret := range []string{icimstest.BasicPassword(icimstest.CustomerUS), "Authorization", "Basic "} {
				assert.NotContains(t, a.RequestBody+a.ResponseBody+a.URL, secret)
			}
		}
	}
}

func TestWritebackInProgressSwitch(t *testing.T) {
	h := newWBHarness(t, wbOptions{})
	require.NoError(t, h.wb.SaveSettings(h.ctx, h.tenant.ID, assessments.WritebackSettings{InProgress: false}))
	c := h.invite(2)
	c.sent()
	c.settled()
	h.sim.ClearLog(icimstest.CustomerUS)
	c.start()
	c.settled()
	assert.Empty(t, h.calls(), "with In-Progress off, starting costs no call")
	assert.Equal(t, icimstest.AssessmentSent, c.rows()[0].AssessmentStatus)
}

func TestWritebackIncompleteWithAPlainReason(t *testing.T) {
	cases := []struct {
		name string
		to   assessments.InvitationStatus
		note string
	}{
		{"expired", assessments.StatusExpired, "link expired"},
		{"cancelled", assessments.StatusCancelled, "Cancelled in JobCannon"},
	}
	h := newWBHarness(t, wbOptions{})
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := h.invite(3 + i)
			c.sent()
			c.settled()
			c.transition(tc.to)
			wb := c.settled()
			assert.Equal(t, assessments.WritebackDone, wb.State, wb.Problem)
			rows := c.rows()
			require.Len(t, rows, 1)
			assert.Equal(t, icimstest.AssessmentIncomplete, rows[0].AssessmentStatus)
			assert.Contains(t, rows[0].Notes, tc.note)
		})
	}
}

// entryOf is the row's group id, the last segment of its Location.
func entryOf(location string) string { return location[strings.LastIndex(location, "/")+1:] }

// waitCalls waits until the simulator has seen n calls.
func (h *wbHarness) waitCalls(n int) {
	h.t.Helper()
	require.Eventually(h.t, func() bool { return len(h.calls()) >= n }, 30*time.Second, 10*time.Millisecond)
}
