package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/routes"
)

// routes is the one route table, grouped by area. Each group carries its own
// middleware.
func (s *Server) routes() error {
	e, h := s.Echo, s.h
	t := newTable()
	root := t.root(e)
	if err := s.middleware(); err != nil {
		return err
	}
	sessions := echo.WrapMiddleware(h.Sessions.LoadAndSave)
	csrf := sessionCSRF(h.Sessions)
	// Admin pages show candidates' names, answers and scores: no cache,
	// shared or private, may keep them.
	noStore := handlers.CacheControl("no-store")
	https := s.cfg.BaseURL.Scheme == "https"

	// Operations.
	root.add("Healthz", h.Healthz)
	root.add("Readyz", h.Readyz)
	root.add("Metrics", s.metricsHandler(), s.requireMetricsToken)
	root.add("Static", s.serveStatic)

	// Pages anyone may see.
	root.add("Home", h.Home)

	// Install: the Marketplace sends the admin here, iCIMS sends them back.
	root.add("InstallBegin", h.InstallBegin, sessions)
	root.add("InstallCallback", h.InstallCallback, sessions)
	// iCIMS trades the client id and secret we issued for a Bearer token;
	// no session or CSRF: the caller is a server authenticating itself.
	root.add("OAuthToken", h.OAuthToken)

	// iCIMS events: iCIMS authenticates each request itself (Basic, HMAC or
	// Bearer), so no session and no CSRF.
	root.add("EventReceive", h.EventReceive)
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
		ErrorHandler:   h.ConfirmCSRFError,
	})
	confirm := t.group(e, routes.ConfirmPrefix, handlers.CacheControl("no-store"), confirmCSRF)
	confirm.add("ConfirmShow", h.ConfirmShow)
	confirm.add("ConfirmSend", h.ConfirmSend)

	// Admin sign-in and account set-up (no admin yet, so outside the group).
	auth := t.group(e, routes.AdminPrefix, noStore, sessions, csrf)
	auth.add("AdminLoginShow", h.AdminLoginShow)
	auth.add("AdminLogin", h.AdminLogin)
	auth.add("AdminSetupShow", h.AdminSetupShow)
	auth.add("AdminSetup", h.AdminSetup)
	auth.add("AdminInviteShow", h.AdminInviteShow)
	auth.add("AdminInviteAccept", h.AdminInviteAccept)

	// Admin: every route needs a signed-in admin and is scoped to their tenant.
	admin := t.group(e, routes.AdminPrefix, noStore, sessions, csrf, h.RequireAdmin)
	admin.add("DashboardShow", h.DashboardShow)
	admin.add("AdminLogout", h.AdminLogout)
	admin.add("ConnectionShow", h.ConnectionShow)
	admin.add("ConnectionSave", h.ConnectionSave)
	admin.add("ConnectionCheck", h.ConnectionCheck)
	admin.add("CompanyRename", h.CompanyRename)
	admin.add("TenantUninstall", h.TenantUninstall)
	admin.add("AdminList", h.AdminList)
	admin.add("AdminInvite", h.AdminInvite)
	// Admin: the assessment catalog, its preview and accommodation requests.
	admin.add("CatalogList", h.CatalogList)
	admin.add("CatalogNew", h.CatalogNew)
	admin.add("CatalogCreate", h.CatalogCreate)
	admin.add("CatalogListsRefresh", h.CatalogListsRefresh)
	admin.add("CatalogAccommodationList", h.CatalogAccommodationList)
	admin.add("CatalogAccommodationResolve", h.CatalogAccommodationResolve)
	admin.add("CatalogEdit", h.CatalogEdit)
	admin.add("CatalogUpdate", h.CatalogUpdate)
	admin.add("CatalogEnable", h.CatalogEnable)
	admin.add("CatalogPreview", h.CatalogPreview)
	admin.add("CatalogPreviewStep", h.CatalogPreviewStep)
	admin.add("CatalogPreviewReview", h.CatalogPreviewReview)
	admin.add("CatalogPreviewDone", h.CatalogPreviewDone)

	// Admin: trigger rules, their dry run and audit trail.
	admin.add("RuleList", h.RuleList)
	admin.add("RuleNew", h.RuleNew)
	admin.add("RuleCreate", h.RuleCreate)
	admin.add("RuleDryRunShow", h.RuleDryRunShow)
	admin.add("RuleDryRun", h.RuleDryRun)
	admin.add("RuleEdit", h.RuleEdit)
	admin.add("RuleUpdate", h.RuleUpdate)
	admin.add("RuleMove", h.RuleMove)
	admin.add("RuleEnable", h.RuleEnable)
	admin.add("RuleDelete", h.RuleDelete)

	// Admin: invitations over their life (resend, extend, cancel) and the
	// invitation e-mail template with its live preview.
	admin.add("InvitationList", h.InvitationList)
	admin.add("InvitationShow", h.InvitationShow)
	admin.add("InvitationResend", h.InvitationResend)
	admin.add("InvitationExtend", h.InvitationExtend)
	admin.add("InvitationCancel", h.InvitationCancel)
	admin.add("TemplateShow", h.TemplateShow)
	admin.add("TemplateSave", h.TemplateSave)
	admin.add("TemplatePreview", h.TemplatePreview)
	admin.add("TemplatePreviewFrame", h.TemplatePreviewFrame)
	admin.add("TemplateReset", h.TemplateReset)
	admin.add("TemplateSampleSend", h.TemplateSampleSend)

	// Admin: writes to iCIMS that could not be made yet, and their retries.
	admin.add("WritebackList", h.WritebackList)
	admin.add("WritebackRetryAll", h.WritebackRetryAll)
	admin.add("WritebackSettingsSave", h.WritebackSettingsSave)
	admin.add("WritebackRetry", h.WritebackRetry)

	// Admin: the webhook logs (every event and call, redeliver and retry),
	// the dashboard's setup checklist and test, and the settings page
	// (residency and retention).
	admin.add("LogsList", h.LogsList)
	admin.add("LogsRetryAll", h.LogsRetryAll)
	admin.add("LogsShow", h.LogsShow)
	admin.add("LogsRedeliver", h.LogsRedeliver)
	admin.add("LogsRetry", h.LogsRetry)
	admin.add("ChecklistShow", h.ChecklistShow)
	admin.add("ChecklistTrial", h.ChecklistTrial)
	admin.add("SettingsShow", h.SettingsShow)
	admin.add("SettingsRetentionSave", h.SettingsRetentionSave)
	admin.add("SettingsLimitsSave", h.SettingsLimitsSave)

	// Candidate: the link is the credential (no session, no CSRF); nothing
	// may be cached, and the access log shows route patterns, not tokens.
	cand := t.group(e, routes.CandidatePrefix, handlers.CacheControl("no-store"))
	cand.add("CandidateShow", h.CandidateShow)
	cand.add("CandidateStart", h.CandidateStart)
	cand.add("CandidateStepShow", h.CandidateStepShow)
	cand.add("CandidateStepSave", h.CandidateStepSave)
	cand.add("CandidateReviewShow", h.CandidateReviewShow)
	cand.add("CandidateSubmit", h.CandidateSubmit)
	cand.add("CandidateAccommodationShow", h.CandidateAccommodationShow)
	cand.add("CandidateAccommodationSave", h.CandidateAccommodationSave)

	// Report: recruiters open it from iCIMS through a signed link, no login.
	report := t.group(e, routes.ReportPrefix, handlers.CacheControl("private, no-store"))
	report.add("ReportShow", h.ReportShow)

	// Sandbox: the simulated iCIMS, its Marketplace and the dev mailbox.
	// The mailbox's routes are static, so Echo's router prefers them to
	// the simulator's catch-all whatever the order.
	if s.cfg.Sandbox != nil {
		if h.Mailbox != nil {
			mailbox := t.group(e, routes.MailboxPrefix, noStore)
			mailbox.add("MailboxList", h.MailboxList)
			mailbox.add("MailboxShow", h.MailboxShow)
			mailbox.add("MailboxHTML", h.MailboxHTML)
			mailbox.add("MailboxText", h.MailboxText)
		}
		root.add("Sandbox", echo.WrapHandler(s.cfg.Sandbox))
	}
	return t.err()
}
