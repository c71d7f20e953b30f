package web

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jobcannon/jobcannon/logging"
	"github.com/jobcannon/jobcannon/routes"
)

// contentSecurityPolicy allows nothing but this origin: no inline script or
// style, no third-party requests, no framing by other sites.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"

func (s *Server) middleware() error {
	e := s.Echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/sandbox/") },
	}))
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		RequestIDHandler: func(c echo.Context, id string) {
			c.SetRequest(c.Request().WithContext(logging.WithRequestID(c.Request().Context(), id)))
		},
	}))
	logger, err := middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogRoutePath: true, LogURIPath: true,
		LogRequestID: true, LogRemoteIP: true, LogResponseSize: true, HandleError: true,
		LogValuesFunc: s.logRequest,
	}.ToMiddleware()
	if err != nil {
		return fmt.Errorf("web: request logger: %w", err)
	}
	e.Use(logger)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		// The error handler logs the panic once, with the request id.
		DisablePrintStack:   true,
		DisableErrorHandler: false,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	}))
	e.Use(s.securityHeaders)
	// The public apply form carries a CV: its group sets its own, larger
	// limit (see routes).
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: s.cfg.BodyLimit,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, routes.ApplyPrefix+"/") }}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level: 5, MinLength: 1024,
		Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
	}))
	metrics, err := echoprometheus.MiddlewareConfig{
		Subsystem: "http", Registerer: s.reg, DoNotUseRequestPathFor404: true,
		Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
	}.ToMiddleware()
	if err != nil {
		return fmt.Errorf("web: metrics: %w", err)
	}
	e.Use(metrics)
	return nil
}

// logRequest writes one access-log line. It logs the route pattern, not the
// raw path, because candidate links carry their token in the path.
func (s *Server) logRequest(c echo.Context, v middleware.RequestLoggerValues) error {
	route := v.RoutePath
	if route == "" || route == "/*" {
		route = v.URIPath
	}
	level := slog.LevelInfo
	if v.Status >= 500 {
		level = slog.LevelError
	}
	s.cfg.Log.LogAttrs(c.Request().Context(), level, "request",
		slog.String("method", v.Method),
		slog.String("route", route),
		slog.Int("status", v.Status),
		slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000),
		slog.Int64("bytes", v.ResponseSize),
		slog.String("remote_ip", v.RemoteIP),
	)
	return nil
}

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	hsts := s.cfg.BaseURL.Scheme == "https"
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		// Candidate and report links carry secrets in their paths.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

func (s *Server) metricsHandler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
}

func (s *Server) requireMetricsToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.MetricsToken == "" {
			return next(c)
		}
		got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.MetricsToken)) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "The metrics token is missing or wrong.")
		}
		return next(c)
	}
}

func (s *Server) serveStatic(c echo.Context) error {
	f, ok := s.h.Shared.Assets.Lookup(c.Param("*"))
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, f.ContentType)
	h.Set("ETag", f.ETag)
	if f.Immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if match := c.Request().Header.Get("If-None-Match"); match == f.ETag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
