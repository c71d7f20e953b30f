package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// writebackEnv is the whole service with the US sandbox customer connected
// and an admin signed in (newAdminEnv), and a Big Five package whose overall score
// and verdict go to the seeded scorecard fields rcf3001 and rcf3002.
type writebackEnv struct {
	t      *testing.T
	ctx    context.Context
	app    *testApp
	b      *browser
	tenant assessments.Tenant
	pkg    assessments.Package
}

func newWritebackEnv(t *testing.T) *writebackEnv {
	t.Helper()
	return writebackEnvSignedIn(t, signInAdmin)
}

// newInstalledWritebackEnv is newWritebackEnv installed by OAuth from the
// sandbox Marketplace, for the tests of an OAuth tenant's token.
func newInstalledWritebackEnv(t *testing.T) *writebackEnv {
	t.Helper()
	return writebackEnvSignedIn(t, installAndSignIn)
}

func writebackEnvSignedIn(t *testing.T, signIn signInFunc) *writebackEnv {
	t.Helper()
	ctx := context.Background()
	e := newAdminEnv(t, newTestApp(t), signIn, assessments.Package{Name: "Big Five", InstrumentIDs: []string{"big-five-work"},
		AssessmentTypeID: icimstest.AssessmentBigFive, AssessmentTypeName: "Big Five Work Personality",
		Scorecard: []assessments.ScorecardMapping{
			{Field: icimstest.FieldAssessmentScore, Source: assessments.SourceOverall},
			{Field: icimstest.FieldAssessmentVerdict, Source: assessments.SourceVerdict},
		}})
	return &writebackEnv{t: t, ctx: ctx, app: e.app, b: e.b, tenant: e.tenant, pkg: e.pkg[icimstest.AssessmentBigFive]}
}

// wbCandidate is one invitation followed through its lifecycle.
type wbCandidate struct {
	e   *writebackEnv
	inv assessments.Invitation
	wid int
	pid int
}

// invite creates an invitation for seeded US application n (1–12), as an
// event would, through the service's own invitation store.
func (e *writebackEnv) invite(n int) *wbCandidate {
	e.t.Helper()
	wid, pid, jid := icimstest.USWorkflow1+n-1, icimstest.USPerson1+n-1, icimstest.USJob1+(n-1)%3
	inv, _, err := e.app.invitations.Create(e.ctx, assessments.NewInvitation{TenantID: e.tenant.ID, PackageID: e.pkg.ID,
		WorkflowID: strconv.Itoa(wid), PersonID: strconv.Itoa(pid), JobID: strconv.Itoa(jid),
		CandidateFirstName: "Cand", CandidateLastName: strconv.Itoa(n), CandidateEmail: "cand" + strconv.Itoa(n) + "@example.com"})
	require.NoError(e.t, err)
	return &wbCandidate{e: e, inv: inv, wid: wid, pid: pid}
}

// sent is what the e-mail worker does once the invitation e-mail is out.
func (c *wbCandidate) sent() {
	c.e.t.Helper()
	_, err := c.e.app.invitations.MarkSent(c.e.ctx, c.e.tenant.ID, c.inv.ID)
	require.NoError(c.e.t, err)
}

// start is the candidate opening the link and giving consent.
func (c *wbCandidate) start() {
	c.e.t.Helper()
	for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress} {
		_, err := c.e.app.invitations.Transition(c.e.ctx, c.e.tenant.ID, c.inv.ID, s, "test")
		require.NoError(c.e.t, err)
	}
}

// complete is the candidate submitting: the result commits with the
// completion.
func (c *wbCandidate) complete(overall float64, verdict string) {
	c.e.t.Helper()
	now := time.Now().UTC()
	_, err := c.e.app.results.Complete(c.e.ctx, assessments.PackageResult{TenantID: c.e.tenant.ID, InvitationID: c.inv.ID,
		Overall: overall, Verdict: verdict, Summary: "Openness 70, Conscientiousness 64.", StartedAt: now.Add(-12 * time.Minute),
		CompletedAt: now})
	require.NoError(c.e.t, err)
}

// startAndComplete is a candidate who finishes at once.
func (c *wbCandidate) startAndComplete(overall float64, verdict string) {
	c.e.t.Helper()
	c.start()
	c.complete(overall, verdict)
}

func (c *wbCandidate) writeback() assessments.Writeback {
	c.e.t.Helper()
	wb, err := c.e.app.writeback.store.Writeback(c.e.ctx, c.e.tenant.ID, c.inv.ID)
	require.NoError(c.e.t, err)
	return wb
}

// waitFor waits until the invitation's write-back is in state s and no job
// owns it any more, unless s is a state a job holds (waiting, retrying).
func (c *wbCandidate) waitFor(s assessments.WritebackState) assessments.Writeback {
	c.e.t.Helper()
	var wb assessments.Writeback
	ok := assert.Eventually(c.e.t, func() bool {
		wb = c.writeback()
		held := s == assessments.WritebackWaiting || s == assessments.WritebackRetrying
		return wb.State == s && (held || wb.JobID == 0)
	}, 30*time.Second, 20*time.Millisecond)
	if !ok {
		rows, _ := c.e.app.DB.R.Query(`SELECT id, kind, state, attempt, scheduled_at, errors FROM river_job ORDER BY id`)
		for rows.Next() {
			var id, attempt int
			var kind, state, errs string
			var at time.Time
			_ = rows.Scan(&id, &kind, &state, &attempt, &at, &errs)
			c.e.t.Logf("job %d %s %s attempt %d at %s %s", id, kind, state, attempt, at, errs)
		}
		rows.Close()
		c.e.t.Fatalf("the write-back did not reach %s: it is %s (%s), job %d", s, wb.State, wb.Problem, wb.JobID)
	}
	return wb
}

func (c *wbCandidate) rows() []icimstest.Result {
	c.e.t.Helper()
	rows, err := c.e.app.sim.Results(icimstest.CustomerUS, c.wid)
	require.NoError(c.e.t, err)
	return rows
}

func (c *wbCandidate) person() map[string]string {
	c.e.t.Helper()
	f, err := c.e.app.sim.PersonFields(icimstest.CustomerUS, c.pid)
	require.NoError(c.e.t, err)
	return f
}

func (e *writebackEnv) faults(f icimstest.Faults) {
	e.t.Helper()
	require.NoError(e.t, e.app.sim.SetFaults(icimstest.CustomerUS, f))
}

// problemsPage is the admin's write-back problems page.
func (e *writebackEnv) problemsPage() page {
	e.t.Helper()
	p := e.b.get(e.app.URL + "/admin/writeback")
	require.Equal(e.t, 200, p.Status, p.Body)
	return p
}
