package e2e

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/sqlite"
)

// axeViolation is the part of an axe-core violation a failure message
// needs.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe injects the vendored axe-core (testdata/axe.min.js, from the npm
// package axe-core 4) into the page and returns its violations of WCAG 2.x
// A and AA and of the best practices.
func runAxe(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === "object"`) {
		eval[chromedp.Void](t, ctx, axe)
	}
	raw := eval[[]byte](t, ctx, `axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
		resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)
	})))`, chromedp.EvalAwaitPromise)
	var out []axeViolation
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

func TestCandidatePagesHaveNoAxeViolations(t *testing.T) {
	axe, err := os.ReadFile("testdata/axe.min.js")
	require.NoError(t, err)
	s := startServer(t)
	bigFive, report := s.invite(t, sqlite.SandboxSeed{WorkflowID: "1", FirstName: "Ana", CompanyName: "Acme Ltd", JobTitle: "Analyst"})
	styles, _ := s.invite(t, sqlite.SandboxSeed{WorkflowID: "2", PackageName: "Work styles", InstrumentIDs: []string{"work-style"}})
	reasoning, _ := s.invite(t, sqlite.SandboxSeed{WorkflowID: "3", PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	ctx := newChrome(t, 360, 740)

	check := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do(t, ctx, actions...)
		screenshot(t, ctx, "a11y", strings.ReplaceAll(name, " ", "-"))
		for _, v := range runAxe(t, ctx, string(axe)) {
			assert.Failf(t, "axe violation", "%s: %s (%s, %s)\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
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
	for _, v := range runAxe(t, ctx, string(axe)) {
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
