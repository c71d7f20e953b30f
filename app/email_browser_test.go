package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

// TestBrowserTemplatePreviewAndMailbox edits the invitation e-mail in a
// real browser: htmx posts each change and the preview follows, all under
// the site's policy (no inline script); then the dev mailbox shows a sent
// invitation in its sandboxed frame.
func TestBrowserTemplatePreviewAndMailbox(t *testing.T) {
	app := newTestApp(t)
	ctx := newChrome(t, 1280, 1000)
	// The browser reports each blocked script, style or frame as a log
	// entry: the pages must cause none.
	var mu sync.Mutex
	var violations []string
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			defer mu.Unlock()
			violations = append(violations, e.Entry.URL+": "+e.Entry.Text)
		}
	}))
	_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	require.NoError(t, err)

	step(t, ctx, chromedp.Navigate(app.URL+"/sandbox/marketplace"), chromedp.WaitVisible("form[action='/sandbox/marketplace/install'] button"),
		chromedp.Click("form[action='/sandbox/marketplace/install'] button"), chromedp.WaitVisible("input[name='region'][value='us']"),
		chromedp.Click("input[name='region'][value='us']"), chromedp.Submit("input[name='region'][value='us']"), chromedp.WaitVisible("button[value='approve']"),
		chromedp.Click("button[value='approve']"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#company", "Acme Corporation"), chromedp.SendKeys("#email", "ada@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("#conn-h"))

	step(t, ctx, chromedp.Navigate(app.URL+"/admin/email"), chromedp.WaitVisible("#preview iframe"))
	assert.Contains(t, text(t, ctx, "#preview-subject"), "Next step for your Customer Success Manager application at",
		"the saved template's preview")
	step(t, ctx, chromedp.Clear("#t-subject"), chromedp.SendKeys("#t-subject", "Hello {{candidate_first_name}} <b>!</b>"))
	waitText(t, ctx, "#preview-subject", "Hello Alex <b>!</b>")
	screenshot(t, ctx, "email", "1-template-preview")

	step(t, ctx, chromedp.SendKeys("#t-body", " {{salary}}"))
	waitText(t, ctx, "#preview", "unknown placeholder {{salary}}")
	step(t, ctx, chromedp.Submit("#t-subject"), chromedp.WaitVisible(".field.error"))
	assert.Contains(t, text(t, ctx, ".field.error .message"), "{{salary}}")
	screenshot(t, ctx, "email", "2-template-problems")

	// A sent invitation in the dev mailbox.
	token := seedInvitation(t, app)
	step(t, ctx, chromedp.Navigate(app.URL+"/admin/invitations"), chromedp.WaitVisible("table"))
	step(t, ctx, chromedp.Click("td a"), chromedp.WaitVisible("form[action$='/resend'] button"),
		chromedp.Click("form[action$='/resend'] button"), chromedp.WaitVisible("#resend-what"),
		chromedp.Click("form[action$='/resend'] button"), chromedp.WaitVisible(".alert.ok"))
	screenshot(t, ctx, "email", "3-invitation")
	var rows int
	require.Eventually(t, func() bool {
		step(t, ctx, chromedp.Navigate(app.URL+"/sandbox/mailbox"), chromedp.WaitVisible("h1"))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("tbody tr").length`))
		rows = n
		return err == nil && rows > 0
	}, 20*time.Second, 200*time.Millisecond)
	step(t, ctx, chromedp.Click("tbody a"), chromedp.WaitVisible("iframe[title='The e-mail as HTML']"))
	assert.Contains(t, text(t, ctx, "pre"), "/a/"+token)
	screenshot(t, ctx, "email", "4-mailbox-message")

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, violations)
}

// seedInvitation creates an invitation for the sandbox customer through
// the service's own invitation store (so its link is kept) and returns
// its token.
func seedInvitation(t *testing.T, app *testApp) string {
	t.Helper()
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	sb, err := storage.SeedSandboxInvitation(context.Background(), app.email.invitations,
		storage.NewCatalogStore(app.DB, assessments.SystemClock{}), lib, storage.SandboxSeed{CustomerID: icimstest.CustomerUS})
	require.NoError(t, err)
	return sb.Token
}

// waitText waits until the element's text contains want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	var got string
	require.Eventually(t, func() bool {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		s, err := chromedp.Run(sctx, chromedp.Text(sel))
		got = s
		return err == nil && strings.Contains(s, want)
	}, 10*time.Second, 100*time.Millisecond, "%s never showed %q; it shows %q", sel, want, got)
}
