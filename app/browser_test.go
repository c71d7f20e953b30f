package app

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
)

// The browser helpers are chrometest's, under the names these tests use.
var (
	newChrome  = chrometest.New
	step       = chrometest.Do
	screenshot = chrometest.Screenshot
	text       = chrometest.Text
)

func TestBrowserInstallFromTheSandboxMarketplace(t *testing.T) {
	app := newTestApp(t)
	ctx := newChrome(t, 1280, 900)

	step(t, ctx, chromedp.Navigate(app.URL+"/sandbox/marketplace"), chromedp.WaitVisible("form[action='/sandbox/marketplace/install'] button"))
	screenshot(t, ctx, "install", "1-marketplace")
	step(t, ctx, chromedp.Click("form[action='/sandbox/marketplace/install'] button"), chromedp.WaitVisible("input[name='region'][value='us']"),
		chromedp.Click("input[name='region'][value='us']"), chromedp.Submit("input[name='region'][value='us']"), chromedp.WaitVisible("button[value='approve']"))
	screenshot(t, ctx, "install", "2-consent")
	step(t, ctx, chromedp.Click("button[value='approve']"), chromedp.WaitVisible("#email"))
	screenshot(t, ctx, "install", "3-account")
	step(t, ctx,
		chromedp.SendKeys("#company", "Acme Corporation"),
		chromedp.SendKeys("#email", "ada@acme.example"),
		chromedp.SendKeys("#name", "Ada Admin"),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#conn-h"),
	)
	require.Contains(t, text(t, ctx, "h1"), "customer 1234")
	step(t, ctx, htmxReady, chromedp.Click("form[action='/admin/connection/test'] button"), chromedp.WaitVisible("#conn-check .alert"))
	require.Contains(t, text(t, ctx, "#conn-check"), "answered")
	screenshot(t, ctx, "install", "4-dashboard")
}
