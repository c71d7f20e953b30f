package app

import (
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/routes"
)

func TestAccommodationRequestReachesTheDashboardTheHistoryAndEachAdminOnce(t *testing.T) {
	e := newEmailEnv(t, nil)
	now := time.Now().UTC()
	_, err := e.app.DB.W.Exec(`INSERT INTO admins (tenant_id, email, name, created_at) VALUES (?, 'second@acme.example', 'Sam Second', ?)`,
		e.tenant.ID, now)
	require.NoError(t, err)
	wid := e.newApplication("Ada", "Adjust", "ada@example.org")
	e.move(wid, icimstest.StatusAssessment)
	inv := e.invitationOf()
	first := e.smtp.Wait(1, 20*time.Second)
	require.Len(t, first, 1)
	link := candidateLink.FindString(parseMail(t, first[0].Data).Text)
	require.NotEmpty(t, link)

	const words = "I use a screen reader and need extra time."
	p := newBrowser(t).post(link+"/accommodation", url.Values{"message": {words}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)

	// One e-mail to each admin, naming the candidate and linking to the
	// requests; never the candidate's words.
	got := e.smtp.Wait(3, 20*time.Second)
	require.Len(t, got, 3)
	var to []string
	for _, m := range got[1:] {
		to = append(to, m.To...)
		mail := parseMail(t, m.Data)
		assert.Equal(t, "Accommodation request from Ada Adjust", mail.Header.Get("Subject"))
		assert.Contains(t, mail.Text, e.app.URL+routes.CatalogAccommodationList())
		assert.NotContains(t, mail.Text, words)
		assert.NotContains(t, mail.HTML, words)
	}
	sort.Strings(to)
	assert.Equal(t, []string{"ops@acme.example", "second@acme.example"}, to)

	// The dashboard shows it, and the invitation's history.
	dash := e.b.get(e.app.URL + routes.DashboardShow())
	require.Equal(t, http.StatusOK, dash.Status, dash.Body)
	assert.Contains(t, dash.Body, `id="accommodations"`)
	assert.Contains(t, dash.Body, "1 accommodation request waiting for you")
	assert.Contains(t, dash.Body, "Ada Adjust")
	assert.Contains(t, dash.Body, `href="`+routes.InvitationShow(inv.ID)+`"`)
	page := e.b.get(e.app.URL + routes.InvitationShow(inv.ID))
	assert.Contains(t, page.Body, "the candidate asked for an accommodation")

	// Once per request: nothing more arrives.
	time.Sleep(500 * time.Millisecond)
	assert.Len(t, e.smtp.Received(), 3)
}
