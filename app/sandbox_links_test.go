package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/routes"
)

func TestSandboxMailboxIsLinkedAndTheSandboxLeadsBack(t *testing.T) {
	logs := &lockedBuffer{}
	app := newLoggedTestApp(t, logs)
	mailbox := `href="` + routes.MailboxList() + `"`

	// The start-up log names the mailbox's address.
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "dev mailbox") {
			line = l
		}
	}
	assert.Contains(t, line, "url="+app.URL+routes.MailboxList())

	b := newBrowser(t)
	home := b.get(app.URL + "/")
	require.Equal(t, http.StatusOK, home.Status)
	assert.Contains(t, home.Body, mailbox, "the home page")

	sim := b.get(app.URL + routes.Sandbox(""))
	require.Equal(t, http.StatusOK, sim.Status)
	assert.Contains(t, sim.Body, mailbox, "the simulated iCIMS's menu")
	assert.Contains(t, sim.Body, `href="`+routes.DashboardShow()+`">Back to JobCannon`)

	box := b.get(app.URL + routes.MailboxList())
	require.Equal(t, http.StatusOK, box.Status)
	assert.Contains(t, box.Body, `href="`+routes.DashboardShow()+`"`)
	assert.Contains(t, box.Body, "Back to JobCannon")
}

func TestDashboardTrialLinksTheSandboxMailbox(t *testing.T) {
	e := newLogsEnv(t) // it has an auto-send rule
	dash := e.b.get(e.app.URL + routes.DashboardShow())
	require.Equal(t, http.StatusOK, dash.Status, dash.Body)
	require.Contains(t, dash.Body, "Send a test assessment")
	assert.Contains(t, dash.Body, `the e-mail in the <a href="`+routes.MailboxList()+`">sandbox mailbox</a>`)
}
