package app

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// An admin's actions on an invitation are bounded: a deadline cannot be
// moved to the end of time, and Resend pressed ten times sends one e-mail,
// with the page saying when the next is possible.
func TestHostileInvitationActionsAreBounded(t *testing.T) {
	e := newEmailEnv(t, nil)
	wid := e.newApplication("Rhea", "Repeat", "rhea@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	require.Len(t, e.smtp.Wait(1, 20*time.Second), 1)
	inv = e.waitStatus(inv.ID, assessments.StatusSent)
	at := e.app.URL + "/admin/invitations/" + strconv.FormatInt(inv.ID, 10)

	for _, until := range []string{"9999-12-31", time.Now().UTC().AddDate(0, 0, 92).Format("2006-01-02")} {
		p := e.b.submit(e.b.get(at), at+"/extend", url.Values{"until": {until}})
		assert.Equal(t, http.StatusUnprocessableEntity, p.Status, until)
		assert.Contains(t, p.Body, "at most 90 days from now", until)
	}
	assert.Equal(t, inv.ExpiresAt, e.invitation(inv.ID).ExpiresAt, "the deadline did not move")

	statuses := map[int]int{}
	var last page
	for range 10 {
		last = e.b.submit(e.b.get(at), at+"/resend", nil)
		statuses[last.Status]++
	}
	assert.Equal(t, map[int]int{http.StatusOK: 1, http.StatusTooManyRequests: 9}, statuses)
	assert.Contains(t, last.Body, "The next resend is possible after")
	(&hostileEnv{eventsEnv: e.eventsEnv}).settleJobs()
	assert.Len(t, e.smtp.Received(), 2, "the first e-mail and one resend")
	assert.Contains(t, e.b.get(at).Body, "The next resend is possible after", "the page says when")
}

// An e-mail marked a possible duplicate (sent again after an interrupted
// attempt, see jobs' TestSendAfterAnInterruptedAttemptIsMarkedAPossibleDuplicate)
// says so on the invitation page and on the logs page.
func TestPossibleDuplicateEmailIsShown(t *testing.T) {
	e := newEmailEnv(t, nil)
	wid := e.newApplication("Dana", "Double", "dana@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	require.Len(t, e.smtp.Wait(1, 20*time.Second), 1)
	inv = e.waitStatus(inv.ID, assessments.StatusSent)
	// What the retry after a killed attempt records (the jobs test drives
	// the real path).
	_, err := e.app.DB.W.Exec(`UPDATE invitation_emails SET possible_duplicate = TRUE WHERE invitation_id = ?`, inv.ID)
	require.NoError(t, err)
	_, err = e.app.DB.W.Exec(`UPDATE deliveries SET message = message || ' ' || ? WHERE invitation_id = ? AND kind = 'email'`,
		assessments.PossibleDuplicateNote, inv.ID)
	require.NoError(t, err)

	p := e.b.get(e.app.URL + "/admin/invitations/" + strconv.FormatInt(inv.ID, 10))
	require.Equal(t, http.StatusOK, p.Status)
	assert.Contains(t, p.Body, "possible duplicate")
	assert.Contains(t, p.Body, "Sent again after an interrupted attempt; the candidate may have two copies.")
	logs := e.b.get(e.app.URL + "/admin/integrations/icims/logs")
	require.Equal(t, http.StatusOK, logs.Status)
	assert.Contains(t, logs.Body, "Sent again after an interrupted attempt; the candidate may have two copies.")
}
