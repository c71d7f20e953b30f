package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestJobsPageRefreshReadsTheSandboxJobs is the whole service: an admin
// presses Refresh jobs and the queue's job sync reads the sandbox
// customer's jobs into the Jobs page and the rule form's picker.
func TestJobsPageRefreshReadsTheSandboxJobs(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/jobs")
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "have not been read from iCIMS yet")

	before := len(app.sim.Calls(icimstest.CustomerUS))
	done := b.submit(p, "/admin/jobs/refresh", nil)
	require.Equal(t, http.StatusOK, done.Status, done.Body)
	assert.Equal(t, "/admin/jobs", done.URL.Path)
	require.Eventually(t, func() bool {
		return strings.Contains(b.get(app.URL+"/admin/jobs").Body, "Last synced")
	}, 15*time.Second, 50*time.Millisecond)
	page := htmlUnescape(b.get(app.URL + "/admin/jobs").Body)
	for _, want := range []string{"Account Executive", "Customer Support Specialist", "Data Analyst", "Boston, MA",
		"Big Five Work Personality, Reasoning", `href="/admin/jobs/2001/share"`} {
		assert.Contains(t, page, want)
	}
	var searches, reads int
	for _, c := range app.sim.Calls(icimstest.CustomerUS)[before:] {
		switch {
		case strings.Contains(c.Path, "/search/jobs"):
			searches++
		case strings.Contains(c.Path, "/jobs/"):
			reads++
		}
	}
	assert.Equal(t, 1, searches, "one page lists the three open jobs")
	assert.Equal(t, 3, reads, "one read per job")

	rule := htmlUnescape(b.get(app.URL + "/admin/rules/new").Body)
	assert.Contains(t, rule, `<option value="2001">Account Executive (SAL-101, Boston, MA)</option>`, "the rule form picks jobs by name")
}
