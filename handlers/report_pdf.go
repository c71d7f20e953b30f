package handlers

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// ReportPDF sends the recruiter report as a PDF attachment, for a hiring
// packet. The signed link, its withdrawal and the caching rule are the
// report page's.
func (h *Report) ReportPDF(c echo.Context) error {
	rep, err := h.Reports.Open(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := views.ReportPDF(&buf, rep, h.Clock.Now(), true); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": reportFileName(rep)}))
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}

// reportFileName names the PDF after the candidate and the day it was
// completed, in plain ASCII so every mail client and file system keeps it:
// "assessment-report-ana-silva-2026-12-03.pdf".
func reportFileName(rep assessments.Report) string {
	var b strings.Builder
	dash := false
	// Decomposed, "José" is "Jose" and a combining accent, which is dropped.
	for _, r := range norm.NFD.String(strings.ToLower(rep.Invitation.CandidateName())) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if name == "" {
		name = "candidate"
	}
	if !rep.Result.CompletedAt.IsZero() {
		name += "-" + rep.Result.CompletedAt.UTC().Format("2006-01-02")
	}
	return "assessment-report-" + name + ".pdf"
}
