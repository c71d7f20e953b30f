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
	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     handlers.CSRFContextKey,
		CookieName:     "jc_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.BaseURL.Scheme == "https",
		CookieSameSite: http.SameSiteStrictMode,
	})

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

	// Admin sign-in and account set-up (no admin yet, so outside the group).
	auth := e.Group("/admin", sessions, csrf)
	auth.GET("/login", h.AdminLoginShow)
	auth.POST("/login", h.AdminLogin)
	auth.GET("/setup", h.AdminSetupShow)
	auth.POST("/setup", h.AdminSetup)

	// Admin: every route needs a signed-in admin and is scoped to their tenant.
	admin := e.Group("/admin", sessions, csrf, h.RequireAdmin)
	admin.GET("", h.DashboardShow)
	admin.POST("/logout", h.AdminLogout)
	admin.POST("/connection/test", h.ConnectionCheck)
	admin.POST("/uninstall", h.TenantUninstall)

	// Sandbox: the simulated iCIMS, its Marketplace and the dev mailbox.
	if s.cfg.Sandbox != nil {
		e.Any("/sandbox/*", echo.WrapHandler(s.cfg.Sandbox))
	}
	return nil
}
