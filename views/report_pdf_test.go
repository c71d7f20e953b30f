package views_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
	"github.com/jobcannon/jobcannon/views/pdftext"
)

// flaggedReport is a completed report whose answers came too fast, with a
// double-weighted trait outside its ideal range.
func flaggedReport(t testing.TB, parts int) assessments.Report {
	t.Helper()
	lib, err := assessments.BuiltinInstruments()
	require.NoError(t, err)
	big, err := lib.Get("big-five-work")
	require.NoError(t, err)
	pkg := assessments.Package{Name: "Sales", Profile: assessments.TargetProfile{
		Ranges:  map[string]assessments.ScaleRange{"extraversion": {Min: 60, Max: 100}, "conscientiousness": {Min: 60, Max: 100}},
		Weights: map[string]float64{"conscientiousness": 2},
	}}
	r := assessments.Result{Kind: assessments.KindLikert, Flags: []assessments.ValidityFlag{assessments.FlagTooFast}, DurationMS: 49_400,
		Answered: 40, Scales: []assessments.ScaleScore{
			{Scale: "extraversion", Score: 93.75, Band: assessments.BandHigh, Scored: true},
			{Scale: "conscientiousness", Score: 40, Band: assessments.BandAverage, Scored: true},
		}}
	overall, verdict := assessments.PackageFit(pkg, []*assessments.Instrument{big}, []assessments.Result{r})
	require.Equal(t, assessments.VerdictReview, verdict)
	rep := assessments.Report{
		Invitation: assessments.Invitation{CandidateFirstName: "Zoë", CandidateLastName: "O'Neil (Jr)", JobTitle: "Account Executive", CompanyName: "Acme"},
		Package:    pkg, Completed: true,
		Result: assessments.PackageResult{Overall: overall, Verdict: verdict, Flags: r.Flags, CompletedAt: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC),
			Instruments: []assessments.InstrumentResult{{InstrumentID: big.ID, Result: r}}},
		Why: assessments.ExplainVerdict(pkg, []*assessments.Instrument{big}, []assessments.Result{r}, overall, verdict),
	}
	for range parts {
		part := assessments.ReportPart{Name: big.Name, Result: r}
		for _, sc := range big.Scales {
			part.Rows = append(part.Rows, assessments.ReportRow{Scale: sc.ID, Name: sc.Name, Low: sc.Low, High: sc.High, Scored: true,
				Score: 55, Band: assessments.BandAverage, Interpretation: sc.Interpret(assessments.BandAverage)})
		}
		rep.Parts = append(rep.Parts, part)
	}
	return rep
}

func pdfText(t *testing.T, rep assessments.Report, compress bool) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, views.ReportPDF(&buf, rep, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), compress))
	text, err := pdftext.Text(buf.Bytes())
	require.NoError(t, err)
	return text
}

func TestReportPDFSaysWhyTheVerdict(t *testing.T) {
	rep := flaggedReport(t, 1)
	text := pdfText(t, rep, false)
	assert.Equal(t, text, pdfText(t, rep, true), "compression changes nothing a reader sees")
	lines := strings.Split(text, "\n")
	for _, want := range []string{
		"Zoë O'Neil (Jr)", assessments.VerdictReview, "Why this verdict",
		"Answers flagged: read with care", "answered very fast", assessments.FlagText(assessments.FlagTooFast),
		"Conscientiousness (Big Five Work Personality)", "×2", "No", "Extraversion (Big Five Work Personality)", "93.8", "Yes",
		"49 s answering the questions",
	} {
		assert.Contains(t, lines, want)
	}
	assert.Contains(t, strings.Join(lines, " "), rep.Why.Sentence(), "the reason, wrapped")
	assert.NotContains(t, text, "Recommended\n", "a flagged result is never Recommended")
}

func TestReportPDFBreaksPages(t *testing.T) {
	text := pdfText(t, flaggedReport(t, 4), true)
	assert.Contains(t, text, "Page 2", "four parts need more than one page")
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "Page ") {
			continue
		}
		assert.LessOrEqual(t, len([]rune(l)), 140, "a wrapped line fits the page: %q", l)
	}
}

func BenchmarkReportPDF(b *testing.B) {
	rep := flaggedReport(b, 1)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := views.ReportPDF(&buf, rep, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), true); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
