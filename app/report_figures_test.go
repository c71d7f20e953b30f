package app

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/views/pdftext"
)

// TestReportFiguresAreTheSameEverywhere completes one invitation whose
// overall (as PackageFit stores it, one decimal) would round up to a whole
// number, and whose candidate spent longer on the pages than on the
// questions, and checks that iCIMS's row, the scorecard field, the
// simulator's candidate page, the report, its PDF and the admin's history
// all show one score and one time taken.
func TestReportFiguresAreTheSameEverywhere(t *testing.T) {
	e := newWritebackEnv(t)
	c := e.invite(1)
	c.sent()
	c.start()
	now := time.Now().UTC()
	_, err := e.app.results.Complete(e.ctx, assessments.PackageResult{TenantID: e.tenant.ID, InvitationID: c.inv.ID,
		Overall: 86.7, Verdict: assessments.VerdictRecommended, Summary: "Extraversion 94 (high).", Flags: []assessments.ValidityFlag{},
		StartedAt: now.Add(-54 * time.Second), CompletedAt: now,
		Instruments: []assessments.InstrumentResult{{InstrumentID: "big-five-work", Result: assessments.Result{
			InstrumentID: "big-five-work", Kind: assessments.KindLikert, Answered: 40, DurationMS: 49_400,
			Scales: []assessments.ScaleScore{{Scale: "extraversion", Score: 93.75, Band: assessments.BandHigh, Scored: true}},
		}}}})
	require.NoError(t, err)
	const score, taken = "86.7", "49 s"
	c.waitFor(assessments.WritebackDone)

	rows := c.rows()
	require.Len(t, rows, 1)
	require.NotNil(t, rows[0].Score)
	assert.Equal(t, score, strconv.FormatFloat(*rows[0].Score, 'f', -1, 64), "iCIMS's assessmentscore")
	assert.Equal(t, score, c.person()[icimstest.FieldAssessmentScore], "the scorecard field")
	sim := e.b.get(e.app.URL + "/sandbox/customers/" + icimstest.CustomerUS + "/workflows/" + strconv.Itoa(c.wid))
	require.Equal(t, http.StatusOK, sim.Status)
	assert.Contains(t, sim.Body, ">"+score+"<", "the iCIMS candidate record a recruiter reads")

	report := newBrowser(t).get(rows[0].URL)
	require.Equal(t, http.StatusOK, report.Status, report.Body)
	figure := func(id string) string {
		m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]+)<`).FindStringSubmatch(report.Body)
		require.NotNil(t, m, "no #%s on the report", id)
		return strings.TrimSpace(m[1])
	}
	assert.Equal(t, score, figure("overall-score"), "the report")
	assert.Equal(t, taken, figure("time-taken"), "the report's time taken is the answering time")
	assert.Contains(t, report.Body, "time taken "+taken, "the part's time is the same figure")
	assert.NotContains(t, report.Body, "54 s", "start to submit is not a second time taken")

	pdf := newBrowser(t).get(rows[0].URL + "/pdf")
	require.Equal(t, http.StatusOK, pdf.Status)
	text, err := pdftext.Text([]byte(pdf.Body))
	require.NoError(t, err)
	lines := strings.Split(text, "\n")
	assert.Contains(t, lines, score, "the PDF")
	assert.Contains(t, lines, taken+" answering the questions", "the PDF's time taken")
	assert.NotContains(t, text, "87", "no whole-number rounding anywhere in the PDF")

	history := e.b.get(e.app.URL + "/admin/invitations/" + strconv.FormatInt(c.inv.ID, 10))
	require.Equal(t, http.StatusOK, history.Status)
	assert.Contains(t, history.Body, "score "+score+", Recommended", "the admin's history of the invitation")
}
