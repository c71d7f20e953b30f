package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/e2e/chrometest"
	"github.com/jobcannon/jobcannon/storage"
)

// takeBigFiveFast answers a Big Five invitation over plain HTTP, varied
// answers far faster than anyone reads: the result is flagged too fast,
// which is what the report must then explain.
func takeBigFiveFast(t *testing.T, s *server, link string) {
	t.Helper()
	inst, err := s.lib.Get("big-five-work")
	require.NoError(t, err)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) {
		t.Helper()
		res, err := c.PostForm(link+path, form)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusSeeOther, res.StatusCode, path)
	}
	post("/start", url.Values{"consent": {"yes"}})
	post("/step/0", url.Values{"nav": {"next"}})
	n := 0
	for p, items := range inst.Pages() {
		form := url.Values{"nav": {"next"}}
		for _, it := range items {
			n++
			form.Set("a."+it.ID, strconv.Itoa(1+(n*3)%5))
		}
		// Three tenths of a second on a page of ten: 30 ms an answer, timed
		// (a page answered within a millisecond or two would count as not
		// timed, since the server measures from the part's start).
		shown := time.Now()
		time.Sleep(300 * time.Millisecond)
		form.Set("shown", strconv.FormatInt(shown.UnixMilli(), 10))
		post("/step/"+strconv.Itoa(p+1), form)
	}
	post("/submit", url.Values{})
}

// TestReportForRecruiters opens a completed, flagged report on a desktop:
// it says why the verdict is what it is, passes axe, prints on A4 without
// navigation or overflow, and links its PDF. It saves the screenshots the
// README shows when JOBCANNON_UPDATE_SCREENSHOTS is set.
func TestReportForRecruiters(t *testing.T) {
	s := startServer(t)
	candidate, report := s.invite(t, storage.SandboxSeed{WorkflowID: "7", FirstName: "Avery", LastName: "Brooks",
		CompanyName: "Acme Ltd", JobTitle: "Account Executive", PackageName: "Sales profile", InstrumentIDs: []string{"big-five-work"},
		Configure: func(p *assessments.Package) {
			p.Profile = assessments.TargetProfile{
				Ranges:  map[string]assessments.ScaleRange{"extraversion": {Min: 60, Max: 100}, "conscientiousness": {Min: 55, Max: 100}},
				Weights: map[string]float64{"conscientiousness": 2},
			}
		}})
	takeBigFiveFast(t, s, candidate)

	ctx := newChrome(t, 1280, 900)
	do(t, ctx, chromedp.Navigate(report), chromedp.WaitVisible(`#overall-score`))
	assert.Equal(t, assessments.VerdictReview, chrometest.Text(t, ctx, `#verdict`), "answered in milliseconds: flagged, not recommended")
	why := chrometest.Text(t, ctx, `.why`)
	for _, want := range []string{"Why this verdict", "Extraversion", "Conscientiousness", "×2", "answered very fast",
		assessments.FlagText(assessments.FlagTooFast)} {
		assert.Contains(t, why, want)
	}
	assert.True(t, strings.HasSuffix(eval[string](t, ctx, `document.querySelector('a[download]').href`), "/pdf"), "Download PDF")
	for _, v := range chrometest.Axe(t, ctx) {
		assert.Failf(t, "axe violation", "report: %s", v)
	}
	saveDoc(t, ctx, "report-verdict")
	savePDFDoc(t, report+"/pdf", "report-pdf")

	// Printed: A4's printable width at 96 dpi, the print stylesheet.
	do(t, ctx, chromedp.EmulateViewport(718, 1000))
	sctx, cancel := context.WithTimeout(ctx, chrometest.StepTimeout)
	defer cancel()
	_, err := chromedp.Call(sctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	require.NoError(t, err)
	assert.Equal(t, "none", eval[string](t, ctx, `getComputedStyle(document.querySelector('.topbar')).display`), "no navigation on paper")
	assert.Equal(t, "none", eval[string](t, ctx, `getComputedStyle(document.querySelector('a[download]').parentElement).display`), "no PDF link on paper")
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 718, "nothing wider than the paper")
	assert.Equal(t, "avoid", eval[string](t, ctx, `getComputedStyle(document.querySelector('.why tr')).breakInside`), "table rows are not cut")
	screenshot(t, ctx, "report", "print")
	pdf, err := chromedp.Call(sctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
	require.NoError(t, err)
	require.NotEmpty(t, pdf.Data)
	dir := filepath.Join(chrometest.ModuleRoot(t), "testoutput", "report")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "print-a4.pdf"), pdf.Data, 0o644))
}

// saveDoc writes what the window shows to docs/screenshots/<name>.png
// when the README's screenshots are being updated.
func saveDoc(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("JOBCANNON_UPDATE_SCREENSHOTS") == "" {
		return
	}
	png := chrometest.ViewportPNG(t, ctx)
	dir := filepath.Join(chrometest.ModuleRoot(t), "docs", "screenshots")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// savePDFDoc renders the first page of the report's PDF to
// docs/screenshots/<name>.png when the README's screenshots are being
// updated. Headless Chromium shows no PDF (its viewer is not there), so
// this takes pdftoppm from Debian's poppler-utils, and says so when it is
// missing rather than fail: only this screenshot needs it.
func savePDFDoc(t *testing.T, link, name string) {
	t.Helper()
	if os.Getenv("JOBCANNON_UPDATE_SCREENSHOTS") == "" {
		return
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Logf("no pdftoppm (apt-get install poppler-utils): docs/screenshots/%s.png not updated", name)
		return
	}
	res, err := http.Get(link)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	pdf, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	tmp := filepath.Join(t.TempDir(), "report.pdf")
	require.NoError(t, os.WriteFile(tmp, pdf, 0o644))
	out := filepath.Join(chrometest.ModuleRoot(t), "docs", "screenshots", name)
	cmd := exec.Command(pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", tmp, out)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
}
