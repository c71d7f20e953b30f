package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// noSideScroll checks that a page fits a phone's width.
func noSideScroll(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	fits := eval[bool](t, ctx, `document.documentElement.scrollWidth <= document.documentElement.clientWidth`)
	assert.True(t, fits, "%s scrolls sideways at this width", page)
}

// answerLikertPage clicks an answer to every question on the page,
// varying them as a person would.
func answerLikertPage(t *testing.T, ctx context.Context, items []string) {
	t.Helper()
	for i, id := range items {
		v := 2 + i%3
		do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="a.%s"][value="%d"]`, id, v))))
	}
}

func TestBigFiveJourneyOnAPhone(t *testing.T) {
	s := startServer(t)
	link, report := s.invite(t, storage.SandboxSeed{FirstName: "Ana", LastName: "Silva", CompanyName: "Acme Ltd", JobTitle: "Account Executive"})
	ctx := newChrome(t, 360, 740)
	inst, err := s.lib.Get("big-five-work")
	require.NoError(t, err)
	pages := inst.Pages()

	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)))
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("h1").textContent`), "Hello Ana")
	noSideScroll(t, ctx, "welcome")
	screenshot(t, ctx, "candidate", "1-welcome")

	// Start without consent: the error is announced and nothing starts.
	do(t, ctx, chromedp.Click(chromedp.CSS(`form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`#consent-error`)))
	assert.Equal(t, "alert", eval[string](t, ctx, `document.querySelector("#consent-error").getAttribute("role")`))
	screenshot(t, ctx, "candidate", "2-consent-error")

	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)))
	screenshot(t, ctx, "candidate", "3-instructions")
	do(t, ctx, chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+pages[0][0].ID+`"]`)))
	noSideScroll(t, ctx, "first question page")
	screenshot(t, ctx, "candidate", "4-page-1")

	// The first question by keyboard alone: Tab stops on it with a visible
	// focus ring, Space picks, an arrow key moves the choice.
	first := pages[0][0].ID
	do(t, ctx, chromedp.Focus(chromedp.CSS(`input[name="a.`+first+`"][value="1"]`)),
		chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowRight))
	assert.Equal(t, "2", eval[string](t, ctx, `document.querySelector('input[name="a.`+first+`"]:checked').value`))
	assert.NotEqual(t, "none", eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`), "focus is visible")

	for p, items := range pages {
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		if p == 0 {
			ids = ids[1:]
		}
		answerLikertPage(t, ctx, ids)
		if p+1 < len(pages) {
			do(t, ctx, chromedp.Click(chromedp.CSS(`button[name="nav"][value="next"]`)),
				chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+pages[p+1][0].ID+`"]`)))
			screenshot(t, ctx, "candidate", fmt.Sprintf("%d-page-%d", 5+p, p+2))
		}
		if p == 1 {
			// Close the tab and come back through the e-mail link: the
			// candidate resumes on the page they reached, answers kept.
			do(t, ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(link),
				chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+pages[2][0].ID+`"]`)))
			assert.True(t, strings.HasSuffix(eval[string](t, ctx, `location.pathname`), "/step/3"))
			assert.Contains(t, eval[string](t, ctx, `document.querySelector("#progress").textContent`), "20 of 40")
		}
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[name="nav"][value="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/submit"] button`)))
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#progress").textContent`), "40 of 40")
	noSideScroll(t, ctx, "review")
	screenshot(t, ctx, "candidate", "8-review")

	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
		chromedp.WaitVisible(`//h1[contains(., "Thank you")]`))
	screenshot(t, ctx, "candidate", "9-thank-you")

	// The recruiter opens the report from iCIMS, also on a phone.
	do(t, ctx, chromedp.Navigate(report), chromedp.WaitVisible(chromedp.CSS(`svg.bar`)))
	assert.Equal(t, 5, eval[int](t, ctx, `document.querySelectorAll("svg.bar").length`))
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("h1").textContent`), "Ana Silva")
	noSideScroll(t, ctx, "report")
	screenshot(t, ctx, "candidate", "10-report")
}
