package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/routes"
)

// TestHeadersNoPolicyViolationsInChromium opens every page of the route
// table, signed in, in Chromium, and requires that none breaks the
// Content-Security-Policy (an inline style or script, a foreign source)
// or throws a script error. The journeys do the same along their way,
// with the forms filled in.
func TestHeadersNoPolicyViolationsInChromium(t *testing.T) {
	e := newHostileEnv(t)
	targets := pageTargets(t, e)
	ctx := newChrome(t, 1000, 800)
	problems := chrometest.Watch(t, ctx)

	chrometest.Do(t, ctx, chromedp.Navigate(e.app.URL+"/admin/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "ops@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("#conn-h"))
	paths := make([]string, 0, len(targets))
	for route, p := range targets {
		if route == "GET "+routes.ReportPrefix+"/:token/pdf" {
			// A download, not a page: Chromium aborts the navigation and
			// there is no document to hold a policy. Its headers are
			// checked with every other route's in headers_pages_test.go.
			continue
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range slices.Compact(paths) {
		chrometest.Do(t, ctx, chromedp.Navigate(e.app.URL+p), chromedp.WaitReady("body"))
	}
	// Reports arrive asynchronously; give the last page's a moment.
	problems.WaitCSP(1, 300*time.Millisecond)
	assert.Empty(t, problems.CSP(), "policy violations")
	assert.Empty(t, problems.Scripts(), "script errors")

	// The watch sees a violation when there is one: an inline script added
	// to a page is refused and reported.
	chrometest.Do(t, ctx, chromedp.Navigate(e.app.URL+"/admin"), chromedp.WaitVisible("#conn-h"))
	chrometest.Eval[chromedp.Void](t, ctx, `(() => { const s = document.createElement("script"); s.textContent = "window.pwned = 1"; document.body.append(s); })()`)
	require.True(t, problems.WaitCSP(1, 5*time.Second), "the injected inline script was not reported")
	assert.True(t, strings.Contains(strings.Join(problems.CSP(), "\n"), "script-src"), problems.CSP())
	assert.False(t, chrometest.Eval[bool](t, ctx, `window.pwned === 1`), "the inline script ran")
}
