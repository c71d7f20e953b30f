package app

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/routes"
)

func TestTenantTimeZoneShowsDeadlinesOnAdminPagesAndInEmails(t *testing.T) {
	e := newEmailEnv(t, nil)
	settings := e.b.get(e.app.URL + routes.SettingsShow())
	require.Equal(t, http.StatusOK, settings.Status, settings.Body)
	assert.Contains(t, settings.Body, `name="time_zone" type="text" list="s-zone-list" value="UTC"`, "UTC by default")

	for _, bad := range []string{"Mars/Olympus_Mons", "", "Local", "../../etc/passwd"} {
		p := e.b.submit(settings, routes.SettingsTimeZoneSave(), url.Values{"time_zone": {bad}})
		assert.Equal(t, http.StatusUnprocessableEntity, p.Status, bad)
		assert.Contains(t, htmlUnescape(p.Body), "IANA time zone", bad)
	}
	p := e.b.submit(settings, routes.SettingsTimeZoneSave(), url.Values{"time_zone": {" Europe/Berlin "}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "now show in Europe/Berlin")
	assert.Contains(t, p.Body, `value="Europe/Berlin"`)

	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	wid := e.newApplication("Zoe", "Zone", "zoe@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	got := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, got, 1)
	mail := parseMail(t, got[0].Data)
	assert.Contains(t, mail.Text, inv.ExpiresAt.In(berlin).Format("Monday, January 2, 2006 at 3:04 PM MST"), "the e-mail's deadline")

	page := e.b.get(e.app.URL + routes.InvitationShow(inv.ID))
	require.Equal(t, http.StatusOK, page.Status)
	assert.Contains(t, page.Body, `<dd id="deadline">`+inv.ExpiresAt.In(berlin).Format("Monday, January 2, 2006 15:04 MST")+`</dd>`,
		"the invitation page's deadline")
	assert.Contains(t, page.Body, inv.CreatedAt.In(berlin).Format("2006-01-02 15:04 MST")+": Created", "the history")
}
