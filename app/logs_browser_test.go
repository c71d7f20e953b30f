package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/views"
)

// TestBrowserChecklistAndLogsUpdateLive installs from the sandbox
// Marketplace in a real browser, sends a test assessment from the
// dashboard, and watches the checklist and the logs turn green and fill
// without a reload, under the strict Content-Security-Policy.
func TestBrowserChecklistAndLogsUpdateLive(t *testing.T) {
	app := newTestApp(t)
	ctx := newChrome(t, 1280, 900)
	problems := chrometest.Watch(t, ctx)
	bg := context.Background()

	step(t, ctx, chromedp.Navigate(app.URL+"/sandbox/marketplace"), chromedp.WaitVisible("form[action='/sandbox/marketplace/install'] button"))
	step(t, ctx, chromedp.Click("form[action='/sandbox/marketplace/install'] button"), chromedp.WaitVisible("input[name='region'][value='us']"),
		chromedp.Click("input[name='region'][value='us']"), chromedp.Submit("input[name='region'][value='us']"), chromedp.WaitVisible("button[value='approve']"))
	step(t, ctx, chromedp.Click("button[value='approve']"), chromedp.WaitVisible("#email"))
	step(t, ctx,
		chromedp.SendKeys("#company", "Acme Corporation"),
		chromedp.SendKeys("#email", "ada@acme.example"),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#checklist"),
	)

	// A package and an auto-send rule, as the catalog and rules pages
	// would save them.
	tenant, err := app.tenants.TenantByCustomer(bg, icimstest.CustomerUS)
	require.NoError(t, err)
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	pkg, err := storage.NewCatalogStore(app.DB, assessments.SystemClock{}).SavePackage(bg, lib, assessments.Package{TenantID: tenant.ID,
		Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFive, Enabled: true})
	require.NoError(t, err)
	_, err = app.events.rules.SaveRule(bg, assessments.Actor{Email: "ada@acme.example"}, assessments.Rule{TenantID: tenant.ID,
		Name: "Assessment stage", Mode: assessments.RuleAuto, Enabled: true, PackageID: pkg.ID,
		Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: icimstest.StatusAssessment}}, Jobs: assessments.JobsAll}})
	require.NoError(t, err)

	step(t, ctx, chromedp.Navigate(app.URL+"/admin"), chromedp.WaitVisible("#trial form button"))
	require.Contains(t, text(t, ctx, "#step-triggers"), "Assessment triggers configured")
	step(t, ctx, chromedp.Click("#trial form button"), chromedp.WaitVisible(".alert.ok"))
	assert.Contains(t, text(t, ctx, ".alert.ok"), "Moved sandbox application 3001")
	// The checklist refreshes itself: the e-mail step turns green with no
	// reload.
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = chromedp.Run(waitCtx, chromedp.WaitVisible(`#step-email[data-done="true"]`))
	require.NoError(t, err, "the checklist did not turn the e-mail step green by itself")
	screenshot(t, ctx, "logs", "1-dashboard-checklist")

	step(t, ctx, chromedp.Navigate(app.URL+views.LogsPath), chromedp.WaitVisible("#logs"))
	screenshot(t, ctx, "logs", "2-logs")
	// A new event arrives while the page is open: its row appears by itself.
	_, err = app.sim.MoveWorkflow(bg, icimstest.CustomerUS, icimstest.USWorkflow2, icimstest.StatusReviewed, 0)
	require.NoError(t, err)
	var newest int64
	require.NoError(t, app.DB.R.QueryRow(`SELECT MAX(id) FROM deliveries WHERE direction = 'inbound'`).Scan(&newest))
	waitCtx2, cancel2 := context.WithTimeout(ctx, 30*time.Second)
	defer cancel2()
	_, err = chromedp.Run(waitCtx2, chromedp.WaitVisible("#delivery-"+idString(newest)))
	require.NoError(t, err, "the new delivery did not appear without a reload")

	step(t, ctx, chromedp.Click("#delivery-"+idString(newest)+" a"), chromedp.WaitVisible("#attempt-1"))
	assert.Contains(t, text(t, ctx, "#delivery-facts"), "From iCIMS")
	screenshot(t, ctx, "logs", "3-delivery")
	step(t, ctx, chromedp.Navigate(app.URL+"/admin/settings"), chromedp.WaitVisible("#retention-days"))
	screenshot(t, ctx, "logs", "4-settings")

	assert.Empty(t, problems.CSP(), "no Content-Security-Policy violation")
	assert.Empty(t, problems.Scripts(), "no script error")
}
