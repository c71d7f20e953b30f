package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestEventsCallsPerCandidateOfOneJob moves candidates of one job through
// the whole path (event, e-mail, Sent, In-Progress, Complete, scorecard)
// and counts the service's iCIMS calls by call: the job's title is read
// once for the job, the candidate's name comes with the e-mail in the one
// person read, and the writes are the four the contract asks for.
func TestEventsCallsPerCandidateOfOneJob(t *testing.T) {
	const candidates = 8
	e := newWritebackEnv(t)
	form := url.Values{"enabled": {"true"}, "jobs": {"all"}, "name": {"Assessment stage"}, "mode": {"auto"},
		"to_0": {icimstest.StatusAssessment}, "package_id": {strconv.FormatInt(e.pkg.ID, 10)}}
	p := e.b.submit(e.b.get(e.app.URL+"/admin/rules/new"), "/admin/rules", form)
	require.Equal(t, "/admin/rules", p.URL.Path, p.Body)

	cid := icimstest.CustomerUS
	client, err := icims.New(icims.Config{CustomerID: cid, BaseURL: e.app.sim.APIBase(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	workflows := make([]int, 0, candidates)
	for i := range candidates {
		pid, err := e.app.sim.AddPerson(cid, map[string]any{"firstname": "Pat", "lastname": "Number " + strconv.Itoa(i),
			"email": "pat" + strconv.Itoa(i) + "@example.com"})
		require.NoError(t, err)
		id, _, err := client.CreateApplicantWorkflow(context.Background(), icims.NewApplicantWorkflow{
			JobID: strconv.Itoa(icimstest.USJob1), PersonID: strconv.Itoa(pid), StatusID: icimstest.StatusNewSubmission})
		require.NoError(t, err)
		wid, err := strconv.Atoi(id)
		require.NoError(t, err)
		workflows = append(workflows, wid)
	}
	e.app.sim.ClearLog(cid)

	for _, wid := range workflows {
		res, err := e.app.sim.MoveWorkflow(context.Background(), cid, wid, icimstest.StatusAssessment, 0)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	}
	invs := waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusSent && wb.JobID == 0
	})
	for _, inv := range invs {
		assert.Equal(t, "Account Executive", inv.JobTitle, "invitation %d", inv.ID)
		assert.Equal(t, "Pat", inv.CandidateFirstName, "invitation %d", inv.ID)
		(&wbCandidate{e: e, inv: inv}).start()
	}
	invs = waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusInProgress && wb.JobID == 0
	})
	for _, inv := range invs {
		(&wbCandidate{e: e, inv: inv}).complete(70, assessments.VerdictRecommended)
	}
	waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusCompleted && wb.Scorecard == "done" && wb.JobID == 0
	})

	calls := e.app.sim.Calls(cid)
	t.Logf("%d candidates of one job: %s", candidates, bench.CallsPerCandidate(calls, candidates))
	assert.Equal(t, map[string]int{
		"GET people":   candidates,     // name and e-mail, in one read
		"GET jobs":     1,              // the title, once for the job
		"POST row":     candidates,     // Sent
		"PATCH row":    2 * candidates, // In-Progress, Complete
		"PATCH people": candidates,     // the scorecard
	}, bench.CallsByName(calls))
}
