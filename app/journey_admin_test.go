package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// TestJourneyAdmin is an iCIMS admin's first visit: install from the
// sandbox Marketplace, create the account, test the connection, add a Big
// Five package mapped to the Assessment Type list, an auto-send rule for
// the Assessment status, a branded e-mail with its live preview, and open
// the webhook logs.
func TestJourneyAdmin(t *testing.T) {
	app := newTestApp(t)
	browser := newChrome(t, 1000, 800)
	j := newJourney(t, "admin", browser)

	j.do(chromedp.Navigate(app.URL+"/sandbox/marketplace"), chromedp.WaitVisible("form[action='/sandbox/marketplace/install'] button"))
	j.shot("01-marketplace")
	j.do(chromedp.Click("form[action='/sandbox/marketplace/install'] button"), chromedp.WaitVisible("input[name='region'][value='us']"))
	assert.Contains(t, j.text("main"), "1234", "the region question names the customer")
	j.page("01-region")
	j.do(chromedp.Click("input[name='region'][value='us']"), chromedp.Submit("input[name='region'][value='us']"), chromedp.WaitVisible("button[value='approve']"))
	j.shot("02-consent")
	j.do(chromedp.Click("button[value='approve']"), chromedp.WaitVisible("#email"))
	j.page("03-account")
	j.do(
		chromedp.SendKeys("#company", "Acme Corporation"),
		chromedp.SendKeys("#email", "ada@acme.example"),
		chromedp.SendKeys("#name", "Ada Admin"),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#conn-h"),
	)
	assert.Contains(t, j.text("h1"), "customer 1234")
	assert.Contains(t, j.text("main"), "Welcome")

	j.do(htmxReady, chromedp.Click("form[action='/admin/connection/test'] button"), chromedp.WaitVisible("#conn-check .alert"))
	assert.Contains(t, j.text("#conn-check"), "iCIMS customer 1234 answered")
	j.page("04-dashboard")
	j.doc("admin-dashboard")

	// The package: Big Five, mapped to the customer's Assessment Type node
	// read from iCIMS.
	j.do(chromedp.Navigate(app.URL+"/admin/catalog/new"), chromedp.WaitVisible("#f-name"))
	require.Contains(t, j.text("#f-assessment_type"), "Big Five Work Personality", "the list is read from iCIMS")
	j.do(
		chromedp.SendKeys("#f-name", "Big Five for sales"),
		chromedp.Click("input[name='instruments'][value='big-five-work']"),
		chromedp.SetValue("#f-assessment_type", icimstest.AssessmentBigFive),
	)
	j.page("05-package")
	j.do(chromedp.Click("main form[action='/admin/catalog'] button[type='submit']"), chromedp.WaitVisible(".alert.ok"))
	assert.Equal(t, "/admin/catalog", j.path())
	assert.Contains(t, j.text(".alert.ok"), "Saved “Big Five for sales”")
	assert.Contains(t, j.text("main"), "Big Five for sales")
	j.page("06-catalog")
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	var pkgID, node string
	require.NoError(t, app.DB.R.QueryRow(`SELECT id, assessment_type_id FROM packages WHERE tenant_id = ? AND name = ?`,
		tenant.ID, "Big Five for sales").Scan(&pkgID, &node))
	assert.Equal(t, icimstest.AssessmentBigFive, node)

	// The rule: auto-send the package when a candidate enters Assessment.
	j.do(chromedp.Navigate(app.URL+"/admin/rules/new"), chromedp.WaitVisible("#f-name"))
	j.do(
		chromedp.SendKeys("#f-name", "Assessment stage"),
		chromedp.Click("input[name='mode'][value='auto']"),
		chromedp.SetValue("#f-to-0", icimstest.StatusAssessment),
		chromedp.Click("input[name='jobs'][value='all']"),
		chromedp.SetValue("#f-package", pkgID),
	)
	j.page("07-rule")
	j.do(chromedp.Click("main form[action='/admin/rules'] button[type='submit']"), chromedp.WaitVisible(".alert.ok"))
	require.Equal(t, "/admin/rules", j.path())
	assert.Contains(t, j.text(".alert.ok"), "Assessment stage")
	rules := j.text("main")
	assert.Contains(t, rules, "Assessment stage")
	assert.Contains(t, rules, "Big Five for sales")
	j.page("08-rules")

	// The e-mail: sender name and brand colour, previewed as typed.
	j.do(chromedp.Navigate(app.URL+"/admin/email"), chromedp.WaitVisible("#preview iframe"), htmxReady)
	frame := j.eval(`document.querySelector("#preview iframe").getAttribute("src")`)
	j.do(
		chromedp.Clear("#t-subject"), chromedp.SendKeys("#t-subject", "{{company_name}}: your assessment for {{job_title}}"),
		chromedp.SendKeys("#t-sender_name", "Acme Talent Team"),
		chromedp.Clear("#t-brand_color"), chromedp.SendKeys("#t-brand_color", "#0b6e4f"),
	)
	waitText(t, browser, "#preview-subject", "Acme Corporation: your assessment for")
	require.Eventually(t, func() bool {
		src, err := chromedp.Run(browser, chromedp.Evaluate[string](`document.querySelector("#preview iframe")?.getAttribute("src") ?? ""`))
		return err == nil && src != frame && src != ""
	}, 10*time.Second, 100*time.Millisecond, "the preview frame never reloaded")
	frame = j.eval(`document.querySelector("#preview iframe").getAttribute("src")`)
	j.page("09-email-preview")
	j.doc("admin-email")

	j.do(chromedp.Click("main form[action='/admin/email'] .actions button[type='submit']:not([formaction])"), chromedp.WaitVisible(".alert.ok"))
	assert.Equal(t, "Acme Talent Team", j.eval(`document.querySelector("#t-sender_name").value`))
	assert.Equal(t, "#0b6e4f", j.eval(`document.querySelector("#t-brand_color").value`))
	assert.Contains(t, j.text(".badge"), "Your template")

	// The frame shows the button in the brand colour: open what it shows.
	j.do(chromedp.Navigate(app.URL+frame), chromedp.WaitReady("body"))
	html := j.eval(`document.documentElement.outerHTML`)
	assert.Contains(t, strings.ToLower(html), "#0b6e4f", "the button takes the brand colour")
	assert.Contains(t, html, "Acme Corporation")

	// The webhook logs, where the vendor guide sends admins.
	j.do(chromedp.Navigate(app.URL+views.LogsPath), chromedp.WaitVisible("h1"))
	assert.Equal(t, "Webhook logs", j.text("h1"))
	j.page("10-logs")

	// The customer's call limits, for a customer iCIMS gave a lower one.
	j.do(chromedp.Navigate(app.URL+"/admin/settings"), chromedp.WaitVisible("h1"))
	assert.Contains(t, j.text("main"), "calls", "the settings page has the customer's iCIMS call limits")
	j.page("11-settings")
}
