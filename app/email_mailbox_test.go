package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

var mailboxRow = regexp.MustCompile(`<a href="(/sandbox/mailbox/\d+)">([^<]*)</a>`)

func TestMailboxListsAndShowsTheSandboxMail(t *testing.T) {
	// No SMTP URL: the service keeps e-mail in the dev mailbox.
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	visitor := newBrowser(t)

	empty := visitor.get(e.app.URL + "/sandbox/mailbox")
	require.Equal(t, http.StatusOK, empty.Status, empty.Body)
	assert.Contains(t, empty.Body, "<h1>Dev mailbox</h1>", "the mailbox route wins over the simulator's catch-all")
	assert.Contains(t, empty.Body, "No e-mail yet")
	sim := visitor.get(e.app.URL + "/sandbox/")
	assert.Equal(t, http.StatusOK, sim.Status)
	assert.NotContains(t, sim.Body, "Dev mailbox</h1>", "the rest of /sandbox/ is still the simulator")

	e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	first := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, first.Status, first.Message)
	e.move(icimstest.USWorkflow2, icimstest.StatusAssessment)
	require.Eventually(t, func() bool {
		return len(mailboxRow.FindAllStringSubmatch(visitor.get(e.app.URL+"/sandbox/mailbox").Body, -1)) == 2
	}, 20*time.Second, 50*time.Millisecond)

	list := visitor.get(e.app.URL + "/sandbox/mailbox")
	rows := mailboxRow.FindAllStringSubmatch(list.Body, -1)
	require.Len(t, rows, 2)
	assert.Greater(t, rows[0][1], rows[1][1], "newest first")
	assert.Less(t, strings.Index(list.Body, "blake.carter@example.com"), strings.Index(list.Body, "avery.brooks@example.com"),
		"workflow 2's candidate was e-mailed last")
	assert.Contains(t, rows[1][2], "Next step for your Account Executive application")

	msg := visitor.get(e.app.URL + rows[1][1])
	require.Equal(t, http.StatusOK, msg.Status, msg.Body)
	assert.Contains(t, msg.Body, "avery.brooks@example.com")
	assert.Contains(t, msg.Body, `<iframe title="The e-mail as HTML" src="`+rows[1][1]+`/html" sandbox="allow-popups allow-popups-to-escape-sandbox"`)

	req, err := http.NewRequest(http.MethodGet, e.app.URL+rows[1][1]+"/html", nil)
	require.NoError(t, err)
	res, err := visitor.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'none'")
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "sandbox")
	htmlPart := visitor.get(e.app.URL + rows[1][1] + "/html")
	assert.Contains(t, htmlPart.Body, `<base target="_blank">`, "links open outside the frame")
	assert.Contains(t, htmlPart.Body, "Start the assessment")
	text := visitor.get(e.app.URL + rows[1][1] + "/text")
	assert.Contains(t, text.Body, "Hi Avery,")

	// The candidate link in the message opens the assessment.
	link := candidateLink.FindString(text.Body)
	require.NotEmpty(t, link, text.Body)
	assert.Contains(t, msg.Body, `<a href="`+link+`">`, "the page lists the message's links")
	cand := newBrowser(t).get(link)
	assert.Equal(t, http.StatusOK, cand.Status, cand.Body)
	assert.Equal(t, assessments.StatusOpened, e.invitation(first.InvitationID).Status)

	assert.Equal(t, http.StatusNotFound, visitor.get(e.app.URL+"/sandbox/mailbox/999999").Status)
}

func TestMailboxIsOffWithoutTheSandbox(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.Sandbox = false })
	p := newBrowser(t).get(app.URL + "/sandbox/mailbox")
	assert.Equal(t, http.StatusNotFound, p.Status)
}
