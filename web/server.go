// Package web is the HTTP server: one route table, the middleware stack and
// the single error handler. Echo-specific code lives here and in handlers.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/jobcannon/jobcannon/handlers"
)

// Config is what the server needs beyond the handlers.
type Config struct {
	// BaseURL is the public URL; an https one turns HSTS on.
	BaseURL *url.URL
	// MetricsToken, when set, must be sent as a Bearer token to /metrics.
	MetricsToken string
	// BodyLimit caps request bodies, e.g. "1M".
	BodyLimit string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed; with none, the client is the connection's address.
	TrustedProxies []*net.IPNet
	// Sandbox, when set, is the iCIMS simulator, mounted under /sandbox/.
	Sandbox http.Handler
	Log     *slog.Logger
}

// Server is the configured HTTP server.
type Server struct {
	Echo *echo.Echo
	cfg  Config
	h    handlers.Areas
	http *http.Server
	reg  *prometheus.Registry
}

// New builds the server and its routes, served by each area's handlers.
func New(cfg Config, h handlers.Areas) (*Server, error) {
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "1M"
	}
	if cfg.BaseURL == nil {
		return nil, errors.New("web: base URL is required")
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s := &Server{Echo: e, cfg: cfg, h: h, reg: reg}
	e.HTTPErrorHandler = s.handleError
	if err := s.routes(); err != nil {
		return nil, err
	}
	s.http = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// clientIP is how every part of the server (the sign-in limit, the access
// log, anything calling c.RealIP) learns the client's address. Echo's
// default believes X-Forwarded-For from anyone, which let one machine pose
// as many; here the header is read only when the connection comes from a
// trusted proxy, right to left, stopping at the first untrusted hop.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// Registry is the server's own Prometheus registry, for other parts of the
// service to add their metrics to.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Serve answers requests on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}
