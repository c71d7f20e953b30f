package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/bench"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

// TestBrowserLogsSayWhichEventsWaitForTheirTurn: the admin has set the
// customer's iCIMS limit to 6 calls a minute and a recruiter moves ten
// candidates at once. The events that wait for their turn at that pace
// say so on the logs page, read on a phone and on a desktop, while the
// first are processed.
func TestBrowserLogsSayWhichEventsWaitForTheirTurn(t *testing.T) {
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	r := e.b.submit(e.b.get(e.app.URL+"/admin/settings"), "/admin/settings/limits", url.Values{"per_minute": {"6"}, "per_day": {""}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	apps, err := bench.AddCandidates(context.Background(), e.app.sim, bench.Customer{CustomerID: icimstest.CustomerUS, JobID: icimstest.USJob1}, "paced-", 10)
	require.NoError(t, err)
	for _, a := range apps {
		e.move(a.Workflow, icimstest.StatusAssessment)
	}
	const waiting = `SELECT COUNT(*) FROM deliveries WHERE tenant_id = ? AND direction = 'inbound' AND status = 'received'
		AND message LIKE '%waits%for its turn%'`
	require.Eventually(t, func() bool { return e.count(waiting, e.tenant.ID) >= 5 }, 30*time.Second, 100*time.Millisecond,
		"the events behind the pace say they wait for their turn")

	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		ctx := newChrome(t, size.width, size.height)
		for _, ck := range e.b.client.Jar.Cookies(mustURL(t, e.app.URL)) {
			_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: e.app.URL, Path: "/"})
			require.NoError(t, err)
		}
		j := newJourney(t, "logs-pacing-"+size.name, ctx)
		j.do(chromedp.Navigate(e.app.URL+views.LogsPath), chromedp.WaitVisible("#logs"))
		list := j.text("#logs")
		assert.Contains(t, list, "for its turn", "the list says why an event waits")
		assert.Equal(t, "false", j.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`),
			"the page fits the window's width")
		j.page("1-list")
		assert.NotContains(t, strings.ToLower(list), "failed", "waiting is not failing")
	}
}
