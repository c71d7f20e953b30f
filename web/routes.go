package web

import (
	"github.com/labstack/echo/v4"
)

// routes is the one route table, grouped by area. Each group carries its own
// middleware.
func (s *Server) routes() error {
	e, h := s.Echo, s.h
	if err := s.middleware(); err != nil {
		return err
	}

	// Operations.
	e.GET("/healthz", h.Healthz)
	e.GET("/readyz", h.Readyz)
	e.GET("/metrics", s.metricsHandler(), s.requireMetricsToken)
	e.GET("/static/*", s.serveStatic)

	// Pages anyone may see.
	e.GET("/", h.Home)

	// Sandbox: the simulated iCIMS, its Marketplace and the dev mailbox.
	if s.cfg.Sandbox != nil {
		e.Any("/sandbox/*", echo.WrapHandler(s.cfg.Sandbox))
	}
	return nil
}
