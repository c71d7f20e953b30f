package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jobcannon/jobcannon/handlers"
)

// routes is the one route table, grouped by area. Each group carries its own
// middleware.
func (s *Server) routes() error {
	e, h := s.Echo, s.h
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
	e.GET("/healthz", h.Healthz)
	e.GET("/readyz", h.Readyz)
	e.GET("/metrics", s.metricsHandler(), s.requireMetricsToken)
	e.GET("/static/*", s.serveStatic)

	// Pages anyone may see.
	e.GET("/", h.Home)

	// Install: the Marketplace sends the admin here, iCIMS sends them back.
	e.GET("/oauth/authorize", h.InstallBegin, sessions)
	e.GET("/icims/oauth-callback", h.InstallCallback, sessions)
	// iCIMS trades the client id and secret we issued for a Bearer token;
	// no session or CSRF: the caller is a server authenticating itself.
	e.POST("/oauth/token", h.OAuthToken)

	// iCIMS events: iCIMS authenticates each request itself (Basic, HMAC or
	// Bearer), so no session and no CSRF.
	e.POST("/icims/events", h.EventReceive)
	// The recruiter's confirm page, reached by iCIMS's redirect: the signed
	// link is the credential (no login), CSRF guards its form.
	// It has no session, so its CSRF token is a double-submit cookie: one
	// planted by a sibling subdomain would only let an attacker send the
	// form that the link already lets them send. Over https the cookie is
	// __Host- so that no subdomain can set it anyway.
	confirmCookie, confirmPath := "jc_confirm_csrf", "/icims/confirm"
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
	confirm := e.Group("/icims/confirm", handlers.CacheControl("no-store"), confirmCSRF)
	confirm.GET("/:token", h.ConfirmShow)
	confirm.POST("/:token", h.ConfirmSend)

	// Admin sign-in and account set-up (no admin yet, so outside the group).
	auth := e.Group("/admin", noStore, sessions, csrf)
	auth.GET("/login", h.AdminLoginShow)
	auth.POST("/login", h.AdminLogin)
	auth.GET("/setup", h.AdminSetupShow)
	auth.POST("/setup", h.AdminSetup)
	auth.GET("/invite/:token", h.AdminInviteShow)
	auth.POST("/invite/:token", h.AdminInviteAccept)

	// Admin: every route needs a signed-in admin and is scoped to their tenant.
	admin := e.Group("/admin", noStore, sessions, csrf, h.RequireAdmin)
	admin.GET("", h.DashboardShow)
	admin.POST("/logout", h.AdminLogout)
	admin.GET("/connection", h.ConnectionShow)
	admin.POST("/connection", h.ConnectionSave)
	admin.POST("/connection/test", h.ConnectionCheck)
	admin.POST("/company", h.CompanyRename)
	admin.POST("/uninstall", h.TenantUninstall)
	admin.GET("/admins", h.AdminList)
	admin.POST("/admins/invite", h.AdminInvite)
	// Admin: the assessment catalog, its preview and accommodation requests.
	admin.GET("/catalog", h.CatalogList)
	admin.GET("/catalog/new", h.CatalogNew)
	admin.POST("/catalog", h.CatalogCreate)
	admin.POST("/catalog/lists/refresh", h.CatalogListsRefresh)
	admin.GET("/catalog/accommodations", h.CatalogAccommodationList)
	admin.POST("/catalog/accommodations/:id", h.CatalogAccommodationResolve)
	admin.GET("/catalog/:id", h.CatalogEdit)
	admin.POST("/catalog/:id", h.CatalogUpdate)
	admin.POST("/catalog/:id/enabled", h.CatalogEnable)
	admin.GET("/catalog/:id/preview", h.CatalogPreview)
	admin.GET("/catalog/:id/preview/step/:n", h.CatalogPreviewStep)
	admin.GET("/catalog/:id/preview/review", h.CatalogPreviewReview)
	admin.GET("/catalog/:id/preview/done", h.CatalogPreviewDone)

	// Admin: trigger rules, their dry run and audit trail.
	admin.GET("/rules", h.RuleList)
	admin.GET("/rules/new", h.RuleNew)
	admin.POST("/rules", h.RuleCreate)
	admin.GET("/rules/dry-run", h.RuleDryRunShow)
	admin.POST("/rules/dry-run", h.RuleDryRun)
	admin.GET("/rules/:id", h.RuleEdit)
	admin.POST("/rules/:id", h.RuleUpdate)
	admin.POST("/rules/:id/move", h.RuleMove)
	admin.POST("/rules/:id/enabled", h.RuleEnable)
	admin.POST("/rules/:id/delete", h.RuleDelete)

	// Admin: invitations over their life (resend, extend, cancel) and the
	// invitation e-mail template with its live preview.
	admin.GET("/invitations", h.InvitationList)
	admin.GET("/invitations/:id", h.InvitationShow)
	admin.POST("/invitations/:id/resend", h.InvitationResend)
	admin.POST("/invitations/:id/extend", h.InvitationExtend)
	admin.POST("/invitations/:id/cancel", h.InvitationCancel)
	admin.GET("/email", h.TemplateShow)
	admin.POST("/email", h.TemplateSave)
	admin.POST("/email/preview", h.TemplatePreview)
	admin.GET("/email/preview", h.TemplatePreviewFrame)
	admin.POST("/email/reset", h.TemplateReset)
	admin.POST("/email/test", h.TemplateSampleSend)

	// Admin: writes to iCIMS that could not be made yet, and their retries.
	admin.GET("/writeback", h.WritebackList)
	admin.POST("/writeback/retry-all", h.WritebackRetryAll)
	admin.POST("/writeback/settings", h.WritebackSettingsSave)
	admin.POST("/writeback/:id/retry", h.WritebackRetry)

	// Admin: the webhook logs (every event and call, redeliver and retry),
	// the dashboard's setup checklist and test, and the settings page
	// (residency and retention).
	admin.GET("/integrations/icims/logs", h.LogsList)
	admin.POST("/integrations/icims/logs/retry-all", h.LogsRetryAll)
	admin.GET("/integrations/icims/logs/:id", h.LogsShow)
	admin.POST("/integrations/icims/logs/:id/redeliver", h.LogsRedeliver)
	admin.POST("/integrations/icims/logs/:id/retry", h.LogsRetry)
	admin.GET("/checklist", h.ChecklistShow)
	admin.POST("/checklist/trial", h.ChecklistTrial)
	admin.GET("/settings", h.SettingsShow)
	admin.POST("/settings/retention", h.SettingsRetentionSave)
	admin.POST("/settings/limits", h.SettingsLimitsSave)

	// Candidate: the link is the credential (no session, no CSRF); nothing
	// may be cached, and the access log shows route patterns, not tokens.
	cand := e.Group("/a/:token", handlers.CacheControl("no-store"))
	cand.GET("", h.CandidateShow)
	cand.POST("/start", h.CandidateStart)
	cand.GET("/step/:n", h.CandidateStepShow)
	cand.POST("/step/:n", h.CandidateStepSave)
	cand.GET("/review", h.CandidateReviewShow)
	cand.POST("/submit", h.CandidateSubmit)
	cand.GET("/accommodation", h.CandidateAccommodationShow)
	cand.POST("/accommodation", h.CandidateAccommodationSave)

	// Assessment-first applications: the admin's share page on a job; the
	// public apply link (signed, no login; a double-submit cookie guards
	// its form, as on the confirm page) and the page that follows the
	// application into the assessment.
	if h.Apply != nil {
		admin.GET("/jobs/:jobID/share", h.ApplyShareShow)
		admin.POST("/jobs/:jobID/share", h.ApplyShareCreate)
		admin.POST("/jobs/:jobID/share/:id/close", h.ApplyShareClose)
		applyCookie, applyPath := "jc_apply_csrf", "/apply"
		if https {
			applyCookie, applyPath = "__Host-jc_apply_csrf", "/"
		}
		applyCSRF := middleware.CSRFWithConfig(middleware.CSRFConfig{TokenLookup: "form:_csrf", ContextKey: handlers.CSRFContextKey,
			CookieName: applyCookie, CookiePath: applyPath, CookieHTTPOnly: true, CookieSecure: https,
			CookieSameSite: http.SameSiteStrictMode})
		apply := e.Group("/apply", handlers.CacheControl("no-store"), middleware.BodyLimit(handlers.ApplyBodyLimit))
		apply.GET("/w/:wait", h.ApplyWait)
		apply.GET("/:token", h.ApplyShow, applyCSRF)
		apply.POST("/:token", h.ApplySubmit, applyCSRF)
	}

	// Report: recruiters open it from iCIMS through a signed link, no login.
	report := e.Group("/r", handlers.CacheControl("private, no-store"))
	report.GET("/:token", h.ReportShow)

	// Sandbox: the simulated iCIMS, its Marketplace and the dev mailbox.
	// The mailbox's routes are static, so Echo's router prefers them to
	// the simulator's catch-all whatever the order.
	if s.cfg.Sandbox != nil {
		if h.Mailbox != nil {
			mailbox := e.Group("/sandbox/mailbox", noStore)
			mailbox.GET("", h.MailboxList)
			mailbox.GET("/:id", h.MailboxShow)
			mailbox.GET("/:id/html", h.MailboxHTML)
			mailbox.GET("/:id/text", h.MailboxText)
		}
		e.Any("/sandbox/*", echo.WrapHandler(s.cfg.Sandbox))
	}
	return nil
}
