package app

import (
	"net/url"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// TestBrowserLogsSearchByEventIDAndCopyIt: after a write that iCIMS
// refused and Retry now wrote, the admin finds the delivery by its event
// id, opens it, and its Copy button puts the id on the clipboard; the
// pages pass axe-core and break no Content-Security-Policy.
func TestBrowserLogsSearchByEventIDAndCopyIt(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(1)
	c.sent()
	c.waitFor(assessments.WritebackDone)
	e.faults(icimstest.Faults{MissingScope: assessments.ScopeProfileWrite})
	c.startAndComplete(64, assessments.VerdictConsider)
	c.waitFor(assessments.WritebackFailed)
	var id int64
	var eventID string
	require.NoError(t, e.app.DB.R.QueryRow(`SELECT id, public_id FROM deliveries WHERE tenant_id = ? AND invitation_id = ? AND kind = ?
		AND status = 'failed' ORDER BY id DESC LIMIT 1`, e.tenant.ID, c.inv.ID, string(assessments.StepScorecard)).Scan(&id, &eventID))
	e.faults(icimstest.Faults{})
	_, err := e.app.writeback.store.RetryAll(e.ctx, e.tenant.ID)
	require.NoError(t, err)
	c.waitFor(assessments.WritebackDone)

	ctx := newChrome(t, 1280, 900)
	j := newJourney(t, "logs-copy", ctx)
	u := mustURL(t, e.app.URL)
	for _, ck := range e.b.client.Jar.Cookies(u) {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: e.app.URL, Path: "/"})
		require.NoError(t, err)
	}
	origin := u.Scheme + "://" + u.Host
	_, err = chromedp.Call(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "clipboard-write", AllowWithoutSanitization: true},
		Setting:    cdpbrowser.PermissionSettingGranted, Origin: origin})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "clipboard-read", AllowWithoutSanitization: true},
		Setting:    cdpbrowser.PermissionSettingGranted, Origin: origin})
	require.NoError(t, err)

	j.do(chromedp.Navigate(e.app.URL+views.LogsPath), chromedp.WaitVisible("#logs"))
	row := j.text("#delivery-" + idString(id))
	assert.NotContains(t, row, "HTTP 403", "the row shows the retry's success")
	j.page("1-list")
	// Scrolled to the list, as docs/screenshots/logs-before.png was taken
	// from main before this change.
	j.eval(`document.querySelector(".logs-filter").scrollIntoView(); ""`)
	j.doc("logs-after")

	j.do(chromedp.SendKeys("#l-candidate", eventID), chromedp.Submit("#l-candidate"))
	require.Eventually(t, func() bool {
		return strings.Contains(j.eval(`location.search`), url.Values{"candidate": {eventID}}.Encode())
	}, 10*time.Second, 50*time.Millisecond, "the search did not load")
	j.do(chromedp.WaitVisible("#delivery-" + idString(id)))
	assert.Equal(t, "1", j.eval(`String(document.querySelectorAll("#logs tbody tr").length)`), "the event id matches one delivery")

	j.do(chromedp.Click("#delivery-"+idString(id)+" a"), chromedp.WaitVisible("button[data-copy='#event-id']"))
	j.page("2-delivery")
	j.doc("logs-delivery")
	chrometest.Front(t, ctx)
	j.do(chromedp.Click("button[data-copy='#event-id']"))
	require.Eventually(t, func() bool { return j.eval(`document.getElementById("copy-status").textContent`) != "" },
		10*time.Second, 50*time.Millisecond, "the copy said nothing")
	assert.Equal(t, "the event id copied.", j.eval(`document.getElementById("copy-status").textContent`))
	assert.Equal(t, "Copied", j.text("button[data-copy='#event-id']"))
	clip := chrometest.Eval[string](t, ctx, `navigator.clipboard.readText()`, chromedp.EvalAwaitPromise)
	assert.Equal(t, eventID, clip, "the event id is on the clipboard")
}
