package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/storage"
)

func TestCandidatePagesHaveNoAxeViolations(t *testing.T) {
	s := startServer(t)
	bigFive, report := s.invite(t, storage.SandboxSeed{WorkflowID: "1", FirstName: "Ana", CompanyName: "Acme Ltd", JobTitle: "Analyst"})
	styles, _ := s.invite(t, storage.SandboxSeed{WorkflowID: "2", PackageName: "Work styles", InstrumentIDs: []string{"work-style"}})
	reasoning, _ := s.invite(t, storage.SandboxSeed{WorkflowID: "3", PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	ctx := newChrome(t, 360, 740)

	check := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do(t, ctx, actions...)
		screenshot(t, ctx, "a11y", strings.ReplaceAll(name, " ", "-"))
		for _, v := range chrometest.Axe(t, ctx) {
			assert.Failf(t, "axe violation", "%s: %s", name, v)
		}
	}
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	ready := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitReady(chromedp.CSS(sel)) }
	submit := `form button[type="submit"]`

	check("welcome", chromedp.Navigate(bigFive), ready(`input[name="consent"]`))
	check("welcome with an error", click(submit), ready(`#consent-error`))
	check("instructions", click(`input[name="consent"]`), click(submit), ready(`input[type="hidden"][name="nav"]`))
	check("likert page", click(submit), ready(`input[name="a.e01"]`))
	check("accommodation", chromedp.Navigate(bigFive+"/accommodation"), ready(`#message`))
	check("accommodation sent", chromedp.SendKeys(chromedp.CSS(`#message`), "Extra time, please."), click(submit), ready(`.alert.ok`))

	check("timed instructions", chromedp.Navigate(reasoning), ready(`input[name="consent"]`),
		click(`input[name="consent"]`), click(submit), ready(`input[type="hidden"][name="nav"]`))
	check("ability page", click(submit), ready(`input[name="a.n01"]`))

	check("forced-choice page", chromedp.Navigate(styles), ready(`input[name="consent"]`),
		click(`input[name="consent"]`), click(submit), ready(`input[type="hidden"][name="nav"]`),
		click(submit), ready(`input[name="m.b01"]`))
	check("forced-choice problems", click(`input[name="m.b01"][value="b01-1"]`), click(`button[name="nav"][value="next"]`), ready(`.q.invalid`))

	// Finish the work styles to see the review and the thank-you page.
	for page := 0; page < 4; page++ {
		var actions []chromedp.Action[chromedp.Void]
		for b := page*4 + 1; b <= page*4+4; b++ {
			id := "b" + twoDigits(b)
			actions = append(actions, click(`input[name="m.`+id+`"][value="`+id+`-2"]`), click(`input[name="l.`+id+`"][value="`+id+`-3"]`))
		}
		actions = append(actions, click(`button[name="nav"][value="next"]`))
		if page < 3 {
			actions = append(actions, ready(`input[name="m.b`+twoDigits(page*4+5)+`"]`))
		}
		do(t, ctx, actions...)
	}
	check("review", ready(`form[action$="/submit"] button`))
	check("thank you", click(`form[action$="/submit"] button`), chromedp.WaitVisible(`//h1[contains(., "Thank you")]`))

	check("unknown link", chromedp.Navigate(s.URL+"/a/not-a-real-link"), chromedp.WaitVisible(`//h1[contains(., "can't find")]`))
	check("report, not completed", chromedp.Navigate(report), chromedp.WaitVisible(`//h2[contains(., "Not completed")]`))

	// The check can fail: an unlabelled field is caught.
	eval[chromedp.Void](t, ctx, `document.querySelector("main").append(document.createElement("input"))`)
	var ids []string
	for _, v := range chrometest.Axe(t, ctx) {
		ids = append(ids, v.ID)
	}
	assert.Contains(t, ids, "label", "axe runs and reports a missing label")
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
