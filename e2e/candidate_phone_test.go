package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// wider lists the elements of the page whose box reaches past the
// viewport's right edge, as "tag.class: right edge", so a failure names
// the culprit.
const wider = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	for (const el of document.querySelectorAll("body *")) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 0.5) out.push(el.tagName.toLowerCase() + "." + el.className + ": " + Math.round(r.right));
	}
	return out;
})()`

// overBorder lists the questions whose text starts above their card's top
// border: a fieldset's legend drawn across the border.
const overBorder = `[...document.querySelectorAll("fieldset.q")].filter(f => {
	const border = f.getBoundingClientRect().top + parseFloat(getComputedStyle(f).borderTopWidth);
	return f.querySelector("legend").getBoundingClientRect().top < border;
}).map(f => f.id)`

func TestReasoningPagesFitAPhone(t *testing.T) {
	s := startServer(t)
	link, _ := s.invite(t, storage.SandboxSeed{PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}, CompanyName: "Acme Ltd", JobTitle: "Analyst"})
	inst, err := s.lib.Get("reasoning")
	require.NoError(t, err)
	ctx := newChrome(t, 360, 740)
	submit := chromedp.CSS(`form button[type="submit"]`)
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)), chromedp.Click(submit))
	pages := inst.Pages()
	for p, items := range pages {
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+items[0].ID+`"]`)))
		assert.Empty(t, eval[[]string](t, ctx, wider), "page %d: elements wider than a 360 px phone", p+1)
		assert.Empty(t, eval[[]string](t, ctx, overBorder), "page %d: question text over its card's border", p+1)
		noSideScroll(t, ctx, "reasoning page")
		if p == 0 {
			do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="a.`+items[0].ID+`"]`)))
			saveDoc(t, ctx, "candidate-question-phone")
		}
		if p+1 < len(pages) {
			do(t, ctx, chromedp.Click(chromedp.CSS(`button[name="nav"][value="next"]`)))
		}
	}
}
