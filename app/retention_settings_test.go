package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

func (e *logsEnv) settings() page {
	e.t.Helper()
	p := e.b.get(e.app.URL + "/admin/settings")
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	return p
}

func TestSettingsShowResidencyAndTakeARetentionOverride(t *testing.T) {
	e := newLogsEnv(t)
	p := e.settings()
	body := htmlUnescape(p.Body)
	assert.Contains(t, body, "US (api.icims.com)")
	assert.Contains(t, body, "login.icims.com")
	assert.Contains(t, body, "90 days</strong>")
	assert.Contains(t, body, "(the default)")

	for _, bad := range []string{"3", "4000", "ninety"} {
		r := e.b.submit(p, "/admin/settings/retention", url.Values{"days": {bad}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.Status, bad)
		assert.Contains(t, r.Body, `aria-invalid="true"`, bad)
	}
	assert.Contains(t, e.settings().Body, "90 days</strong>", "a refused value changes nothing")

	r := e.b.submit(p, "/admin/settings/retention", url.Values{"days": {"30"}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, r.Body, "Saved. Candidate data is kept for 30 days")
	assert.Contains(t, r.Body, "30 days</strong>")
	assert.NotContains(t, r.Body, "(the default)")
}

func TestRetentionJobPurgesOldDataAndTheAdminSeesIt(t *testing.T) {
	e := newLogsEnv(t)
	ctx := context.Background()
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	old := e.settled()
	e.waitSent(old.InvitationID)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow2, icimstest.StatusAssessment).StatusCode)
	recent := e.settled()
	e.waitSent(recent.InvitationID)
	require.Eventually(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM writebacks WHERE tenant_id = ? AND written = 'sent' AND job_id IS NULL`, e.tenant.ID) == 2
	}, 20*time.Second, 20*time.Millisecond, "both rows written")

	// The run River queues at start must be over before records age: a run
	// still going would hold the unique slot the run below needs, and would
	// have read the records before they aged.
	require.Eventually(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'retention_purge' AND state = 'completed'`) >= 1 &&
			e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'retention_purge' AND state NOT IN ('completed', 'cancelled', 'discarded')`) == 0
	}, 20*time.Second, 20*time.Millisecond, "the start-up retention run finished")

	// The first application's records are 40 days old; the policy is 30.
	r := e.b.submit(e.settings(), "/admin/settings/retention", url.Values{"days": {"30"}})
	require.Equal(t, http.StatusOK, r.Status)
	aged := time.Now().UTC().AddDate(0, 0, -40)
	for _, q := range []string{
		`UPDATE invitations SET created_at = ?1, updated_at = ?1, expires_at = ?1 WHERE tenant_id = ?2 AND workflow_id = '3001'`,
		`UPDATE deliveries SET created_at = ?1 WHERE tenant_id = ?2 AND workflow_id = '3001'`,
		`UPDATE dev_mailbox SET created_at = ?1 WHERE tenant_id = ?2 AND invitation_id = ` + idString(old.InvitationID),
	} {
		_, err := e.app.DB.W.Exec(q, aged, e.tenant.ID)
		require.NoError(t, err)
	}
	inboundBefore := e.count(`SELECT COUNT(*) FROM deliveries WHERE tenant_id = ?`, e.tenant.ID)

	// The periodic job is scheduled on the queue; run it now.
	res, err := e.app.events.queue.Insert(ctx, jobargs.RetentionArgs{}, nil)
	require.NoError(t, err)
	require.False(t, res.UniqueSkippedAsDuplicate, "no other retention run is queued")
	require.Eventually(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM retention_purges WHERE tenant_id = ?`, e.tenant.ID) == 1
	}, 20*time.Second, 20*time.Millisecond, "the retention job ran")

	gone := e.invitation(old.InvitationID)
	assert.Empty(t, gone.CandidateEmail+gone.CandidateFirstName+gone.CandidateLastName)
	assert.Equal(t, assessments.StatusSent, gone.Status, "the row and its status stay")
	kept := e.invitation(recent.InvitationID)
	assert.NotEmpty(t, kept.CandidateEmail, "the recent one is untouched")
	assert.Equal(t, inboundBefore, e.count(`SELECT COUNT(*) FROM deliveries WHERE tenant_id = ?`, e.tenant.ID), "deliveries are counted still")
	assert.Zero(t, e.count(`SELECT COUNT(*) FROM dev_mailbox WHERE invitation_id = ?`, old.InvitationID))
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM dev_mailbox WHERE invitation_id = ?`, recent.InvitationID))

	body := htmlUnescape(e.settings().Body)
	assert.Contains(t, body, "Last run ")
	assert.Contains(t, body, "1 invitations emptied")
	assert.Contains(t, body, "mailbox e-mails deleted")
	assert.Contains(t, body, "(30 days)")

	p := e.deliveryPage(old.ID)
	assert.Contains(t, p.Body, "Retention deleted this delivery")
	assert.NotContains(t, p.Body, ">Redeliver</button>")
	assert.Contains(t, htmlUnescape(p.Body), "Retention deleted this event")
	assert.Contains(t, rowIDs(e.logsPage(url.Values{"candidate": {"3001"}}.Encode()).Body), old.ID, "the delivery is still listed")
	assert.NotContains(t, e.deliveryPage(recent.ID).Body, "Retention deleted")
}
