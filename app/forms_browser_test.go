package app

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
)

// TestBrowserFormsShowWhatApplies drives the rule and connection forms in
// Chromium: sections follow the choices, every error shows at once, and
// axe finds nothing on the account pages either.
func TestBrowserFormsShowWhatApplies(t *testing.T) {
	app := newTestApp(t)
	signInAdmin(t, app, "ops@acme.example")
	ctx := newChrome(t, 1000, 900)
	problems := chrometest.Watch(t, ctx)
	hidden := func(sel string) bool {
		return chrometest.Eval[bool](t, ctx, `document.querySelector(`+"`"+sel+"`"+`).hidden`)
	}
	axeClean := func(name string) {
		t.Helper()
		for _, v := range chrometest.Axe(t, ctx) {
			assert.Failf(t, "axe violation", "%s: %s", name, v)
		}
	}

	step(t, ctx, chromedp.Navigate(app.URL+"/admin/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "ops@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("#conn-h"))

	workflow, statusMoves := `[data-shown-for="workflow"]`, `[data-shown-for="auto manual workflow"]`
	jobIDs, folders := `[data-shown-for="chosen"]`, `[data-shown-for="folder"]`
	step(t, ctx, chromedp.Navigate(app.URL+"/admin/rules/new"), chromedp.WaitVisible("#f-name"))
	assert.True(t, hidden(workflow), "auto-send hides the custom workflow section")
	assert.False(t, hidden(statusMoves))
	assert.True(t, hidden(jobIDs), "all jobs hides the job ids")
	assert.True(t, hidden(folders))
	assert.True(t, chrometest.Eval[bool](t, ctx, `document.querySelector("#f-sources").disabled`), "a hidden field is not sent")
	axeClean("new rule")

	step(t, ctx, chromedp.Click(`input[name="mode"][value="workflow"]`), chromedp.Click(`input[name="jobs"][value="chosen"]`))
	assert.False(t, hidden(workflow), "custom workflow shows its section")
	assert.False(t, hidden(jobIDs), "chosen jobs shows the job ids")
	assert.True(t, hidden(folders))
	step(t, ctx, chromedp.Click(`input[name="mode"][value="inline"]`))
	assert.True(t, hidden(workflow))
	assert.True(t, hidden(statusMoves), "inline rules have no status moves")
	screenshot(t, ctx, "forms", "1-rule-inline")

	step(t, ctx, chromedp.Click(`input[name="mode"][value="auto"]`), chromedp.Submit("#f-name"), chromedp.WaitVisible(".error-summary"))
	summary := text(t, ctx, ".error-summary")
	for _, msg := range []string{"Give the rule a name.", "Choose the status that triggers the rule.", "List the iCIMS ids of the jobs"} {
		assert.Contains(t, summary, msg)
	}
	assert.False(t, hidden(jobIDs), "the field with the error shows")
	screenshot(t, ctx, "forms", "2-rule-errors")
	axeClean("rule errors")

	basic, hmac := `[data-shown-for="basic"]`, `[data-shown-for="hmac"]`
	step(t, ctx, chromedp.Navigate(app.URL+"/admin/connection"), chromedp.WaitVisible(`input[name="mode"][value="hmac"]`))
	assert.False(t, hidden(basic), "the tenant's Basic mode shows its fields")
	assert.True(t, hidden(hmac))
	assert.True(t, hidden(`[data-shown-for="client_credentials"]`))
	step(t, ctx, chromedp.Click(`input[name="mode"][value="hmac"]`))
	assert.True(t, hidden(basic))
	assert.False(t, hidden(hmac), "choosing HMAC shows its two fields")
	axeClean("connection")
	step(t, ctx, chromedp.Submit("#hmac_user"), chromedp.WaitVisible(".error-summary"))
	assert.Contains(t, text(t, ctx, ".error-summary"), "Enter the HMAC key iCIMS issued.")
	assert.False(t, hidden(hmac), "the chosen mode stays shown after the round trip")
	screenshot(t, ctx, "forms", "3-connection-errors")
	axeClean("connection errors")

	step(t, ctx, chromedp.Navigate(app.URL+"/admin/account/password"), chromedp.WaitVisible("#current"),
		chromedp.Submit("#current"), chromedp.WaitVisible(".error-summary"))
	axeClean("password change errors")
	step(t, ctx, chromedp.Navigate(app.URL+"/admin/admins"), chromedp.WaitVisible("#invite-email"))
	axeClean("admins")
	step(t, ctx, chromedp.Click(`form[action="/admin/logout"] button`), chromedp.WaitVisible(`a[href="/admin/password/forgot"]`))
	axeClean("login")
	step(t, ctx, chromedp.Click(`a[href="/admin/password/forgot"]`), chromedp.WaitVisible("#email"))
	axeClean("forgot password")

	require.Empty(t, problems.CSP(), "policy violations")
	require.Empty(t, problems.Scripts(), "script errors")
}
