package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/views/pdftext"
)

// completeTimed takes a seeded Big Five invitation to the end with the
// clock moving on each page, so the result has a time taken.
func (s *site) completeTimed(t *testing.T, sb storage.Sandbox, perPage time.Duration) {
	t.Helper()
	c := s.client(t)
	base := "/a/" + sb.Token
	c.get(base)
	c.post(base+"/start", url.Values{"consent": {"yes"}})
	s.clock.Advance(7 * time.Second) // reading the instructions
	c.post(base+"/step/0", url.Values{"nav": {"next"}})
	for n := 1; n <= 4; n++ {
		page := c.get(base + "/step/" + strconv.Itoa(n))
		s.clock.Advance(perPage)
		require.Equal(t, http.StatusSeeOther, c.post(base+"/step/"+strconv.Itoa(n), withNav(answerPage(page.Body, 4), "next")).Status)
	}
	s.clock.Advance(5 * time.Second) // checking the answers on the review page
	require.Equal(t, http.StatusSeeOther, c.post(base+"/submit", nil).Status)
}

// overallRe and timeRe read the figures the report page shows.
func reportFigure(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]+)<`).FindStringSubmatch(body)
	require.NotNil(t, m, "no #%s on the report", id)
	return strings.TrimSpace(m[1])
}

func TestReportPDFShowsTheReportsFigures(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sb := s.seed(t, storage.SandboxSeed{FirstName: "José", LastName: "Silva", JobTitle: "Account Executive", CompanyName: "Acme Ltd"})
	link := assessments.ReportPath(s.keys, sb.Invitation.ReportID)
	c := s.client(t)
	s.completeTimed(t, sb, 30*time.Second)

	res, err := s.results.ResultByInvitation(ctx, sb.TenantID, sb.Invitation.ID)
	require.NoError(t, err)
	score, taken := assessments.FormatScore(res.Overall), assessments.FormatTimeTaken(res.TimeTaken())
	require.NotEqual(t, "—", taken, "the parts were timed")

	page := c.get(link)
	require.Equal(t, http.StatusOK, page.Status)
	assert.Equal(t, score, reportFigure(t, page.Body, "overall-score"))
	assert.Equal(t, taken, reportFigure(t, page.Body, "time-taken"))
	assert.Contains(t, page.Body, `href="`+link+`/pdf"`, "the page links its PDF")
	assert.Contains(t, page.Body, "Download PDF")

	pdf := c.get(link + "/pdf")
	require.Equal(t, http.StatusOK, pdf.Status, pdf.Body)
	assert.Equal(t, "application/pdf", pdf.Header.Get("Content-Type"))
	assert.Equal(t, "private, no-store", pdf.Header.Get("Cache-Control"), "cached no more than the report")
	assert.Equal(t, `attachment; filename=assessment-report-jose-silva-`+res.CompletedAt.UTC().Format("2006-01-02")+`.pdf`,
		pdf.Header.Get("Content-Disposition"))
	require.True(t, strings.HasPrefix(pdf.Body, "%PDF-"), "%.20q", pdf.Body)

	text, err := pdftext.Text([]byte(pdf.Body))
	require.NoError(t, err)
	lines := strings.Split(text, "\n")
	assert.Contains(t, lines, score, "the overall, as the page shows it")
	assert.Contains(t, lines, taken+" answering the questions", "the time taken, as the page shows it")
	assert.Contains(t, lines, res.Verdict)
	for _, want := range []string{"José Silva", "Applying for Account Executive", "Big Five Work Personality", "Extraversion", "Openness",
		"Time taken", "Completed", "Page 1"} {
		assert.Contains(t, text, want)
	}

	for name, path := range map[string]string{
		"tampered":       link[:len(link)-2] + "xx/pdf",
		"database id":    "/r/" + itoa(sb.Invitation.ID) + "/pdf",
		"candidate link": "/r/" + sb.Token + "/pdf",
	} {
		bad := c.get(path)
		assert.Equal(t, http.StatusNotFound, bad.Status, name)
		assert.NotContains(t, bad.Body, "Silva", name)
	}
	require.NoError(t, s.results.RevokeReport(ctx, sb.TenantID, res.ID))
	revoked := c.get(link + "/pdf")
	assert.Equal(t, http.StatusForbidden, revoked.Status, "a withdrawn link gives no PDF either")
	assert.NotContains(t, revoked.Body, "Silva")
}
