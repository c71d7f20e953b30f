package app

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/routes"
)

// redeliveriesOf counts the deliveries that replay delivery id.
func (e *logsEnv) redeliveriesOf(id int64) int {
	e.t.Helper()
	return e.count(`SELECT COUNT(*) FROM deliveries WHERE tenant_id = ? AND redelivery_of = ?`, e.tenant.ID, id)
}

func TestRedeliverOfACompletedCandidateAsksAndSendsNothingUntilChosen(t *testing.T) {
	e := newLogsEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	first := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, first.Status, first.Message)
	e.complete(e.waitSent(first.InvitationID))
	require.Len(t, e.sendJobs(), 1)

	// The delivery's Redeliver button opens the confirmation; that sends nothing.
	confirm := e.b.get(e.app.URL + routes.LogsRedeliverConfirm(first.ID))
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	body := htmlUnescape(confirm.Body)
	assert.Contains(t, body, "completed this application's assessment on")
	assert.Contains(t, body, "e-mails them a new invitation and adds a second Sent row in iCIMS")
	assert.Contains(t, body, "Invite again anyway")
	assert.Zero(t, e.redeliveriesOf(first.ID))

	// Redeliver without the choice: asked again, nothing replayed or sent.
	refused := e.b.submit(confirm, routes.LogsRedeliver(first.ID), nil)
	assert.Equal(t, http.StatusConflict, refused.Status, refused.Body)
	assert.Contains(t, htmlUnescape(refused.Body), "Nothing was redelivered.")
	assert.Contains(t, htmlUnescape(refused.Body), "Invite again anyway")
	assert.Zero(t, e.redeliveriesOf(first.ID))
	assert.Len(t, e.sendJobs(), 1)
	assert.Equal(t, assessments.StatusCompleted, e.invitation(first.InvitationID).Status)

	// With the explicit choice, the event is replayed and a new invitation sent.
	p := e.b.submit(confirm, routes.LogsRedeliver(first.ID), url.Values{"invite_again": {"yes"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, htmlUnescape(p.Body), "Redelivered as delivery")
	assert.Equal(t, 1, e.redeliveriesOf(first.ID))
	require.Eventually(t, func() bool { return len(e.sendJobs()) == 2 }, 20*time.Second, 20*time.Millisecond)
}

func TestRedeliverOfALiveInvitationConfirmsWithoutTheChoice(t *testing.T) {
	e := newLogsEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	first := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, first.Status, first.Message)

	assert.Contains(t, e.deliveryPage(first.ID).Body, `action="`+routes.LogsRedeliverConfirm(first.ID)+`"`)
	confirm := e.b.get(e.app.URL + routes.LogsRedeliverConfirm(first.ID))
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, htmlUnescape(confirm.Body), "A package already live for the application is not sent twice.")
	assert.NotContains(t, confirm.Body, "Invite again anyway")
	assert.Zero(t, e.redeliveriesOf(first.ID), "asking sends nothing")
}

var seenToken = regexp.MustCompile(`name="seen" value="([^"]+)"`)

func TestResendAsksFirstAndADoubleSubmitSendsOnce(t *testing.T) {
	e := newEmailEnv(t, nil)
	wid := e.newApplication("Dana", "Double", "dana@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	require.Len(t, e.smtp.Wait(1, 20*time.Second), 1)
	inv = e.waitStatus(inv.ID, assessments.StatusSent)

	show := e.b.get(e.app.URL + routes.InvitationShow(inv.ID))
	require.Equal(t, http.StatusOK, show.Status, show.Body)
	assert.Contains(t, show.Body, `action="`+routes.InvitationResendConfirm(inv.ID)+`"`)
	confirm := e.b.get(e.app.URL + routes.InvitationResendConfirm(inv.ID))
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, htmlUnescape(confirm.Body), "e-mails Dana Double (dana@example.org) the invitation again, with the same link")
	assert.Empty(t, e.jobsOf("resend_invitation"), "asking sends nothing")
	require.Len(t, seenToken.FindStringSubmatch(confirm.Body), 2)

	// A double click: the same form twice.
	once := e.b.submit(confirm, routes.InvitationResend(inv.ID), nil)
	require.Equal(t, http.StatusOK, once.Status, once.Body)
	assert.Contains(t, once.Body, "being sent again")
	twice := e.b.submit(confirm, routes.InvitationResend(inv.ID), nil)
	require.Equal(t, http.StatusOK, twice.Status, twice.Body)
	assert.Contains(t, twice.Body, "this second submit sent nothing")
	assert.Len(t, e.jobsOf("resend_invitation"), 1)
	require.Len(t, e.smtp.Wait(2, 20*time.Second), 2)
	require.Eventually(t, func() bool { return e.invitation(inv.ID).SentCount == 2 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	assert.Len(t, e.smtp.Received(), 2, "one resend e-mail")
}
