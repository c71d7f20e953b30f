package app

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/e2e/chrometest"
)

// updateScreenshots rewrites the README's screenshots from the journeys:
// go test -run Journey ./app/ -update-screenshots
var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's screenshots under docs/screenshots")

// journey is one user's way through the product in a real Chromium tab:
// it saves a screenshot of every page it checks, runs axe-core on the
// product's own pages, and at the end requires that no page broke the
// Content-Security-Policy or threw a script error.
type journey struct {
	t        *testing.T
	name     string
	ctx      context.Context
	problems *chrometest.Problems
}

func newJourney(t *testing.T, name string, ctx context.Context) *journey {
	t.Helper()
	j := &journey{t: t, name: name, ctx: ctx, problems: chrometest.Watch(t, ctx)}
	t.Cleanup(j.clean)
	return j
}

// do runs browser steps, each under chrometest.StepTimeout. When one
// fails it saves the page as failure.png and logs where the browser was.
func (j *journey) do(actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	for i, a := range actions {
		ctx, cancel := context.WithTimeout(j.ctx, chrometest.StepTimeout)
		err := chromedp.Do(ctx, a)
		cancel()
		if err != nil {
			j.shot("failure")
			where, _ := chromedp.Run(j.ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 2000)`))
			j.t.Fatalf("step %d of %d: %v; the browser shows %s", i+1, len(actions), err, where)
		}
	}
}

// text is the visible text of the first element sel matches.
func (j *journey) text(sel string) string {
	j.t.Helper()
	return chrometest.Text(j.t, j.ctx, sel)
}

// eval evaluates a script in the page.
func (j *journey) eval(script string) string {
	j.t.Helper()
	return chrometest.Eval[string](j.t, j.ctx, script)
}

// path is the current page's path.
func (j *journey) path() string {
	j.t.Helper()
	return j.eval(`location.pathname`)
}

// htmxReady waits until htmx has loaded. It comes with defer: a click
// before then is a plain form post, which the pages also answer, but with
// a whole page instead of the fragment the journey waits for.
var htmxReady = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := chromedp.Poll[bool](`typeof window.htmx === "object"`)(ctx, t)
	return err
})

// shot saves the page as testoutput/<journey>/<name>.png.
func (j *journey) shot(name string) {
	j.t.Helper()
	chrometest.Screenshot(j.t, j.ctx, j.name, name)
}

// page is shot plus axe-core: one of the product's own pages (the
// simulator's are a developer tool and only get shot).
func (j *journey) page(name string) {
	j.t.Helper()
	j.shot(name)
	for _, v := range chrometest.Axe(j.t, j.ctx) {
		assert.Failf(j.t, "axe violation", "%s %s at %s: %s", j.name, name, j.path(), v)
	}
}

// doc saves what the window shows as docs/screenshots/<name>.png when the
// screenshots are being updated.
func (j *journey) doc(name string) {
	j.t.Helper()
	j.docOf(j.ctx, name)
}

// docOf is doc for another tab, such as the candidate's phone.
func (j *journey) docOf(tab context.Context, name string) {
	j.t.Helper()
	if !*updateScreenshots {
		return
	}
	png := chrometest.ViewportPNG(j.t, tab)
	assert.Less(j.t, len(png), 150<<10, "%s is too large for the README", name)
	dir := filepath.Join(chrometest.ModuleRoot(j.t), "docs", "screenshots")
	require.NoError(j.t, os.MkdirAll(dir, 0o755))
	require.NoError(j.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// waitPage reloads the page until its text contains every one of want,
// for what the service does in the background (jobs, write-backs). It
// polls: a job takes milliseconds to seconds.
func (j *journey) waitPage(sel string, want ...string) string {
	j.t.Helper()
	var got string
	require.Eventually(j.t, func() bool {
		ctx, cancel := context.WithTimeout(j.ctx, 5*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitReady("body")); err != nil {
			return false
		}
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			return false
		}
		got = s
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, 20*time.Second, 150*time.Millisecond, "%s never showed %q; it shows:\n%s", sel, want, got)
	return got
}

// clean requires a journey without policy violations or script errors.
func (j *journey) clean() {
	assert.Empty(j.t, j.problems.CSP(), "Content-Security-Policy violations in journey %s", j.name)
	assert.Empty(j.t, j.problems.Scripts(), "script errors in journey %s", j.name)
}
