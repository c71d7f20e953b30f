package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
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

// journeyEnv is the service with the US sandbox customer installed, its
// admin account, a Big Five package mapped to the Assessment Type list,
// and a browser whose first tab is a recruiter's desktop.
type journeyEnv struct {
	*eventsEnv
	browser context.Context
	j       *journey
	bigFive assessments.Package
}

func newJourneyEnv(t *testing.T, name string) *journeyEnv {
	t.Helper()
	ctx := context.Background()
	app := newTestApp(t)
	b, _ := installAndSignIn(t, app, "ops@acme.example")
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	pkg, err := storage.NewCatalogStore(app.DB, assessments.SystemClock{}).SavePackage(ctx, lib, assessments.Package{
		TenantID: tenant.ID, Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, Enabled: true,
		AssessmentTypeID: icimstest.AssessmentBigFive, AssessmentTypeName: "Big Five Work Personality"})
	require.NoError(t, err)
	e := &eventsEnv{t: t, app: app, b: b, tenant: tenant, pkg: map[string]assessments.Package{icimstest.AssessmentBigFive: pkg}}
	browser := newChrome(t, 1000, 800)
	return &journeyEnv{eventsEnv: e, browser: browser, j: newJourney(t, name, browser), bigFive: pkg}
}

// workflowURL is the sandbox iCIMS page of a US applicant workflow.
func (e *journeyEnv) workflowURL(wid int) string {
	return fmt.Sprintf("%s/sandbox/customers/%s/workflows/%d", e.app.URL, icimstest.CustomerUS, wid)
}

// moveInSandbox moves the candidate with the sandbox's own form, as a
// recruiter in iCIMS does, and waits for what comes next (arrived).
func (e *journeyEnv) moveInSandbox(wid int, status, arrived string) {
	e.t.Helper()
	e.j.do(chromedp.Navigate(e.workflowURL(wid)), chromedp.WaitVisible("#status"),
		chromedp.SetValue("#status", status), chromedp.Click("form[action$='/move'] button"),
		chromedp.WaitVisible(arrived))
}

// mailTo waits until the dev mailbox holds a message to the address, opens
// it, and returns the assessment link it carries.
func (e *journeyEnv) mailTo(address string) string {
	e.t.Helper()
	j := e.j
	j.do(chromedp.Navigate(e.app.URL + "/sandbox/mailbox"))
	j.waitPage("main", address)
	j.do(chromedp.Click(fmt.Sprintf(`//tr[contains(., %q)]//a`, address)), chromedp.WaitVisible("iframe[title='The e-mail as HTML']"))
	link := j.eval(`[...document.querySelectorAll("main a")].map(a => a.href).find(h => h.includes("/a/")) ?? ""`)
	require.NotEmpty(e.t, link, "the e-mail has no assessment link")
	return link
}

// resultRow is one row of the sandbox's assessment results table.
type resultRow struct {
	Assessment, Status, Score, Result, Notes, Date, Link string
}

// results reloads the workflow page until its first result row has the
// status, and returns that row. Write-backs run as jobs; the page polls.
func (e *journeyEnv) results(status string) resultRow {
	e.t.Helper()
	var row resultRow
	var last string
	require.Eventually(e.t, func() bool {
		ctx, cancel := context.WithTimeout(e.browser, 5*time.Second)
		defer cancel()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const t = [...document.querySelectorAll("table")].find(t => t.querySelector("th")?.textContent === "Entry");
			const r = t?.querySelector("tbody tr");
			if (!r) return "";
			const c = [...r.querySelectorAll("td")];
			return JSON.stringify({Assessment: c[1].textContent.trim(), Status: c[2].textContent.trim(),
				Score: c[3].textContent.trim(), Result: c[4].textContent.trim(), Notes: c[5].textContent.trim(),
				Date: c[6].textContent.trim(), Link: c[7].querySelector("a")?.href ?? ""});
		})()`))
		if err == nil && raw != "" {
			last = raw
			if json.Unmarshal([]byte(raw), &row) == nil && row.Status == status {
				return true
			}
		}
		_ = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitReady("body"))
		return false
	}, 20*time.Second, 100*time.Millisecond, "the results row never became %s; last seen %s", status, last)
	return row
}

// profile is how the test candidate sees themselves, scale by scale (1
// to 5): clearly more of some traits than others, so the scores differ.
var profile = map[string]int{"extraversion": 5, "agreeableness": 4, "conscientiousness": 4, "emotional-stability": 2, "openness": 3}

// likertAnswer is the candidate's answer to item n: their level on its
// scale, one lower on every other item (people do not answer alike
// twice), mirrored on reverse-keyed items.
func likertAnswer(it assessments.Item, n int) int {
	v := max(1, profile[it.Scale]-n%2)
	if it.Reverse {
		v = 6 - v
	}
	return v
}

// takeBigFive answers every item of the Big Five in the tab, page by page,
// and submits. onStart runs once the candidate has consented; doc names
// the README screenshot of the first page ("" for none).
func takeBigFive(t *testing.T, tab context.Context, j *journey, link, doc string, onStart func()) {
	t.Helper()
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	inst, err := lib.Get("big-five-work")
	require.NoError(t, err)
	do := func(actions ...chromedp.Action[chromedp.Void]) { chrometest.Do(t, tab, actions...) }

	do(chromedp.Navigate(link), chromedp.WaitVisible(`input[name="consent"]`))
	chrometest.Screenshot(t, tab, j.name, "take-1-welcome")
	do(chromedp.Click(`input[name="consent"]`), chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitReady(`input[type="hidden"][name="nav"]`))
	chrometest.Screenshot(t, tab, j.name, "take-2-instructions")
	if onStart != nil {
		onStart()
	}
	do(chromedp.Click(`form button[type="submit"]`), chromedp.WaitVisible(`input[name="a.`+inst.Pages()[0][0].ID+`"]`))
	n := 0
	for p, items := range inst.Pages() {
		var clicks []chromedp.Action[chromedp.Void]
		for _, it := range items {
			n++
			clicks = append(clicks, chromedp.Click(fmt.Sprintf(`input[name="a.%s"][value="%d"]`, it.ID, likertAnswer(it, n))))
		}
		do(clicks...)
		if p == 0 {
			chrometest.Screenshot(t, tab, j.name, "take-3-page-1")
			if doc != "" {
				chrometest.Eval[chromedp.Void](t, tab, `window.scrollTo(0, 0)`)
				j.docOf(tab, doc)
			}
		}
		do(chromedp.Click(`button[name="nav"][value="next"]`))
		if p+1 < len(inst.Pages()) {
			do(chromedp.WaitVisible(`input[name="a.` + inst.Pages()[p+1][0].ID + `"]`))
		}
	}
	do(chromedp.WaitVisible(`form[action$="/submit"] button`))
	assert.Contains(t, chrometest.Text(t, tab, "#progress"), strconv.Itoa(len(inst.Items))+" of "+strconv.Itoa(len(inst.Items)))
	chrometest.Screenshot(t, tab, j.name, "take-4-review")
	do(chromedp.Click(`form[action$="/submit"] button`))
}

// TestJourneyRecruiterAndCandidate is the product's main road: a recruiter
// moves a candidate into the Assessment stage in the sandbox iCIMS, the
// invitation reaches the dev mailbox, the candidate takes the Big Five on
// a phone, and iCIMS shows Sent, In-Progress and Complete with the score,
// verdict, notes and a report link that opens; the logs show every
// delivery.
func TestJourneyRecruiterAndCandidate(t *testing.T) {
	e := newJourneyEnv(t, "candidate")
	j := e.j
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.bigFive.ID)}})

	e.moveInSandbox(icimstest.USWorkflow1, icimstest.StatusAssessment, "p.notice")
	assert.Equal(t, "Moved to Assessment; the vendor answered 200", j.text("p.notice"))
	j.shot("01-moved")
	sent := e.results("Sent")
	assert.Contains(t, sent.Assessment, "Big Five")
	j.shot("02-sent")

	link := e.mailTo("avery.brooks@example.com")
	j.page("03-mail")

	phone := chrometest.Tab(t, e.browser, 360, 740)
	phoneProblems := chrometest.Watch(t, phone)
	chrometest.Front(t, phone)
	takeBigFive(t, phone, j, link, "candidate-phone", func() {
		// Consent given: iCIMS hears In-Progress.
		j.do(chromedp.Navigate(e.workflowURL(icimstest.USWorkflow1)))
		e.results("In-Progress")
		j.shot("04-in-progress")
	})
	chrometest.Do(t, phone, chromedp.WaitVisible(`//h1[contains(., "Thank you")]`))
	chrometest.Screenshot(t, phone, j.name, "take-5-thank-you")
	for _, v := range chrometest.Axe(t, phone) {
		assert.Failf(t, "axe violation", "thank-you page: %s", v)
	}
	chrometest.Front(t, e.browser)

	done := e.results("Complete")
	score, err := strconv.ParseFloat(done.Score, 64)
	require.NoError(t, err, "score %q", done.Score)
	assert.True(t, score >= 0 && score <= 100, done.Score)
	// The robot answers in milliseconds, so its answers may be flagged as
	// too fast: a flagged result reads Review, never a recommendation.
	assert.Contains(t, []string{"Recommended", "Consider", "Not recommended", "Review: answers flagged"}, done.Result)
	assert.NotEmpty(t, done.Notes)
	assert.NotEmpty(t, done.Date)
	require.True(t, strings.HasPrefix(done.Link, e.app.URL+"/r/"), done.Link)
	j.shot("05-complete")
	j.doc("icims-results")

	// The recruiter opens the report from iCIMS.
	j.do(chromedp.Click(`//a[.="View results"]`), chromedp.WaitVisible(".overall .big"))
	assert.True(t, strings.HasPrefix(j.text(".overall .big"), done.Score),
		"the report shows the score iCIMS holds (%s): %s", done.Score, j.text(".overall .big"))
	assert.Contains(t, j.text("h1"), "Avery Brooks")
	j.page("06-report")
	j.doc("report")

	// The admin's logs show the event and every call it led to.
	j.do(chromedp.Navigate(e.app.URL+"/admin/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "ops@acme.example"), chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"), chromedp.WaitVisible("#conn-h"))
	j.do(chromedp.Navigate(e.app.URL+views.LogsPath), chromedp.WaitVisible("h1"))
	require.Contains(t, j.text("h1"), "Webhook logs")
	rows := j.eval(`[...document.querySelectorAll("main table tbody tr")].map(r => r.innerText.replace(/\s+/g, " ")).join("\n")`)
	for _, want := range []string{
		"In Status change event Avery Brooks",
		"Out E-mail Avery Brooks",
		"Out Add the assessment row Avery Brooks",
		"Out Update the assessment row Avery Brooks",
	} {
		assert.Contains(t, rows, want)
	}
	assert.Equal(t, 2, strings.Count(rows, "Update the assessment row"), "In-Progress and Complete:\n%s", rows)
	assert.Contains(t, rows, "accepted by the mail server")
	j.page("07-logs")
	j.eval(`document.querySelector("main table").scrollIntoView(), ""`)
	j.doc("logs")

	assert.Empty(t, phoneProblems.CSP(), "Content-Security-Policy violations on the phone")
	assert.Empty(t, phoneProblems.Scripts(), "script errors on the phone")
}
