package app

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestWritebackCallsPerCandidate runs candidates through the real path:
// the recruiter moves each into the assessment stage in iCIMS, the event
// is processed by a rule, the invitation is e-mailed (the e-mail worker
// marks it sent), the candidate starts and completes, and the write-back
// brings iCIMS up to date. It counts every iCIMS call the service made.
func TestWritebackCallsPerCandidate(t *testing.T) {
	const candidates = 51 // 17 on each of the three seeded jobs
	e := newWritebackEnv(t)
	form := url.Values{"enabled": {"true"}, "jobs": {"all"}, "name": {"Assessment stage"}, "mode": {"auto"},
		"to_0": {icimstest.StatusAssessment}, "package_id": {strconv.FormatInt(e.pkg.ID, 10)}}
	p := e.b.submit(e.b.get(e.app.URL+"/admin/rules/new"), "/admin/rules", form)
	require.Equal(t, "/admin/rules", p.URL.Path, p.Body)

	workflows := make([]int, 0, candidates)
	for n := range 12 {
		workflows = append(workflows, icimstest.USWorkflow1+n)
	}
	workflows = append(workflows, addApplications(t, e.app, candidates-12)...)
	e.app.sim.ClearLog(icimstest.CustomerUS)

	for _, wid := range workflows {
		res, err := e.app.sim.MoveWorkflow(context.Background(), icimstest.CustomerUS, wid, icimstest.StatusAssessment, 0)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	}
	// Every invitation is e-mailed and its Sent row written.
	invs := waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusSent && wb.JobID == 0
	})
	// Candidates take minutes: In-Progress is written before they finish.
	for _, inv := range invs {
		(&wbCandidate{e: e, inv: inv}).start()
	}
	invs = waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusInProgress && wb.JobID == 0
	})
	for i, inv := range invs {
		(&wbCandidate{e: e, inv: inv}).complete(40+float64(i%50), assessments.VerdictConsider)
	}
	waitInvitations(t, e, candidates, func(inv assessments.Invitation, wb assessments.Writeback) bool {
		return wb.Written == assessments.StatusCompleted && wb.Scorecard == "done" && wb.JobID == 0
	})

	calls := e.app.sim.Calls(icimstest.CustomerUS)
	byKind := map[string]int{}
	writes := 0
	for _, c := range calls {
		k := callKind(c)
		byKind[k]++
		if c.Method != http.MethodGet {
			writes++
		}
		assert.NotEqual(t, http.StatusTooManyRequests, c.Status)
	}
	var kinds []string
	for k, n := range byKind {
		kinds = append(kinds, k+": "+strconv.Itoa(n))
	}
	sort.Strings(kinds)
	perCandidate := float64(len(calls)) / candidates
	t.Logf("%d candidates on 3 jobs: %d iCIMS calls, %.2f per candidate (%d writes, %.2f per candidate); %s",
		candidates, len(calls), perCandidate, writes, float64(writes)/candidates, strings.Join(kinds, ", "))
	assert.Equal(t, 4*candidates, writes, "Sent, In-Progress, Complete and the scorecard: four writes per candidate")
	assert.LessOrEqual(t, perCandidate, 6.0, "reads are cached or not made")
}

// callKind names a simulator call by method and resource, ids left out.
func callKind(c icimstest.Call) string {
	_, rest, _ := strings.Cut(c.Path, "/customers/")
	parts := strings.Split(rest, "/")
	var out []string
	for i, p := range parts {
		if i == 0 {
			continue // the customer id
		}
		if _, err := strconv.Atoi(p); err == nil {
			p = "{id}"
		}
		out = append(out, p)
	}
	return c.Method + " /" + strings.Join(out, "/")
}

// addApplications creates n more candidates on the seeded jobs in the
// sandbox, as recruiters would, and returns their applicant workflows.
func addApplications(t *testing.T, app *testApp, n int) []int {
	t.Helper()
	cid := icimstest.CustomerUS
	client, err := icims.New(icims.Config{CustomerID: cid, BaseURL: app.sim.APIBase(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	out := make([]int, 0, n)
	for i := range n {
		pid, err := app.sim.AddPerson(cid, map[string]any{"firstname": "Test", "lastname": "Candidate " + strconv.Itoa(i),
			"email": "test.candidate" + strconv.Itoa(i) + "@example.com"})
		require.NoError(t, err)
		id, _, err := client.CreateApplicantWorkflow(context.Background(), icims.NewApplicantWorkflow{
			JobID: strconv.Itoa(icimstest.USJob1 + i%3), PersonID: strconv.Itoa(pid), StatusID: icimstest.StatusNewSubmission})
		require.NoError(t, err)
		wid, err := strconv.Atoi(id)
		require.NoError(t, err)
		out = append(out, wid)
	}
	return out
}

// waitInvitations waits until the tenant has n invitations and done holds
// for each, and returns them.
func waitInvitations(t *testing.T, e *writebackEnv, n int, done func(assessments.Invitation, assessments.Writeback) bool) []assessments.Invitation {
	t.Helper()
	var invs []assessments.Invitation
	ok := assert.Eventually(t, func() bool {
		invs = invs[:0]
		rows, err := e.app.DB.R.Query(`SELECT id FROM invitations WHERE tenant_id = ? ORDER BY id`, e.tenant.ID)
		require.NoError(t, err)
		var ids []int64
		for rows.Next() {
			var id int64
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) != n {
			return false
		}
		for _, id := range ids {
			inv, err := e.app.invitations.Invitation(e.ctx, e.tenant.ID, id)
			require.NoError(t, err)
			wb, err := e.app.writeback.store.Writeback(e.ctx, e.tenant.ID, id)
			if err != nil || !done(inv, wb) {
				return false
			}
			invs = append(invs, inv)
		}
		return true
	}, 90*time.Second, 100*time.Millisecond)
	require.True(t, ok, "the invitations did not get there: %d of %d", len(invs), n)
	return invs
}

func TestWritebackInProgressCanBeSwitchedOff(t *testing.T) {
	e := newWritebackEnv(t)
	p := e.problemsPage()
	assert.Contains(t, p.Body, `name="in_progress" value="true" checked`, "on by default")
	p = e.b.submit(p, "/admin/writeback/settings", url.Values{})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "rows stay Sent until the candidate finishes")
	assert.NotContains(t, p.Body, `name="in_progress" value="true" checked`)

	c := e.invite(6)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	before := len(e.app.sim.Calls(icimstest.CustomerUS))
	c.start()
	c.waitFor(assessments.WritebackDone)
	assert.Len(t, e.app.sim.Calls(icimstest.CustomerUS), before, "starting costs no call")
	assert.Equal(t, icimstest.AssessmentSent, c.rows()[0].AssessmentStatus)
}
