package views

import (
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/jobcannon/jobcannon/assessments"
)

// The PDF's page: A4 with margins wide enough that it also prints on
// Letter without losing an edge (Letter is 6 mm wider and 18 mm shorter).
const (
	pdfMargin  = 18.0
	pdfBottom  = 24.0
	pdfWidth   = 210.0 - 2*pdfMargin
	pdfLabelW  = 52.0
	pdfValueW  = 16.0
	pdfBarH    = 4.0
	pdfRowH    = 7.0
	pdfLineH   = 5.0
	pdfHeading = 13.0
)

// pdfColor is a 0xRRGGBB colour of the report's palette, the same as the
// stylesheet's so that the PDF and the page look alike.
type pdfColor int

const (
	pdfInk   pdfColor = 0x111827
	pdfMuted pdfColor = 0x4b5563
	pdfTrack pdfColor = 0xf3f4f6
	pdfIdeal pdfColor = 0xbfdbfe
	pdfBrand pdfColor = 0x1d4ed8
	pdfLow   pdfColor = 0x6b7280
	pdfTick  pdfColor = 0x9ca3af
	pdfOK    pdfColor = 0x166534
	pdfWarn  pdfColor = 0x854d0e
	pdfBad   pdfColor = 0x991b1b
)

func (c pdfColor) rgb() (r, g, b int) { return int(c >> 16 & 0xff), int(c >> 8 & 0xff), int(c & 0xff) }

// ReportPDF writes the recruiter report as a PDF: the same facts, verdict
// reasons, chart and scale texts as ReportPage, built on the server with
// fpdf's core fonts, so nothing is embedded and no browser is needed.
// generated stamps the document (pass the injected clock's now); compress
// is off only in tests that read the content streams.
func ReportPDF(w io.Writer, r assessments.Report, generated time.Time, compress bool) error {
	d := &reportDoc{pdf: fpdf.New("P", "mm", "A4", "")}
	d.tr = d.pdf.UnicodeTranslatorFromDescriptor("") // cp1252: –, —, ×, ’ and accented names
	d.pdf.SetCompression(compress)
	d.pdf.SetCreationDate(generated.UTC())
	d.pdf.SetModificationDate(generated.UTC())
	d.pdf.SetTitle("Assessment report: "+r.Invitation.CandidateName(), true)
	d.pdf.SetCreator("JobCannon for iCIMS", true)
	d.pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	d.pdf.SetAutoPageBreak(true, pdfBottom)
	d.pdf.SetFooterFunc(func() {
		d.pdf.SetY(-pdfBottom + 8)
		d.font(8, "", pdfMuted)
		d.pdf.CellFormat(pdfWidth/2, 4, d.tr(nonEmptyStr(r.Invitation.CompanyName, "Assessment report")+" · confidential"), "", 0, "L", false, 0, "")
		d.pdf.CellFormat(pdfWidth/2, 4, "Page "+strconv.Itoa(d.pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	d.pdf.AddPage()
	d.head(r)
	if !r.Completed {
		d.pending(r)
	} else {
		d.result(r)
	}
	return d.pdf.Output(w)
}

type reportDoc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func (d *reportDoc) font(size float64, style string, c pdfColor) {
	d.pdf.SetFont("Helvetica", style, size)
	d.pdf.SetTextColor(c.rgb())
}

// text writes a wrapped paragraph.
func (d *reportDoc) text(size float64, style string, c pdfColor, s string) {
	d.font(size, style, c)
	d.pdf.MultiCell(pdfWidth, size*0.45, d.tr(s), "", "L", false)
}

// keep starts a new page unless h millimetres still fit on this one, so
// a heading never ends a page and a chart row is never cut.
func (d *reportDoc) keep(h float64) {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > pageH-pdfBottom {
		d.pdf.AddPage()
	}
}

func (d *reportDoc) heading(s string) {
	d.keep(pdfHeading + 3*pdfRowH)
	d.pdf.Ln(4)
	d.text(13, "B", pdfInk, s)
	d.pdf.Ln(1)
}

// fact writes one "label: value" line of the facts list.
func (d *reportDoc) fact(label, value string) {
	d.font(10, "", pdfMuted)
	d.pdf.CellFormat(32, pdfLineH+1, d.tr(label), "", 0, "L", false, 0, "")
	d.font(10, "", pdfInk)
	d.pdf.CellFormat(pdfWidth-32, pdfLineH+1, d.tr(value), "", 1, "L", false, 0, "")
}

func (d *reportDoc) head(r assessments.Report) {
	d.text(9, "", pdfMuted, nonEmptyStr(r.Invitation.CompanyName, "Assessment report")+" · "+r.Package.Name)
	d.pdf.Ln(1)
	d.text(20, "B", pdfInk, nonEmptyStr(r.Invitation.CandidateName(), "Candidate"))
	if r.Invitation.JobTitle != "" {
		d.pdf.Ln(1)
		d.text(11, "", pdfInk, "Applying for "+r.Invitation.JobTitle)
	}
}

func (d *reportDoc) pending(r assessments.Report) {
	d.heading("Not completed yet")
	d.fact("Status", r.Invitation.Status.Label())
	d.fact("Invited", zoned(r.Invitation.CreatedAt, r.Zone))
	d.fact("Link expires", zoned(r.Invitation.ExpiresAt, r.Zone))
}

func (d *reportDoc) result(r assessments.Report) {
	d.heading("Overall")
	d.font(24, "B", pdfInk)
	score := assessments.FormatScore(r.Result.Overall)
	d.pdf.CellFormat(d.pdf.GetStringWidth(score)+2, 11, score, "", 0, "L", false, 0, "")
	d.font(10, "", pdfMuted)
	d.pdf.CellFormat(16, 11, "/ 100", "", 0, "L", false, 0, "")
	d.font(12, "B", verdictColor(r.Result.Verdict))
	d.pdf.CellFormat(0, 11, d.tr(r.Result.Verdict), "", 1, "L", false, 0, "")
	d.text(10, "", pdfInk, r.Why.Sentence())
	d.pdf.Ln(2)
	d.fact("Completed", zoned(r.Result.CompletedAt, r.Zone))
	taken := assessments.FormatTimeTaken(r.Result.TimeTaken())
	if r.Result.TimeTaken() > 0 {
		taken += " answering the questions"
	}
	d.fact("Time taken", taken)
	d.why(r.Why)
	for _, part := range r.Parts {
		d.part(part)
	}
	d.pdf.Ln(4)
	d.text(8, "", pdfMuted, "Scores run from 0 to 100. A percentile compares the candidate with others who took the same assessment for "+
		nonEmptyStr(r.Invitation.CompanyName, "this company")+"; it appears once enough people have. Use the results alongside interviews "+
		"and other information, never as the only reason for a decision.")
}

func (d *reportDoc) why(why assessments.VerdictReason) {
	if len(why.Traits) == 0 && len(why.Flags) == 0 {
		return
	}
	d.heading("Why this verdict")
	if len(why.Traits) > 0 {
		cols := []struct {
			title string
			w     float64
		}{{"Trait", 70}, {"Score", 22}, {"Ideal range", 30}, {"Weight", 26}, {"In range", pdfWidth - 148}}
		d.font(9, "B", pdfMuted)
		for _, c := range cols {
			d.pdf.CellFormat(c.w, pdfLineH+1, c.title, "B", 0, "L", false, 0, "")
		}
		d.pdf.Ln(-1)
		for _, t := range why.Traits {
			d.keep(pdfLineH + 1)
			d.font(9, "", pdfInk)
			scored := "not scored"
			if t.Scored {
				scored = assessments.FormatScore(t.Score)
			}
			cells := []string{t.Name + " (" + t.Instrument + ")", scored,
				assessments.FormatScore(t.Range.Min) + "–" + assessments.FormatScore(t.Range.Max), repWeight(t.Weight), repInRange(t)}
			for i, c := range cols {
				d.pdf.CellFormat(c.w, pdfLineH+1, d.tr(cells[i]), "", 0, "L", false, 0, "")
			}
			d.pdf.Ln(-1)
		}
	}
	if len(why.Flags) > 0 {
		d.pdf.Ln(2)
		d.text(10, "B", pdfWarn, "Answers flagged: read with care")
		for _, f := range why.Flags {
			d.keep(2 * pdfLineH)
			d.text(9, "B", pdfInk, f.Label)
			d.text(9, "", pdfInk, f.Meaning)
		}
	}
}

func (d *reportDoc) part(part assessments.ReportPart) {
	d.heading(part.Name)
	if part.Headline != "" {
		d.text(10, "B", pdfInk, part.Headline)
		d.pdf.Ln(1)
	}
	for _, row := range part.Rows {
		d.chartRow(row)
	}
	for _, row := range part.Rows {
		d.keep(3 * pdfLineH)
		d.pdf.Ln(2)
		head := row.Name + "  "
		if row.Scored {
			head += assessments.FormatScore(row.Score) + ", " + repBand(row)
		} else {
			head += "not scored"
		}
		if row.Percentile.Normed {
			head += ", percentile " + repPercentile(row.Percentile)
		}
		d.text(10, "B", pdfInk, head)
		if row.Low != "" {
			d.text(9, "", pdfMuted, "Low: "+row.Low+". High: "+row.High+".")
		}
		if row.Interpretation != "" {
			d.text(9, "", pdfInk, row.Interpretation)
		}
		if row.HasIdeal {
			d.text(9, "", pdfMuted, "Ideal for this role: "+assessments.FormatScore(row.Ideal.Min)+" to "+assessments.FormatScore(row.Ideal.Max)+".")
		}
	}
	d.pdf.Ln(2)
	line := strconv.Itoa(part.Result.Answered) + " answered, " + strconv.Itoa(part.Result.Skipped) + " skipped"
	if part.Result.Late > 0 {
		line += ", " + strconv.Itoa(part.Result.Late) + " after the time limit"
	}
	if part.Result.TimeTaken() > 0 {
		line += " · time taken " + assessments.FormatTimeTaken(part.Result.TimeTaken())
	}
	d.text(9, "", pdfMuted, line)
}

// chartRow draws one scale as the page's SVG bar does: the track, the
// ideal range behind, the score, and ticks at the band cut-offs.
func (d *reportDoc) chartRow(row assessments.ReportRow) {
	d.keep(pdfRowH)
	x, y := d.pdf.GetXY()
	barX, barW := x+pdfLabelW, pdfWidth-pdfLabelW-pdfValueW
	at := func(v float64) float64 { return barX + barW*min(max(v, 0), 100)/100 }
	d.font(9, "", pdfInk)
	d.pdf.CellFormat(pdfLabelW, pdfRowH, d.tr(row.Name), "", 0, "L", false, 0, "")
	top := y + (pdfRowH-pdfBarH)/2
	fill := func(c pdfColor) { d.pdf.SetFillColor(c.rgb()) }
	fill(pdfTrack)
	d.pdf.Rect(barX, top, barW, pdfBarH, "F")
	if row.HasIdeal {
		fill(pdfIdeal)
		d.pdf.Rect(at(row.Ideal.Min), top-0.8, max(at(row.Ideal.Max)-at(row.Ideal.Min), 0.5), pdfBarH+1.6, "F")
	}
	if row.Scored {
		fill(pdfBrand)
		if row.Band == assessments.BandLow {
			fill(pdfLow)
		}
		d.pdf.Rect(barX, top+0.8, at(row.Score)-barX, pdfBarH-1.6, "F")
	}
	d.pdf.SetDrawColor(pdfTick.rgb())
	d.pdf.SetLineWidth(0.2)
	for _, cut := range []float64{35, 65} {
		d.pdf.Line(at(cut), top-0.8, at(cut), top+pdfBarH+0.8)
	}
	d.pdf.SetXY(barX+barW, y)
	value := "n/a"
	if row.Scored {
		value = assessments.FormatScore(row.Score)
	}
	d.font(9, "B", pdfInk)
	d.pdf.CellFormat(pdfValueW, pdfRowH, value, "", 1, "R", false, 0, "")
}

func verdictColor(verdict string) pdfColor {
	switch verdict {
	case assessments.VerdictRecommended:
		return pdfOK
	case assessments.VerdictConsider, assessments.VerdictReview:
		return pdfWarn
	}
	return pdfBad
}

func nonEmptyStr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
