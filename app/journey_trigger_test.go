package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// signIn signs the admin in, in the journey's tab.
func (e *journeyEnv) signIn() {
	e.t.Helper()
	e.j.do(chromedp.Navigate(e.app.URL+"/admin/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "ops@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("#conn-h"))
}

// TestJourneyManualTrigger switches an auto rule to recruiter action: the
// move in the sandbox iCIMS lands on the recruiter's confirm page, the
// recruiter sends the package, and the e-mail arrives.
func TestJourneyManualTrigger(t *testing.T) {
	e := newJourneyEnv(t, "manual")
	j := e.j
	ruleID := e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.bigFive.ID)}})

	e.signIn()
	j.do(chromedp.Navigate(e.app.URL+"/admin/rules/"+idString(ruleID)), chromedp.WaitVisible("#f-name"),
		chromedp.Click("input[name='mode'][value='manual']"),
		chromedp.Click("main form[action='/admin/rules/"+idString(ruleID)+"'] button[type='submit']"),
		chromedp.WaitVisible(".alert.ok"))
	require.Equal(t, "/admin/rules", j.path())
	assert.Contains(t, j.text("main"), "On recruiter action (confirm page)")
	j.page("01-rule-manual")

	e.moveInSandbox(icimstest.USWorkflow2, icimstest.StatusAssessment, "form[action^='/icims/confirm/']")
	require.True(t, strings.HasPrefix(j.path(), "/icims/confirm/"), "iCIMS's 303 took the recruiter to the confirm page")
	assert.Contains(t, j.text("main"), "Blake Carter")
	assert.Equal(t, "true", j.eval(`String(document.querySelector('input[name="package_id"][value="`+idString(e.bigFive.ID)+`"]').checked)`),
		"the rule's package is preselected")
	assert.Equal(t, assessments.DeliveryReceived, e.lastDelivery().Status, "nothing is sent before the click")
	j.page("02-confirm")
	j.doc("recruiter-confirm")

	j.do(chromedp.Click(`button[name="action"][value="send"]`), chromedp.WaitVisible("#confirm-outcome"))
	assert.Contains(t, j.text("#confirm-outcome"), "Sent")
	j.page("03-sent")

	e.mailTo("blake.carter@example.com")
	j.shot("04-mail")
	assert.Len(t, e.sendJobs(), 1)
}

// TestJourneyInline is an application with an inline assessment: the
// candidate completes the application in the sandbox iCIMS, iCIMS's 303
// takes them to the assessment, and at the end they are back on iCIMS's
// returnUrl page.
func TestJourneyInline(t *testing.T) {
	e := newJourneyEnv(t, "inline")
	j := e.j
	e.addRule(url.Values{"name": {"Inline Big Five"}, "mode": {"inline"}, "package_id": {idString(e.bigFive.ID)}})

	j.do(chromedp.Navigate(e.workflowURL(icimstest.USWorkflow3)), chromedp.WaitVisible("form[action$='/complete'] button"))
	j.shot("01-application")
	j.do(chromedp.Click("form[action$='/complete'] button"), chromedp.WaitVisible(`input[name="consent"]`))
	link := j.eval(`location.href`)
	require.Contains(t, link, "/a/", "iCIMS's 303 took the candidate to the assessment")
	j.page("02-welcome")

	takeBigFive(t, e.browser, j, link, "", nil)
	j.do(chromedp.WaitVisible(`//h1[contains(., "application complete")]`))
	assert.Contains(t, j.path(), "/sandbox/customers/1234/workflows/", "back on iCIMS's returnUrl")
	assert.True(t, strings.HasSuffix(j.path(), "/application-complete"), j.path())
	j.shot("03-back-in-icims")

	j.do(chromedp.Navigate(e.workflowURL(icimstest.USWorkflow3)))
	row := e.results("Complete")
	assert.NotEmpty(t, row.Score)
	j.shot("04-complete")
}

// TestJourneyInlineReturnsToAnotherOrigin: a real iCIMS's returnUrl is on
// iCIMS's host, not ours, and the browser applies the review page's
// form-action policy to the redirect after Submit. (The sandbox's
// returnUrl shares our origin; localhost is another origin than
// 127.0.0.1.)
func TestJourneyInlineReturnsToAnotherOrigin(t *testing.T) {
	e := newJourneyEnv(t, "inline-origin")
	port := e.app.URL[strings.LastIndex(e.app.URL, ":")+1:]
	back := "http://localhost:" + port + "/sandbox/customers/1234/workflows/3001/application-complete"
	_, token, err := e.app.invitations.Create(context.Background(), assessments.NewInvitation{
		TenantID: e.tenant.ID, PackageID: e.bigFive.ID, WorkflowID: strconv.Itoa(icimstest.USWorkflow1),
		PersonID: strconv.Itoa(icimstest.USPerson1), JobID: strconv.Itoa(icimstest.USJob1),
		CandidateFirstName: "Avery", CandidateLastName: "Brooks", ReturnURL: back})
	require.NoError(t, err)

	takeBigFive(t, e.browser, e.j, e.app.URL+"/a/"+token, "", nil)
	e.j.do(chromedp.WaitVisible(`//h1[contains(., "application complete")]`))
	assert.Equal(t, back, e.j.eval(`location.href`))
}
