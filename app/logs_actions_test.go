package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// liveInvitations counts the live invitations of a workflow.
func (e *logsEnv) liveInvitations(workflow int) int {
	e.t.Helper()
	return e.count(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND workflow_id = ?
		AND status NOT IN ('completed', 'expired', 'cancelled')`, e.tenant.ID, strconv.Itoa(workflow))
}

// redeliver presses Redeliver on a delivery's page, then on the
// confirmation it opens, and returns the page of the new delivery it lands on.
func (e *logsEnv) redeliver(id int64) (page, assessments.Delivery) {
	e.t.Helper()
	e.deliveryPage(id)
	confirm := e.b.get(e.app.URL + views.LogPath(id, "/redeliver"))
	require.Equal(e.t, http.StatusOK, confirm.Status, confirm.Body)
	p := e.b.submit(confirm, views.LogPath(id, "/redeliver"), nil)
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	newID, err := strconv.ParseInt(p.URL.Path[len(views.LogsPath)+1:], 10, 64)
	require.NoError(e.t, err, p.URL.Path)
	require.NotEqual(e.t, id, newID, "a redelivery is a delivery of its own")
	d, err := e.app.events.events.Delivery(context.Background(), e.tenant.ID, newID)
	require.NoError(e.t, err)
	return p, d
}

func TestLogsRedeliverReplaysTheEventAndKeepsOneLiveInvitation(t *testing.T) {
	e := newLogsEnv(t)
	ctx := context.Background()
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	first := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, first.Status, first.Message)
	require.Equal(t, 1, e.liveInvitations(icimstest.USWorkflow1))

	// The package is live: the replay is refused as iCIMS's duplicate, and
	// nothing new is sent.
	p, again := e.redeliver(first.ID)
	assert.Contains(t, htmlUnescape(p.Body), "Redelivered as delivery "+idString(again.ID)+". JobCannon answered 400")
	assert.Equal(t, assessments.DeliveryDuplicate, again.Status)
	assert.Equal(t, first.ID, again.RedeliveryOf)
	assert.Equal(t, 1, e.liveInvitations(icimstest.USWorkflow1))
	assert.Len(t, e.sendJobs(), 1)
	assert.Contains(t, htmlUnescape(p.Body), `href="`+views.LogPath(first.ID, "")+`"`, "the redelivery links to the first delivery")
	assert.Contains(t, htmlUnescape(p.Body), "Redelivered by ops@acme.example")

	// Once the invitation is cancelled, the replay sends a new one: still
	// only one live.
	_, err := e.app.invitations.Transition(ctx, e.tenant.ID, first.InvitationID, assessments.StatusCancelled, "test")
	require.NoError(t, err)
	_, third := e.redeliver(first.ID)
	require.Eventually(t, func() bool {
		d, err := e.app.events.events.Delivery(ctx, e.tenant.ID, third.ID)
		require.NoError(t, err)
		third = d
		return d.Status != assessments.DeliveryReceived
	}, 20*time.Second, 20*time.Millisecond)
	assert.Equal(t, assessments.DeliveryProcessed, third.Status, third.Message)
	assert.NotEqual(t, first.InvitationID, third.InvitationID)
	assert.Equal(t, 1, e.liveInvitations(icimstest.USWorkflow1))
	assert.Len(t, e.sendJobs(), 2)
}

func TestLogsRedeliverRunsAnIgnoredEventAgainOnceARuleExists(t *testing.T) {
	e := newEventsEnv(t)
	le := &logsEnv{eventsEnv: e}
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow3, icimstest.StatusAssessment).StatusCode)
	ignored := e.lastDelivery()
	require.Equal(t, assessments.DeliveryIgnored, ignored.Status, "no rule yet")

	le.ruleID = e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	_, d := le.redeliver(ignored.ID)
	require.Eventually(t, func() bool { d = e.lastDelivery(); return d.Status != assessments.DeliveryReceived }, 20*time.Second, 20*time.Millisecond)
	assert.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	assert.NotZero(t, d.InvitationID)
	assert.Equal(t, ignored.ID, d.RedeliveryOf)
}

func TestLogsRedeliverRefusesWhatCannotBeReplayed(t *testing.T) {
	e := newLogsEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	d := e.settled()
	inv := e.waitSent(d.InvitationID)
	var mail int64
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT delivery_id FROM invitation_emails WHERE invitation_id = ?`, inv.ID).Scan(&mail))
	p := e.deliveryPage(mail)
	assert.NotContains(t, p.Body, ">Redeliver</button>")
	assert.NotContains(t, p.Body, ">Retry now</button>")
	assert.Contains(t, htmlUnescape(p.Body), "Resend the e-mail from the invitation")
	r := e.b.submit(e.logsPage(""), views.LogPath(mail, "/redeliver"), nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, htmlUnescape(r.Body), "Not redelivered: Only events iCIMS sent can be redelivered.")
}

func TestLogsRetryNowAndRetryAllFailed(t *testing.T) {
	e := newWritebackEnv(t)
	first, second := e.invite(1), e.invite(2)
	for _, c := range []*wbCandidate{first, second} {
		c.sent()
		c.waitFor(assessments.WritebackDone)
	}
	// Without candidate_profile:write the scorecard fails for both.
	e.faults(icimstest.Faults{MissingScope: assessments.ScopeProfileWrite})
	for _, c := range []*wbCandidate{first, second} {
		c.startAndComplete(64, assessments.VerdictConsider)
		c.waitFor(assessments.WritebackFailed)
	}
	failed := func(c *wbCandidate) int64 {
		var id int64
		require.NoError(t, e.app.DB.R.QueryRow(`SELECT id FROM deliveries WHERE tenant_id = ? AND invitation_id = ? AND kind = ?
			AND status = 'failed' ORDER BY id DESC LIMIT 1`, e.tenant.ID, c.inv.ID, string(assessments.StepScorecard)).Scan(&id))
		return id
	}
	id := failed(first)

	le := &logsEnv{eventsEnv: &eventsEnv{t: t, app: e.app, b: e.b, tenant: e.tenant}}
	list := le.logsPage("result=failed")
	assert.Contains(t, rowIDs(list.Body), id)
	assert.Contains(t, htmlUnescape(tableOf(list.Body)), "HTTP 403")
	p := le.deliveryPage(id)
	body := htmlUnescape(p.Body)
	assert.Contains(t, body, "Candidate profile write failed (403)")
	assert.Contains(t, body, ">Retry now</button>")

	// Re-authorized with the permission, the admin presses Retry now here.
	e.faults(icimstest.Faults{})
	r := e.b.submit(p, views.LogPath(id, "/retry"), nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, r.Body, "Retrying now")
	first.waitFor(assessments.WritebackDone)
	assert.Equal(t, "64", first.person()[icimstest.FieldAssessmentScore])
	assert.Equal(t, assessments.WritebackFailed, second.writeback().State, "Retry now retried only this write")
	after := le.deliveryPage(id)
	assert.Contains(t, after.Body, "This write succeeded", "the delivery's own attempts show the success")

	r = e.b.submit(le.logsPage(""), views.LogsPath+"/retry-all", nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, r.Body, "Retrying 1 write now.")
	second.waitFor(assessments.WritebackDone)
	assert.Equal(t, "64", second.person()[icimstest.FieldAssessmentScore])
}

func TestLogsActionsNeedTheCSRFToken(t *testing.T) {
	e := newLogsEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	d := e.settled()
	for _, path := range []string{views.LogPath(d.ID, "/redeliver"), views.LogPath(d.ID, "/retry"), views.LogsPath + "/retry-all"} {
		p := e.b.post(e.app.URL+path, url.Values{})
		assert.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, p.Status, path)
	}
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM deliveries WHERE tenant_id = ? AND direction = 'inbound'`, e.tenant.ID),
		"nothing was redelivered")
}
