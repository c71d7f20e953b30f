package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/routes"
)

// routes is the one route table, grouped by area. Each group carries its own
// middleware. Every route is declared (name, method, pattern, URL builder)
// in package routes; here it gets its handler and its group.
func (s *Server) routes() error {
	e, h := s.Echo, s.h
	t := newTable()
	root := t.root(e)
	if err := s.middleware(); err != nil {
		return err
	}
	sessions := echo.WrapMiddleware(h.Shared.Sessions.LoadAndSave)
	csrf := sessionCSRF(h.Shared.Sessions)
	// Admin pages show candidates' names, answers and scores: no cache,
	// shared or private, may keep them.
	noStore := handlers.CacheControl("no-store")
	https := s.cfg.BaseURL.Scheme == "https"

	// Operations.
	root.add("Healthz", h.Site.Healthz)
	root.add("Readyz", h.Site.Readyz)
	root.add("Metrics", s.metricsHandler(), s.requireMetricsToken)
	root.add("Static", s.serveStatic)

	// Pages anyone may see.
	root.add("Home", h.Site.Home)
	// An employer's colour for the candidate pages, named by the colour.
	root.add("BrandStylesheet", h.Site.BrandStylesheet)

	// Install: the Marketplace sends the admin here, iCIMS sends them back.
	root.add("InstallBegin", h.Install.InstallBegin, sessions)
	root.add("InstallCallback", h.Install.InstallCallback, sessions)
	// iCIMS trades the client id and secret we issued for a Bearer token;
	// no session or CSRF: the caller is a server authenticating itself.
	root.add("OAuthToken", h.Install.OAuthToken)

	// iCIMS events: iCIMS authenticates each request itself (Basic, HMAC or
	// Bearer), so no session and no CSRF.
	root.add("EventReceive", h.Events.EventReceive)
	// The recruiter's confirm page, reached by iCIMS's redirect: the signed
	// link is the credential (no login), CSRF guards its form.
	// It has no session, so its CSRF token is a double-submit cookie: one
	// planted by a sibling subdomain would only let an attacker send the
	// form that the link already lets them send. Over https the cookie is
	// __Host- so that no subdomain can set it anyway.
	confirmCookie, confirmPath := "jc_confirm_csrf", routes.ConfirmPrefix
	if https {
		confirmCookie, confirmPath = "__Host-jc_confirm_csrf", "/"
	}
	confirmCSRF := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf",
		ContextKey:     handlers.CSRFContextKey,
		CookieName:     confirmCookie,
		CookiePath:     confirmPath,
		CookieHTTPOnly: true,
		CookieSecure:   https,
		CookieSameSite: http.SameSiteStrictMode,
		ErrorHandler:   h.Events.ConfirmCSRFError,
	})
	confirm := t.group(e, routes.ConfirmPrefix, handlers.CacheControl("no-store"), confirmCSRF)
	confirm.add("ConfirmShow", h.Events.ConfirmShow)
	confirm.add("ConfirmSend", h.Events.ConfirmSend)

	// Admin sign-in and account set-up (no admin yet, so outside the group).
	auth := t.group(e, routes.AdminPrefix, noStore, sessions, csrf)
	auth.add("AdminLoginShow", h.Admin.AdminLoginShow)
	auth.add("AdminLogin", h.Admin.AdminLogin)
	auth.add("AdminSetupShow", h.Admin.AdminSetupShow)
	auth.add("AdminSetup", h.Admin.AdminSetup)
	auth.add("AdminInviteShow", h.Admin.AdminInviteShow)
	auth.add("AdminInviteAccept", h.Admin.AdminInviteAccept)
	auth.add("AdminPasswordForgotShow", h.Admin.AdminPasswordForgotShow)
	auth.add("AdminPasswordForgot", h.Admin.AdminPasswordForgot)
	auth.add("AdminPasswordResetShow", h.Admin.AdminPasswordResetShow)
	auth.add("AdminPasswordReset", h.Admin.AdminPasswordReset)

	// Admin: every route needs a signed-in admin and is scoped to their tenant.
	admin := t.group(e, routes.AdminPrefix, noStore, sessions, csrf, h.Admin.RequireAdmin)
	admin.add("DashboardShow", h.Admin.DashboardShow)
	admin.add("AdminLogout", h.Admin.AdminLogout)
	admin.add("ConnectionShow", h.Admin.ConnectionShow)
	admin.add("ConnectionSave", h.Admin.ConnectionSave)
	admin.add("ConnectionCheck", h.Admin.ConnectionCheck)
	admin.add("CompanyRename", h.Admin.CompanyRename)
	admin.add("TenantUninstall", h.Admin.TenantUninstall)
	admin.add("AdminList", h.Admin.AdminList)
	admin.add("AdminInvite", h.Admin.AdminInvite)
	admin.add("AdminRemoveShow", h.Admin.AdminRemoveShow)
	admin.add("AdminRemove", h.Admin.AdminRemove)
	admin.add("AdminPasswordShow", h.Admin.AdminPasswordShow)
	admin.add("AdminPasswordChange", h.Admin.AdminPasswordChange)
	// Admin: the assessment catalog, its preview and accommodation requests.
	admin.add("CatalogList", h.Catalog.CatalogList)
	admin.add("CatalogNew", h.Catalog.CatalogNew)
	admin.add("CatalogCreate", h.Catalog.CatalogCreate)
	admin.add("CatalogListsRefresh", h.Catalog.CatalogListsRefresh)
	admin.add("CatalogAccommodationList", h.Catalog.CatalogAccommodationList)
	admin.add("CatalogAccommodationResolve", h.Catalog.CatalogAccommodationResolve)
	admin.add("CatalogEdit", h.Catalog.CatalogEdit)
	admin.add("CatalogUpdate", h.Catalog.CatalogUpdate)
	admin.add("CatalogEnable", h.Catalog.CatalogEnable)
	admin.add("CatalogPreview", h.Catalog.CatalogPreview)
	admin.add("CatalogPreviewStep", h.Catalog.CatalogPreviewStep)
	admin.add("CatalogPreviewReview", h.Catalog.CatalogPreviewReview)
	admin.add("CatalogPreviewDone", h.Catalog.CatalogPreviewDone)

	// Admin: trigger rules, their dry run and audit trail.
	admin.add("RuleList", h.Rules.RuleList)
	admin.add("RuleNew", h.Rules.RuleNew)
	admin.add("RuleCreate", h.Rules.RuleCreate)
	admin.add("RuleDryRunShow", h.Rules.RuleDryRunShow)
	admin.add("RuleDryRun", h.Rules.RuleDryRun)
	admin.add("RuleEdit", h.Rules.RuleEdit)
	admin.add("RuleUpdate", h.Rules.RuleUpdate)
	admin.add("RuleMove", h.Rules.RuleMove)
	admin.add("RuleEnable", h.Rules.RuleEnable)
	admin.add("RuleDelete", h.Rules.RuleDelete)

	// Admin: the customer's jobs as read from iCIMS, refreshed on demand.
	admin.add("JobList", h.Jobs.JobList)
	admin.add("JobsRefresh", h.Jobs.JobsRefresh)
	// Admin: a job's "Share an assessment link" page (assessment-first
	// applications).
	admin.add("ApplyShareShow", h.Apply.ApplyShareShow)
	admin.add("ApplyShareCreate", h.Apply.ApplyShareCreate)
	admin.add("ApplyShareClose", h.Apply.ApplyShareClose)

	// Admin: invitations over their life (resend, extend, cancel) and the
	// invitation e-mail template with its live preview.
	admin.add("InvitationList", h.Invitations.InvitationList)
	admin.add("InvitationShow", h.Invitations.InvitationShow)
	admin.add("InvitationResendConfirm", h.Invitations.InvitationResendConfirm)
	admin.add("InvitationResend", h.Invitations.InvitationResend)
	admin.add("InvitationExtend", h.Invitations.InvitationExtend)
	admin.add("InvitationCancel", h.Invitations.InvitationCancel)
	admin.add("TemplateShow", h.Invitations.TemplateShow)
	admin.add("TemplateSave", h.Invitations.TemplateSave)
	admin.add("TemplatePreview", h.Invitations.TemplatePreview)
	admin.add("TemplatePreviewFrame", h.Invitations.TemplatePreviewFrame)
	admin.add("TemplateReset", h.Invitations.TemplateReset)
	admin.add("TemplateSampleSend", h.Invitations.TemplateSampleSend)

	// Admin: writes to iCIMS that could not be made yet, and their retries.
	admin.add("WritebackList", h.Logs.WritebackList)
	admin.add("WritebackRetryAll", h.Logs.WritebackRetryAll)
	admin.add("WritebackSettingsSave", h.Logs.WritebackSettingsSave)
	admin.add("WritebackRetry", h.Logs.WritebackRetry)

	// Admin: the webhook logs (every event and call, redeliver and retry),
	// the dashboard's setup checklist and test, and the settings page
	// (residency and retention).
	admin.add("LogsList", h.Logs.LogsList)
	admin.add("LogsRetryAll", h.Logs.LogsRetryAll)
	admin.add("LogsShow", h.Logs.LogsShow)
	admin.add("LogsRedeliverConfirm", h.Logs.LogsRedeliverConfirm)
	admin.add("LogsRedeliver", h.Logs.LogsRedeliver)
	admin.add("LogsRetry", h.Logs.LogsRetry)
	admin.add("ChecklistShow", h.Admin.ChecklistShow)
	admin.add("ChecklistTrial", h.Admin.ChecklistTrial)
	admin.add("SettingsShow", h.Admin.SettingsShow)
	admin.add("SettingsRetentionSave", h.Admin.SettingsRetentionSave)
	admin.add("SettingsTimeZoneSave", h.Admin.SettingsTimeZoneSave)
	admin.add("SettingsLimitsSave", h.Admin.SettingsLimitsSave)

	// Assessment-first applications: the public apply link (signed, no
	// login; a double-submit cookie guards its form, as on the confirm
	// page) and the page that follows the application into the assessment.
	// The form carries a CV, so the group sets its own body limit.
	applyCookie, applyPath := "jc_apply_csrf", routes.ApplyPrefix
	if https {
		applyCookie, applyPath = "__Host-jc_apply_csrf", "/"
	}
	applyCSRF := middleware.CSRFWithConfig(middleware.CSRFConfig{TokenLookup: "form:_csrf", ContextKey: handlers.CSRFContextKey,
		CookieName: applyCookie, CookiePath: applyPath, CookieHTTPOnly: true, CookieSecure: https,
		CookieSameSite: http.SameSiteStrictMode})
	apply := t.group(e, routes.ApplyPrefix, handlers.CacheControl("no-store"), middleware.BodyLimit(handlers.ApplyBodyLimit))
	apply.add("ApplyWait", h.Apply.ApplyWait)
	apply.add("ApplyShow", h.Apply.ApplyShow, applyCSRF)
	apply.add("ApplySubmit", h.Apply.ApplySubmit, applyCSRF)

	// Candidate: the link is the credential (no session, no CSRF); nothing
	// may be cached, and the access log shows route patterns, not tokens.
	cand := t.group(e, routes.CandidatePrefix, handlers.CacheControl("no-store"))
	cand.add("CandidateShow", h.Candidate.CandidateShow)
	cand.add("CandidateStart", h.Candidate.CandidateStart)
	cand.add("CandidateStepShow", h.Candidate.CandidateStepShow)
	cand.add("CandidateStepSave", h.Candidate.CandidateStepSave)
	cand.add("CandidateAnswerSave", h.Candidate.CandidateAnswerSave)
	cand.add("CandidateReviewShow", h.Candidate.CandidateReviewShow)
	cand.add("CandidateSubmit", h.Candidate.CandidateSubmit)
	cand.add("CandidateAccommodationShow", h.Candidate.CandidateAccommodationShow)
	cand.add("CandidateAccommodationSave", h.Candidate.CandidateAccommodationSave)

	// Report: recruiters open it from iCIMS through a signed link, no login.
	report := t.group(e, routes.ReportPrefix, handlers.CacheControl("private, no-store"))
	report.add("ReportShow", h.Report.ReportShow)
	report.add("ReportPDF", h.Report.ReportPDF)

	// Sandbox: the simulated iCIMS, its Marketplace and the dev mailbox.
	// The mailbox's routes are static, so Echo's router prefers them to
	// the simulator's catch-all whatever the order.
	if s.cfg.Sandbox != nil {
		if h.Site.Mailbox != nil {
			mailbox := t.group(e, routes.MailboxPrefix, noStore)
			mailbox.add("MailboxList", h.Site.MailboxList)
			mailbox.add("MailboxShow", h.Site.MailboxShow)
			mailbox.add("MailboxHTML", h.Site.MailboxHTML)
			mailbox.add("MailboxText", h.Site.MailboxText)
		}
		root.add("Sandbox", echo.WrapHandler(s.cfg.Sandbox))
	}
	return t.err()
}
