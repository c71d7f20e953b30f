package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/storage"
)

func TestAnswersSavedAsGivenSurviveAReload(t *testing.T) {
	s := startServer(t)
	link, _ := s.invite(t, storage.SandboxSeed{FirstName: "Ana", CompanyName: "Acme Ltd"})
	inst, err := s.lib.Get("big-five-work")
	require.NoError(t, err)
	ctx := newChrome(t, 360, 740)
	problems := chrometest.Watch(t, ctx)
	submit := chromedp.CSS(`form button[type="submit"]`)
	items := inst.Pages()[0]
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)), chromedp.Click(submit),
		chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+items[0].ID+`"]`)))

	// Five answers picked, each saved before the next (the status says so).
	picked := map[string]string{}
	for i, it := range items[:5] {
		v := fmt.Sprint(1 + i%5)
		picked["a."+it.ID] = v
		eval[string](t, ctx, `document.getElementById("save-status").textContent = ""`)
		do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="a.`+it.ID+`"][value="`+v+`"]`)),
			chromedp.WaitVisible(`//p[@id="save-status"][contains(., "Answer saved.")]`))
	}

	assert.Contains(t, eval[string](t, ctx, `document.getElementById("progress").textContent`), "5 of 40 questions answered",
		"the progress line counts the answers as they are saved")

	// A reload (a phone that dropped the tab) shows all five.
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+items[0].ID+`"]`)))
	checked := eval[map[string]string](t, ctx,
		`Object.fromEntries([...document.querySelectorAll("input:checked")].map(i => [i.name, i.value]))`)
	assert.Equal(t, picked, checked, "the reload shows the answers given")
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("progress").textContent`), "5 of 40 questions answered")
	assert.Empty(t, problems.CSP(), "the script keeps to the strict CSP")
	assert.Empty(t, problems.Scripts(), "the script throws nothing")
}

func TestCountdownStaysInViewInLocalTimeAndEndsOnTheServer(t *testing.T) {
	s := startServer(t)
	link, _ := s.invite(t, storage.SandboxSeed{PackageName: "Reasoning", InstrumentIDs: []string{"reasoning"}})
	ctx := newChrome(t, 360, 740)
	problems := chrometest.Watch(t, ctx)
	_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"})
	require.NoError(t, err)
	submit := chromedp.CSS(`form button[type="submit"]`)
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)))
	begun := time.Now()
	do(t, ctx, chromedp.Click(submit), chromedp.WaitVisible(chromedp.CSS(`#timer .clock`)))

	clock := eval[string](t, ctx, `document.querySelector("#timer .clock").textContent`)
	assert.Regexp(t, regexp.MustCompile(`^1[12]:[0-5]\d left$`), clock, "a live mm:ss countdown")
	text := eval[string](t, ctx, `document.querySelector("#timer .timer-text").textContent`)
	assert.NotContains(t, text, "UTC", "the end time is the candidate's own")
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	var local []string
	for _, d := range []time.Duration{-time.Minute, 0, time.Minute} {
		local = append(local, begun.Add(12*time.Minute+d).In(tokyo).Format("3:04"))
	}
	assert.True(t, strings.Contains(text, local[0]) || strings.Contains(text, local[1]) || strings.Contains(text, local[2]),
		"%q shows the end in Tokyo time, one of %v", text, local)
	assert.Equal(t, "status", eval[string](t, ctx, `document.querySelector("#timer .timer-text").getAttribute("role")`),
		"the spoken text is a polite live region")
	assert.Equal(t, "true", eval[string](t, ctx, `document.querySelector("#timer .clock").getAttribute("aria-hidden")`),
		"the per-second clock is not read out")
	assert.False(t, eval[bool](t, ctx, `document.getElementById("timer").classList.contains("warn")`), "no warning with 12 minutes left")

	// Scrolled to the end of the page, the countdown is still in view.
	eval[any](t, ctx, `window.scrollTo(0, document.body.scrollHeight)`)
	top := eval[float64](t, ctx, `document.getElementById("timer").getBoundingClientRect().top`)
	assert.True(t, top >= 0 && top < 5, "the timer sticks to the top of the screen (top %v)", top)

	// Near the end: the warning, then the server's time-up page.
	s.clock.Advance(12*time.Minute - 5*time.Second)
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#timer .clock`)))
	assert.True(t, eval[bool](t, ctx, `document.getElementById("timer").classList.contains("warn")`), "a warning near the end")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#timer .timer-text").textContent`), "Less than 30 seconds left")
	do(t, ctx, chromedp.WaitVisible(`//h1[contains(., "Time is up for")]`))
	assert.Empty(t, problems.CSP())
	assert.Empty(t, problems.Scripts())
}

func TestReviewOpensTheBlankQuestionMarked(t *testing.T) {
	s := startServer(t)
	link, _ := s.invite(t, storage.SandboxSeed{CompanyName: "Acme Ltd"})
	inst, err := s.lib.Get("big-five-work")
	require.NoError(t, err)
	ctx := newChrome(t, 360, 740)
	submit := chromedp.CSS(`form button[type="submit"]`)
	next := chromedp.CSS(`button[name="nav"][value="next"]`)
	pages := inst.Pages()
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)), chromedp.Click(submit))
	for p, items := range pages {
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+items[0].ID+`"]`)))
		for i, it := range items {
			if p == 0 && i == 2 {
				continue
			}
			do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="a.`+it.ID+`"][value="3"]`)))
		}
		do(t, ctx, chromedp.Click(next))
	}
	blank := pages[0][2].ID
	do(t, ctx, chromedp.WaitVisible(`//a[contains(., "Page 1, question 3")]`),
		chromedp.Click(`//a[contains(., "Page 1, question 3")]`),
		chromedp.WaitVisible(chromedp.CSS(`fieldset.q.blank#q-`+blank)))
	assert.Equal(t, "#q-"+blank, eval[string](t, ctx, `location.hash`))
	top := eval[float64](t, ctx, `document.getElementById("q-`+blank+`").getBoundingClientRect().top`)
	assert.True(t, top >= 0 && top < 740, "the blank question is on screen (top %v), not the top of its page", top)
	assert.Equal(t, "Not answered yet.", eval[string](t, ctx, `document.getElementById(document.getElementById("q-`+blank+`").getAttribute("aria-describedby")).textContent`))
	for _, v := range chrometest.Axe(t, ctx) {
		assert.Failf(t, "axe violation", "marked question: %s", v)
	}

	// Answering it takes the mark away.
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="a.`+blank+`"][value="4"]`)),
		chromedp.WaitVisible(`//p[@id="save-status"][contains(., "Answer saved.")]`))
	assert.False(t, eval[bool](t, ctx, `document.getElementById("q-`+blank+`").classList.contains("blank")`))
	assert.Equal(t, 0, eval[int](t, ctx, `document.querySelectorAll("[id^='b-']").length`))
}

// TestSaveStatusNeverMovesTheButtons guards the page's buttons against
// the save status: a line of text appearing above them while a finger
// (or chromedp) is on its way to Next moved Next away, and the tap fell
// on the form beside it, so the page was never sent.
func TestSaveStatusNeverMovesTheButtons(t *testing.T) {
	s := startServer(t)
	link, _ := s.invite(t, storage.SandboxSeed{PackageName: "Work styles", InstrumentIDs: []string{"work-style"}})
	ctx := newChrome(t, 360, 740)
	submit := chromedp.CSS(`form button[type="submit"]`)
	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
		chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)), chromedp.Click(submit),
		chromedp.WaitVisible(chromedp.CSS(`input[name="m.b01"]`)))
	const buttons = `[...document.querySelectorAll(".actions button")].map(b => b.getBoundingClientRect().top + scrollY)`
	before := eval[[]float64](t, ctx, buttons)
	require.NotEmpty(t, before)

	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="m.b01"][value="b01-2"]`)),
		chromedp.Click(chromedp.CSS(`input[name="l.b01"][value="b01-3"]`)),
		chromedp.WaitVisible(`//p[@id="save-status"][contains(., "Answer saved.")]`))
	assert.Equal(t, before, eval[[]float64](t, ctx, buttons), "a saved answer's status leaves the buttons where they were")

	// The longest status, wrapped over lines on a phone, too.
	eval[string](t, ctx, `const st = document.getElementById("save-status"); st.textContent = st.dataset.tOffline`)
	assert.Equal(t, before, eval[[]float64](t, ctx, buttons), "the offline status leaves the buttons where they were")
}

// TestPageSubmitWaitsForASaveUnderWay sends the page while its last
// answer's save is still on its way (held back 800 ms in the page): the
// save reaches the server first and the page is sent after it, and a
// save refused as the page is left (409) reloads nothing: the page goes
// on with its answers.
func TestPageSubmitWaitsForASaveUnderWay(t *testing.T) {
	cases := []struct {
		name string
		// reply is what the held-back save answers: the server's own
		// answer, or a conflict.
		reply string
	}{
		{name: "save lands first", reply: `fetch(url, opts)`},
		{name: "conflict while leaving", reply: `new Response("", {status: 409})`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t)
			link, _ := s.invite(t, storage.SandboxSeed{})
			inst, err := s.lib.Get("big-five-work")
			require.NoError(t, err)
			pages := inst.Pages()
			ctx := newChrome(t, 360, 740)
			problems := chrometest.Watch(t, ctx)
			submit := chromedp.CSS(`form button[type="submit"]`)
			do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="consent"]`)),
				chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(submit),
				chromedp.WaitReady(chromedp.CSS(`input[type="hidden"][name="nav"]`)), chromedp.Click(submit),
				chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+pages[0][0].ID+`"]`)))

			// sessionStorage outlives the page: it tells page 2 when the
			// save ended and when page 1 was left.
			eval[chromedp.Void](t, ctx, `sessionStorage.clear();
				const realFetch = window.fetch;
				window.fetch = (url, opts) => new Promise(r => setTimeout(r, 800)).then(() => {
					const fetch = realFetch;
					return `+tc.reply+`;
				}).then(res => { sessionStorage.saveEnded = Date.now(); return res; });
				addEventListener("beforeunload", () => { sessionStorage.left = Date.now(); });`)
			do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="a.`+pages[0][0].ID+`"][value="4"]`)),
				chromedp.Click(chromedp.CSS(`button[name="nav"][value="next"]`)),
				chromedp.WaitVisible(chromedp.CSS(`input[name="a.`+pages[1][0].ID+`"]`)))

			ended := eval[float64](t, ctx, `Number(sessionStorage.saveEnded || 0)`)
			left := eval[float64](t, ctx, `Number(sessionStorage.left || 0)`)
			require.NotZero(t, ended, "the save ended before the page was left")
			require.NotZero(t, left)
			assert.LessOrEqual(t, ended, left, "the page was sent after its save")
			assert.Contains(t, eval[string](t, ctx, `document.getElementById("progress").textContent`), "1 of 40 questions answered")
			assert.Empty(t, problems.Scripts(), "the script throws nothing")
		})
	}
}
