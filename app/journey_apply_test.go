package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestJourneyAssessmentFirstOnAPhone: a person opens a shared assessment
// link on a phone, applies with a CV, takes the package, and the sandbox
// iCIMS shows the new application with its source, its CV and the
// Complete results row.
func TestJourneyAssessmentFirstOnAPhone(t *testing.T) {
	e := newJourneyEnv(t, "apply-phone")
	// The admin shares the job's link from the desktop.
	e.j.do(chromedp.Navigate(e.app.URL+"/admin/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "ops@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("nav[aria-label='Admin']"),
		chromedp.Navigate(e.app.URL+"/admin/jobs/"+strconv.Itoa(icimstest.USJob2)+"/share"), chromedp.WaitVisible("#source"))
	e.j.page("share-1-form")
	e.j.do(chromedp.SetValue("#package", idString(e.bigFive.ID)), chromedp.SetValue("#source", "Job Board"),
		chromedp.Click(`form[action$="/share"] button[type="submit"]`), chromedp.WaitVisible("section.card code"))
	e.j.page("share-2-link")
	link := e.j.text("section.card code")
	require.Contains(t, link, "/apply/")
	cv := filepath.Join(t.TempDir(), "Rae Lin CV.pdf")
	require.NoError(t, os.WriteFile(cv, []byte("%PDF-1.4\n% Rae Lin\n%%EOF\n"), 0o600))

	phone := chrometest.Tab(t, e.browser, 360, 740)
	problems := chrometest.Watch(t, phone)
	chrometest.Front(t, phone)
	chrometest.Do(t, phone, chromedp.Navigate(link), chromedp.WaitVisible(`#first_name`))
	chrometest.Screenshot(t, phone, e.j.name, "apply-1-form")
	for _, v := range chrometest.Axe(t, phone) {
		assert.Failf(t, "axe violation", "apply form: %s", v)
	}
	chrometest.Do(t, phone,
		chromedp.SendKeys(`#first_name`, "Rae"), chromedp.SendKeys(`#last_name`, "Lin"),
		chromedp.SendKeys(`#email`, "rae.lin@example.com"), chromedp.SendKeys(`#phone`, "+1 555 010 2030"),
		chromedp.SetUploadFiles(`#cv`, []string{cv}),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`input[name="consent"]`))
	consent := chrometest.Eval[string](t, phone, `location.href`)
	require.Contains(t, consent, "/a/", "the applicant lands in the candidate flow")

	takeBigFive(t, phone, e.j, consent, "", nil)
	chrometest.Do(t, phone, chromedp.WaitVisible(`//h1[contains(., "Thank you")]`))
	assert.Empty(t, problems.CSP(), "Content-Security-Policy violations on the phone")
	assert.Empty(t, problems.Scripts(), "script errors on the phone")

	var workflowID string
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT workflow_id FROM applications`).Scan(&workflowID))
	e.j.do(chromedp.Navigate(e.app.URL + "/sandbox/customers/" + icimstest.CustomerUS + "/workflows/" + workflowID))
	got := e.j.waitPage("main", "Job Board", "JobCannon", "Rae Lin CV.pdf", "Complete")
	assert.True(t, strings.Contains(got, "Rae Lin"), got)
	e.j.shot("apply-2-sandbox-application")
}
