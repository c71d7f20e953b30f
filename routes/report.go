package routes

const report = ReportPrefix + "/:token"

// ReportShow is the recruiter's report behind a signed token.
func ReportShow(token string) string { return fill(report, token) }
