// Package chrometest drives Debian's Chromium for the browser tests of
// every package: one way to start it, run steps under a deadline, read
// values, save screenshots, watch for Content-Security-Policy violations
// and script errors, and run axe-core. It is imported by tests only.
package chrometest

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// ChromiumPath is Debian's Chromium, which scripts/test and .ci/run install.
const ChromiumPath = "/usr/bin/chromium"

// StepTimeout bounds every step, so a missing element fails the test
// instead of hanging it.
const StepTimeout = 15 * time.Second

// New starts a headless Chromium whose first tab has a viewport of the
// given size and returns a context to drive that tab. Without Chromium the
// test is skipped on a developer's machine and fails in CI, where it must
// run.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	if _, err := exec.LookPath(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skip("Chromium not installed; scripts/test installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	require.NoError(t, chromedp.Do(ctx))
	Do(t, ctx, chromedp.EmulateViewport(int64(width), int64(height)))
	return ctx
}

// Tab opens another tab of the same browser with its own viewport size,
// such as a phone's beside a desktop's. Cookies are shared, as in a real
// browser.
func Tab(t testing.TB, browser context.Context, width, height int) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx))
	Do(t, ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile))
	return ctx
}

// Front brings the tab of ctx to the front, as a person switching to it
// does: a tab in the background may hold back the input sent to it.
func Front(t testing.TB, ctx context.Context) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	_, err := chromedp.Call(sctx, target.ActivateTarget, target.ActivateTargetParams{TargetID: chromedp.FromContext(ctx).Target.TargetID})
	require.NoError(t, err)
}

// Do runs browser actions in order, each under StepTimeout of its own: a
// click that loads a page and the wait for that page's content must not
// share one deadline on a slow (race-detecting) run.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, a := range actions {
		sctx, cancel := context.WithTimeout(ctx, StepTimeout)
		err := chromedp.Do(sctx, a)
		cancel()
		require.NoError(t, err, "step %d of %d", i+1, len(actions))
	}
}

// Eval evaluates a script in the page and returns its value.
func Eval[T any](t testing.TB, ctx context.Context, script string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](script, opts...))
	require.NoError(t, err)
	return v
}

// Text returns the visible text of the first element sel matches.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(sel))
	require.NoError(t, err)
	return s
}

// Screenshot saves the whole page under testoutput/<journey>/<name>.png
// at the module's root.
func Screenshot(t testing.TB, ctx context.Context, journey, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dir := filepath.Join(ModuleRoot(t), "testoutput", journey)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// ViewportPNG is what the window shows, without the part of the page
// below it: small enough for the README.
func ViewportPNG(t testing.TB, ctx context.Context) []byte {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	return png
}

// ModuleRoot is the directory of go.mod above the test's working
// directory (the package directory).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the working directory")
		dir = parent
	}
}

// Problems collects, for one tab, every Content-Security-Policy violation
// the browser reports and every script error a page throws.
type Problems struct {
	mu  sync.Mutex
	csp []string
	js  []string
}

// Watch starts collecting the problems of the tab of ctx. Call it before
// the first navigation it should cover.
func Watch(t testing.TB, ctx context.Context) *Problems {
	t.Helper()
	p := &Problems{}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			// Only the policy's reports: axe-core's messages to sandboxed
			// frames also come as "security" entries.
			if strings.Contains(e.Entry.Text, "Content Security Policy") {
				p.mu.Lock()
				p.csp = append(p.csp, e.Entry.URL+": "+e.Entry.Text)
				p.mu.Unlock()
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			p.mu.Lock()
			p.js = append(p.js, e.ExceptionDetails.URL+": "+msg)
			p.mu.Unlock()
		}
	}))
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	_, err := chromedp.Call(sctx, cdplog.Enable, cdp.Empty{})
	require.NoError(t, err)
	_, err = chromedp.Call(sctx, runtime.Enable, cdp.Empty{})
	require.NoError(t, err)
	return p
}

// CSP returns the policy violations reported so far.
func (p *Problems) CSP() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.csp...)
}

// Scripts returns the uncaught script errors reported so far.
func (p *Problems) Scripts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.js...)
}

// WaitCSP waits until at least n violations have been reported, for tests
// that prove the watch sees one: reports arrive after the action.
func (p *Problems) WaitCSP(n int, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if len(p.CSP()) >= n {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

//go:embed axe.min.js
var axeScript string

// AxeViolation is the part of an axe-core violation a failure message
// needs.
type AxeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// Axe injects the vendored axe-core (axe.min.js, from the npm package
// axe-core 4; licence in axe-LICENSE.txt) into the page and returns its
// violations of WCAG 2.x A and AA and of the best practices.
func Axe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	if !Eval[bool](t, ctx, `typeof window.axe === "object"`) {
		Eval[chromedp.Void](t, ctx, axeScript)
	}
	raw := Eval[[]byte](t, ctx, `axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
		resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)
	})))`, chromedp.EvalAwaitPromise)
	var out []AxeViolation
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// String formats a violation for a failure message.
func (v AxeViolation) String() string {
	return v.ID + " (" + v.Impact + ", " + v.Help + ")\n  " + strings.Join(v.Nodes, "\n  ")
}
