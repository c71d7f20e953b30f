package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath is Debian's Chromium, which scripts/test and .ci/run install.
const chromiumPath = "/usr/bin/chromium"

// newChrome starts a headless Chromium with a window of the given size and
// returns a context to drive it. Without Chromium the test is skipped on a
// developer's machine and fails in CI, where it must run.
func newChrome(t *testing.T, width, height int) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skip("Chromium not installed; scripts/test installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first Run starts the browser; it must not carry a timeout.
	require.NoError(t, chromedp.Do(ctx))
	return ctx
}

// step runs browser actions with a deadline, so a missing element fails
// the test instead of hanging it.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(sctx, actions...))
}

// screenshot saves the page under testoutput/<journey>/<name>.png.
func screenshot(t *testing.T, ctx context.Context, journey, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dir := filepath.Join("..", "..", "testoutput", journey)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(sel))
	require.NoError(t, err)
	return s
}

func TestBrowserInstallFromTheSandboxMarketplace(t *testing.T) {
	app := newTestApp(t)
	ctx := newChrome(t, 1280, 900)

	step(t, ctx, chromedp.Navigate(app.URL+"/sandbox/marketplace"), chromedp.WaitVisible("form[action='/sandbox/marketplace/install'] button"))
	screenshot(t, ctx, "install", "1-marketplace")
	step(t, ctx, chromedp.Click("form[action='/sandbox/marketplace/install'] button"), chromedp.WaitVisible("button[value='approve']"))
	screenshot(t, ctx, "install", "2-consent")
	step(t, ctx, chromedp.Click("button[value='approve']"), chromedp.WaitVisible("#email"))
	screenshot(t, ctx, "install", "3-account")
	step(t, ctx,
		chromedp.SendKeys("#company", "Acme Corporation"),
		chromedp.SendKeys("#email", "ada@acme.example"),
		chromedp.SendKeys("#name", "Ada Admin"),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#conn-h"),
	)
	require.Contains(t, text(t, ctx, "h1"), "customer 1234")
	step(t, ctx, chromedp.Click("form[action='/admin/connection/test'] button"), chromedp.WaitVisible("#conn-check .alert"))
	require.Contains(t, text(t, ctx, "#conn-check"), "answered")
	screenshot(t, ctx, "install", "4-dashboard")
}
