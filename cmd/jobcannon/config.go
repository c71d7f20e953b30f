package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/logging"
)

// storageConfig is what every command that opens the database needs.
type storageConfig struct {
	DataDir     string
	DatabaseURL string
	LogLevel    string
	LogFormat   string
}

func (c *storageConfig) register(f *flagSet) {
	f.String(&c.DataDir, "data-dir", "JOBCANNON_DATA_DIR", "./data", "directory for the SQLite database, the generated secret key and the dev mailbox")
	f.String(&c.DatabaseURL, "database-url", "JOBCANNON_DATABASE_URL", "", "database: sqlite:///path/to/file.db or a file path (default: jobcannon.db in the data directory)")
	f.String(&c.LogLevel, "log-level", "JOBCANNON_LOG_LEVEL", "info", "debug, info, warn or error")
	f.String(&c.LogFormat, "log-format", "JOBCANNON_LOG_FORMAT", "", "text or json (default: text on a terminal, json otherwise)")
}

func (c *storageConfig) logger(w io.Writer) (*slog.Logger, error) {
	level, err := logging.ParseLevel(c.LogLevel)
	if err != nil {
		return nil, err
	}
	return logging.New(w, c.LogFormat, level)
}

// serveConfig is the configuration of the web service.
type serveConfig struct {
	storageConfig
	Addr            string
	BaseURL         string
	SecretKey       string
	Sandbox         bool
	SMTPURL         string
	MetricsToken    string
	ShutdownTimeout time.Duration
}

func newServeFlags(c *serveConfig, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("serve", "Usage: jobcannon serve [flags]\n\nRuns the web service.", getenv, out)

	f.String(&c.Addr, "addr", "JOBCANNON_ADDR", ":8080", "address to listen on")
	c.storageConfig.register(f)
	f.String(&c.BaseURL, "base-url", "JOBCANNON_BASE_URL", "", "public URL of this service, used in links and OAuth redirects (default: http://localhost:PORT)")
	f.String(&c.SecretKey, "secret-key", "JOBCANNON_SECRET_KEY", "", "base64 32-byte keys, comma-separated, the active one first (default: generated into the data directory)")
	f.Bool(&c.Sandbox, "sandbox", "JOBCANNON_SANDBOX", true, "mount the simulated iCIMS under /sandbox/ (on when no real iCIMS is configured)")
	f.String(&c.SMTPURL, "smtp-url", "JOBCANNON_SMTP_URL", "", "SMTP server, smtp://user:pass@host:587 or smtps://… (default: none, e-mails go to the dev mailbox)")
	f.String(&c.MetricsToken, "metrics-token", "JOBCANNON_METRICS_TOKEN", "", "Bearer token required by /metrics (default: none, /metrics is open)")
	f.Duration(&c.ShutdownTimeout, "shutdown-timeout", "JOBCANNON_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may finish after SIGINT/SIGTERM")
	return f
}

func parseServe(args []string, getenv func(string) string, out io.Writer) (serveConfig, error) {
	var c serveConfig
	if err := newServeFlags(&c, getenv, out).parse(args); err != nil {
		return c, err
	}
	return c, c.validate()
}

func (c *serveConfig) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port or :port", c.Addr)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q: want an absolute http(s) URL such as https://jobcannon.example.com", c.BaseURL)
		}
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("--shutdown-timeout must be positive")
	}
	return nil
}

// baseURL returns the configured public URL, or one made from the address
// the server actually listens on.
func (c *serveConfig) baseURL(ln net.Addr) *url.URL {
	if c.BaseURL != "" {
		u, _ := url.Parse(strings.TrimRight(c.BaseURL, "/"))
		return u
	}
	_, port, _ := net.SplitHostPort(ln.String())
	return &url.URL{Scheme: "http", Host: "localhost:" + port}
}
