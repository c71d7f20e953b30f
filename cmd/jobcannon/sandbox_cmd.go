package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/logging"
)

const sandboxUsage = `Usage: jobcannon sandbox [flags]

Runs the simulated iCIMS on its own: the REST API, the OAuth server, the
Marketplace, events and the sandbox UI, all under /sandbox/. Point a
JobCannon at it with --icims-api-url, --icims-authorize-url,
--icims-token-url, --icims-client-id and --icims-client-secret (the values
are logged at startup and shown on the sandbox's home page).`

// sandboxShutdownTimeout bounds how long in-flight requests may finish
// after the context is cancelled.
const sandboxShutdownTimeout = 10 * time.Second

// sandboxConfig is the configuration of `jobcannon sandbox`.
type sandboxConfig struct {
	Addr      string
	BaseURL   string
	VendorURL string
	LogLevel  string
	LogFormat string
}

func newSandboxFlags(c *sandboxConfig, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("sandbox", sandboxUsage, getenv, out)
	f.String(&c.Addr, "addr", "JOBCANNON_SANDBOX_ADDR", ":8090", "address to listen on")
	f.String(&c.BaseURL, "base-url", "JOBCANNON_SANDBOX_BASE_URL", "", "public URL of the sandbox, used in Location headers and links (default: http://localhost:PORT)")
	f.String(&c.VendorURL, "vendor-url", "JOBCANNON_SANDBOX_VENDOR_URL", "http://localhost:8080", "base URL of the JobCannon to integrate: the Marketplace's Install opens its /oauth/authorize and events go to its /icims/events")
	f.String(&c.LogLevel, "log-level", "JOBCANNON_LOG_LEVEL", "info", "debug, info, warn or error")
	f.String(&c.LogFormat, "log-format", "JOBCANNON_LOG_FORMAT", "", "text or json (default: text on a terminal, json otherwise)")
	return f
}

func (c *sandboxConfig) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port or :port", c.Addr)
	}
	if c.BaseURL != "" && !sandboxBaseURL(c.BaseURL) {
		return fmt.Errorf("--base-url %q: want an absolute http(s) URL such as http://localhost:8090", c.BaseURL)
	}
	if !sandboxBaseURL(c.VendorURL) {
		return fmt.Errorf("--vendor-url %q: want an absolute http(s) URL such as http://localhost:8080", c.VendorURL)
	}
	return nil
}

// sandboxBaseURL reports whether s can prefix paths: an absolute http(s)
// URL without a query or fragment.
func sandboxBaseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == ""
}

// sandbox runs the simulator until ctx is cancelled, then shuts it down.
func sandbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c sandboxConfig
	if err := newSandboxFlags(&c, getenv, stdout).parse(args); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	level, err := logging.ParseLevel(c.LogLevel)
	if err != nil {
		return err
	}
	log, err := logging.New(stderr, c.LogFormat, level)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		base = "http://localhost:" + port
	}
	vendorURL := strings.TrimRight(c.VendorURL, "/")
	vendor := icimstest.VendorSettings{EventURL: vendorURL + "/icims/events"}
	sim := icimstest.New(icimstest.Options{BaseURL: base, Logger: log.With("component", "sandbox"),
		VendorAuthorizeURL: vendorURL + "/oauth/authorize"})
	if err := setSandboxVendor(sim, vendor); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           sandboxHandler(sim, vendor, log),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("JobCannon sandbox is running", "url", base, "addr", ln.Addr().String(),
		"home", base+"/sandbox/", "api", sim.APIBase(), "authorize", sim.AuthorizeURL(), "token", sim.TokenURL(),
		"marketplace", sim.MarketplaceURL(), "client_id", icimstest.ClientID,
		"vendor_authorize", vendorURL+"/oauth/authorize", "vendor_events", vendor.EventURL)

	select {
	case err := <-serveErr:
		sim.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", sandboxShutdownTimeout.String())
	// Close first: it ends requests hanging on a timeout fault, which
	// Shutdown would otherwise wait for.
	sim.Close()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sandboxShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("sandbox: shut down: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("sandbox stopped")
	return nil
}

// sandboxHandler serves the simulator under /sandbox/ and sends / there.
// The sandbox UI's Reset forgets every customer's vendor settings; the
// defaults from --vendor-url are put back after it, so events keep going
// to the configured JobCannon.
func sandboxHandler(sim *icimstest.Sim, vendor icimstest.VendorSettings, log *slog.Logger) http.Handler {
	simHandler := sim.Handler()
	mux := http.NewServeMux()
	mux.Handle("/sandbox/", simHandler)
	mux.HandleFunc("POST /sandbox/reset", func(w http.ResponseWriter, r *http.Request) {
		simHandler.ServeHTTP(w, r)
		if err := setSandboxVendor(sim, vendor); err != nil {
			log.Error("sandbox: restore vendor settings after reset", "err", err)
		}
	})
	mux.Handle("GET /{$}", http.RedirectHandler("/sandbox/", http.StatusFound))
	return mux
}

// setSandboxVendor gives every seeded customer the default vendor settings:
// events to the vendor's /icims/events, unauthenticated until set otherwise
// in the sandbox UI.
func setSandboxVendor(sim *icimstest.Sim, vendor icimstest.VendorSettings) error {
	for _, cid := range []string{icimstest.CustomerUS, icimstest.CustomerEU} {
		if err := sim.SetVendor(cid, vendor); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
	}
	return nil
}
