package routes

const (
	report    = ReportPrefix + "/:token"
	reportPDF = report + "/pdf"
)

// ReportShow is the recruiter's report behind a signed token.
func ReportShow(token string) string { return fill(report, token) }

// ReportPDF is the same report as a PDF file, behind the same token.
func ReportPDF(token string) string { return fill(reportPDF, token) }
