package app

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

func TestWritebackWaitsForReauthorizationAndResumesByItself(t *testing.T) {
	e := newInstalledWritebackEnv(t)
	// The token JobCannon holds stops working (as when it expires or the
	// customer revokes it): every write is refused with 401, code 6.
	e.faults(icimstest.Faults{RevokeTokens: true})
	c := e.invite(1)
	c.sent()
	wb := c.waitFor(assessments.WritebackWaiting)
	assert.Equal(t, http.StatusUnauthorized, wb.HTTPStatus)
	tenant, err := e.app.tenants.Tenant(e.ctx, e.tenant.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantNeedsReauth, tenant.Status, "the 401 marks the tenant")
	assert.Empty(t, c.rows())

	// Writes that come later wait too, without a call.
	other := e.invite(2)
	other.sent()
	other.waitFor(assessments.WritebackWaiting)

	body := htmlUnescape(e.problemsPage().Body)
	assert.Contains(t, body, "OAuth token expired")
	assert.Contains(t, body, "Re-authorize JobCannon from the iCIMS Marketplace")
	assert.Contains(t, body, "Waiting")

	// The admin re-authorizes from the Marketplace (new tokens work): the
	// waiting writes go out by themselves, nobody presses Retry.
	p := approve(t, e.b, consent(t, e.app, e.b), allScopes)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	for _, cand := range []*wbCandidate{c, other} {
		wb := cand.waitFor(assessments.WritebackDone)
		assert.Empty(t, wb.Problem)
		rows := cand.rows()
		require.Len(t, rows, 1)
		assert.Equal(t, icimstest.AssessmentSent, rows[0].AssessmentStatus)
	}
	assert.Contains(t, e.problemsPage().Body, "Nothing is waiting")
}

func TestWritebackMissingProfileWritePermission(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(3)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	// The authorization lacks candidate_profile:write: the result row (which
	// needs assessment_delivery:write) is written, the scorecard is not.
	e.faults(icimstest.Faults{MissingScope: assessments.ScopeProfileWrite})
	c.startAndComplete(64, assessments.VerdictConsider)
	wb := c.waitFor(assessments.WritebackFailed)
	assert.Equal(t, http.StatusForbidden, wb.HTTPStatus)
	assert.Equal(t, icimstest.AssessmentComplete, c.rows()[0].AssessmentStatus, "the Complete row does not wait for the scorecard")
	assert.NotContains(t, c.person(), icimstest.FieldAssessmentScore)

	body := htmlUnescape(e.problemsPage().Body)
	assert.Contains(t, body, "Candidate profile write failed (403)")
	assert.Contains(t, body, "Re-authorize JobCannon from the iCIMS Marketplace and approve every permission")

	// Re-authorized with the permission, the admin presses Retry now.
	e.faults(icimstest.Faults{})
	p := e.b.submit(e.problemsPage(), "/admin/writeback/"+strconv.FormatInt(c.inv.ID, 10)+"/retry", nil)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Retrying now")
	c.waitFor(assessments.WritebackDone)
	assert.Equal(t, "64", c.person()[icimstest.FieldAssessmentScore])
}

func TestWritebackScorecardFieldNotFound(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(4)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	// rcf3001 was deleted in iCIMS after the mapping was saved.
	e.faults(icimstest.Faults{DeletedFields: []string{icimstest.FieldAssessmentScore}})
	c.startAndComplete(71.5, assessments.VerdictRecommended)
	wb := c.waitFor(assessments.WritebackFailed)
	assert.Equal(t, assessments.StatusCompleted, wb.Written)
	rows := c.rows()
	require.Len(t, rows, 1)
	assert.Equal(t, icimstest.AssessmentComplete, rows[0].AssessmentStatus, "the rest of the result is still written")
	require.NotNil(t, rows[0].Score)
	assert.Equal(t, assessments.VerdictRecommended, c.person()[icimstest.FieldAssessmentVerdict], "and the other mapped field")

	body := htmlUnescape(e.problemsPage().Body)
	assert.Contains(t, body, "Scorecard field not found: iCIMS has no field rcf3001")
	assert.Contains(t, body, "Create the field rcf3001 in iCIMS, or change the package's scorecard mapping")

	// The field is created again in iCIMS; Retry all failed writes it.
	e.faults(icimstest.Faults{})
	p := e.b.submit(e.problemsPage(), "/admin/writeback/retry-all", nil)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Retrying 1 write now")
	c.waitFor(assessments.WritebackDone)
	assert.Equal(t, "71.5", c.person()[icimstest.FieldAssessmentScore])
}

func TestWritebackRequiredFieldIsNamed(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(5)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	// The customer made Middle Name required: iCIMS refuses any PATCH of a
	// person on whom it is empty (code 1).
	e.faults(icimstest.Faults{RequiredField: "middlename"})
	c.startAndComplete(50, assessments.VerdictConsider)
	wb := c.waitFor(assessments.WritebackFailed)
	assert.Equal(t, icimstest.AssessmentComplete, c.rows()[0].AssessmentStatus)
	assert.Equal(t, 1, wb.ICIMSCode)
	body := htmlUnescape(e.problemsPage().Body)
	assert.Contains(t, body, "iCIMS requires the field middlename")
	assert.Contains(t, body, "Fill in middlename on the candidate in iCIMS")
}

func TestWritebackRetryOfAnotherTenantsWriteIsNotFound(t *testing.T) {
	e := newWritebackEnv(t)
	// Another tenant with an invitation whose write-back exists.
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	other, err := storage.SeedSandboxInvitation(e.ctx, e.app.invitations, storage.NewCatalogStore(e.app.DB, assessments.SystemClock{}), lib,
		storage.SandboxSeed{CustomerID: "4242"})
	require.NoError(t, err)
	_, err = e.app.invitations.MarkSent(e.ctx, other.TenantID, other.Invitation.ID)
	require.NoError(t, err)
	var n int
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT COUNT(*) FROM writebacks WHERE invitation_id = ?`, other.Invitation.ID).Scan(&n))
	require.Equal(t, 1, n)

	p := e.b.submit(e.problemsPage(), "/admin/writeback/"+strconv.FormatInt(other.Invitation.ID, 10)+"/retry", nil)
	assert.Equal(t, http.StatusNotFound, p.Status)
	p = e.b.submit(e.problemsPage(), "/admin/writeback/not-a-number/retry", url.Values{})
	assert.Equal(t, http.StatusNotFound, p.Status)
}
