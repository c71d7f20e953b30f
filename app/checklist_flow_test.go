package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views"
)

var stepState = regexp.MustCompile(`id="step-([a-z]+)" data-done="(true|false)"`)

// steps reads the checklist's lines from a page: key → done.
func steps(t *testing.T, body string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, m := range stepState.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2] == "true"
	}
	require.Len(t, out, 7, "the vendor guide's seven lines")
	return out
}

func doneSteps(m map[string]bool) []string {
	var out []string
	for _, k := range []string{"installed", "authorized", "triggers", "advanced", "email", "scorecard", "logged"} {
		if m[k] {
			out = append(out, k)
		}
	}
	return out
}

func (e *eventsEnv) dashboard() page {
	e.t.Helper()
	p := e.b.get(e.app.URL + "/admin")
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	return p
}

// waitSteps waits until the checklist shows want done, reading it the way
// the dashboard refreshes it.
func (e *eventsEnv) waitSteps(want ...string) page {
	e.t.Helper()
	var p page
	var got []string
	ok := assert.Eventually(e.t, func() bool {
		req, err := http.NewRequest(http.MethodGet, e.app.URL+views.ChecklistPath, nil)
		require.NoError(e.t, err)
		req.Header.Set("HX-Request", "true")
		p = e.b.do(req)
		got = doneSteps(steps(e.t, p.Body))
		return strings.Join(got, ",") == strings.Join(want, ",")
	}, 30*time.Second, 50*time.Millisecond)
	if !ok {
		e.t.Fatalf("the checklist shows %v done, not %v", got, want)
	}
	return p
}

func TestChecklistTurnsGreenStepByStep(t *testing.T) {
	e := newInstalledEventsEnv(t)
	dash := e.dashboard()
	assert.Equal(t, []string{"installed", "authorized"}, doneSteps(steps(t, dash.Body)), "installed from the sandbox Marketplace")
	assert.Contains(t, dash.Body, `href="/admin/rules/new"`, "an open step links to its fix")
	assert.Contains(t, dash.Body, `hx-get="`+views.ChecklistPath+`"`, "an unfinished checklist refreshes itself")
	assert.Contains(t, dash.Body, "Add an enabled auto-send rule first")
	assert.Contains(t, htmlUnescape(dash.Body), "OAuth token valid")
	assert.Regexp(t, `\d+ of 10000 iCIMS calls used today`, dash.Body)

	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	dash = e.dashboard()
	assert.Equal(t, []string{"installed", "authorized", "triggers"}, doneSteps(steps(t, dash.Body)))
	assert.Contains(t, dash.Body, "Assessment</strong>", "the test names the rule's status")

	// "Send a test assessment" moves a sandbox candidate: the event is
	// processed, answered and logged, and the e-mail goes out.
	p := e.b.submit(dash, "/admin/checklist/trial", nil)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, htmlUnescape(p.Body), "Moved sandbox application 3001 to Assessment")
	assert.Contains(t, p.Body, "JobCannon answered 200")
	e.waitSteps("installed", "authorized", "triggers", "advanced", "email", "logged")
	d := e.settled()
	require.NotZero(t, d.InvitationID)

	// The candidate completes the assessment; the Complete row is written.
	le := &logsEnv{eventsEnv: e}
	le.complete(e.invitation(d.InvitationID))
	done := e.waitSteps("installed", "authorized", "triggers", "advanced", "email", "scorecard", "logged")
	assert.Contains(t, done.Body, "7 of 7 done")
	assert.NotContains(t, done.Body, "hx-trigger", "a finished checklist stops refreshing")
	assert.NotRegexp(t, `\b0 of 10000 iCIMS calls`, done.Body, "the write-backs count against today's quota")
	assert.Contains(t, done.Body, "No failed or dead writes.")

	// A second test picks another candidate: the first one's package is
	// live.
	p = e.b.submit(e.dashboard(), "/admin/checklist/trial", nil)
	assert.Contains(t, htmlUnescape(p.Body), "Moved sandbox application 3002")

	// A refused token turns the authorization step red, with its fix.
	require.NoError(t, e.app.tenants.SetStatus(context.Background(), e.tenant.ID, assessments.TenantNeedsReauth, "OAuth token expired: iCIMS refused the token (401)."))
	dash = e.dashboard()
	assert.False(t, steps(t, dash.Body)["authorized"])
	assert.Contains(t, htmlUnescape(dash.Body), "OAuth token expired")
	assert.Contains(t, dash.Body, "Needs action")
}

func TestChecklistTrialWithoutAnAutoRuleSaysWhatToDo(t *testing.T) {
	e := newEventsEnv(t)
	dash := e.dashboard()
	req := url.Values{"_csrf": {csrfOf(t, dash)}}
	p := e.b.post(e.app.URL+"/admin/checklist/trial", req)
	require.Equal(t, http.StatusOK, p.Status)
	assert.Contains(t, htmlUnescape(p.Body), "No test sent: add an enabled auto-send rule")
	assert.Zero(t, e.count(`SELECT COUNT(*) FROM deliveries`), "nothing was moved")
}
