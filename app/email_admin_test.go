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
	"github.com/jobcannon/jobcannon/storage"
)

func TestAdminResendExtendAndCancel(t *testing.T) {
	e := newEmailEnv(t, nil)
	wid := e.newApplication("Robin", "Resend", "robin@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	first := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, first, 1)
	inv = e.waitStatus(inv.ID, assessments.StatusSent)
	page := e.app.URL + "/admin/invitations/" + strconv.FormatInt(inv.ID, 10)

	// The list finds it by status and by name.
	for _, q := range []string{"?status=sent", "?q=robin", "?q=ROBIN%40example", "", "?page=99"} {
		p := e.b.get(e.app.URL + "/admin/invitations" + q)
		require.Equal(t, http.StatusOK, p.Status, p.Body)
		assert.Contains(t, p.Body, "Robin Resend", q)
	}
	assert.NotContains(t, e.b.get(e.app.URL+"/admin/invitations?status=cancelled").Body, "Robin Resend")
	assert.NotContains(t, e.b.get(e.app.URL+"/admin/invitations?q=nobody").Body, "Robin Resend")

	// Resend: the same link in a new e-mail, counted.
	p := e.b.get(page)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	p = e.b.submit(p, page+"/resend", nil)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "being sent again")
	got := e.smtp.Wait(2, 20*time.Second)
	require.Len(t, got, 2)
	firstMail, again := parseMail(t, first[0].Data), parseMail(t, got[1].Data)
	assert.Equal(t, candidateLink.FindString(firstMail.Text), candidateLink.FindString(again.Text), "same link")
	assert.NotEqual(t, firstMail.Header.Get("Message-ID"), again.Header.Get("Message-ID"), "a new e-mail")
	require.Eventually(t, func() bool { return e.invitation(inv.ID).SentCount == 2 }, 10*time.Second, 20*time.Millisecond)
	assert.Equal(t, assessments.StatusSent, e.invitation(inv.ID).Status)

	// Extend: at least a day ahead, later than now.
	today := time.Now().UTC().Format("2006-01-02")
	p = e.b.submit(e.b.get(page), page+"/extend", url.Values{"until": {today}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, p.Body, "at least one day from now")
	p = e.b.submit(p, page+"/extend", url.Values{"until": {"not a date"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	newDay := time.Now().UTC().AddDate(0, 0, 20)
	p = e.b.submit(p, page+"/extend", url.Values{"until": {newDay.Format("2006-01-02")}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Extended to")
	inv = e.invitation(inv.ID)
	assert.Equal(t, assessments.EndOfDay(newDay), inv.ExpiresAt)
	expiry := e.jobsOf("expire_invitation")
	require.Len(t, expiry, 2, "the extension queued the new expiry")
	assert.WithinDuration(t, inv.ExpiresAt, expiry[1].ScheduledAt, time.Second)

	// Cancel: a reason is required; the link then shows the cancelled page.
	p = e.b.submit(e.b.get(page), page+"/cancel", url.Values{"reason": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, p.Body, "Say why")
	p = e.b.submit(p, page+"/cancel", url.Values{"reason": {"Position filled"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	inv = e.invitation(inv.ID)
	assert.Equal(t, assessments.StatusCancelled, inv.Status)
	assert.Contains(t, p.Body, "cancelled by ops@acme.example: Position filled")
	cand := newBrowser(t).get(candidateLink.FindString(firstMail.Text))
	assert.Equal(t, http.StatusGone, cand.Status)
	assert.Contains(t, cand.Body, "no longer needed")
	assert.NotContains(t, e.b.get(page).Body, page+"/resend", "a cancelled invitation offers no actions")
}

func TestAdminInvitationsOfAnotherTenantAreNotFound(t *testing.T) {
	e := newEmailEnv(t, nil)
	ctx := context.Background()
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	clock := assessments.SystemClock{}
	other, err := storage.SeedSandboxInvitation(ctx, storage.NewInvitationStore(e.app.DB, nil, clock, nil),
		storage.NewCatalogStore(e.app.DB, clock), lib, storage.SandboxSeed{CustomerID: "5555", FirstName: "Other"})
	require.NoError(t, err)
	page := e.app.URL + "/admin/invitations/" + strconv.FormatInt(other.Invitation.ID, 10)

	assert.Equal(t, http.StatusNotFound, e.b.get(page).Status)
	assert.NotContains(t, e.b.get(e.app.URL+"/admin/invitations").Body, "Other Candidate")
	assert.Equal(t, http.StatusNotFound, e.b.get(e.app.URL+"/admin/invitations/999999").Status)
	assert.Equal(t, http.StatusNotFound, e.b.get(e.app.URL+"/admin/invitations/abc").Status)
	// Posted with a valid CSRF token from one of the admin's own pages.
	own := e.b.get(e.app.URL + "/admin/email")
	for _, action := range []string{"/resend", "/extend", "/cancel"} {
		p := e.b.submit(own, page+action, url.Values{"reason": {"x"}, "until": {"2099-01-01"}})
		assert.Equal(t, http.StatusNotFound, p.Status, action)
	}
	inv, err := storage.NewInvitationStore(e.app.DB, nil, clock, nil).Invitation(ctx, other.TenantID, other.Invitation.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCreated, inv.Status, "nothing changed")
	assert.Empty(t, e.jobsOf("resend_invitation"))
}
