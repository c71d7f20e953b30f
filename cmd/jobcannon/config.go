package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
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
	MailFrom        string
	MetricsToken    string
	ShutdownTimeout time.Duration
	ICIMS           icimsConfig
	// passwordCost is bcrypt's work factor; tests lower it. Not a flag:
	// operators have no reason to weaken it.
	passwordCost int
	// retryPolicy, icimsLimits and icimsTimeout compress time for the
	// tests of long failures: the queue's backoff (nil: queue.Backoff),
	// every tenant's iCIMS pacing (zero: the pool's default) and how long
	// a call to iCIMS may take (zero: icims.DefaultTimeout). Not flags.
	retryPolicy  river.ClientRetryPolicy
	icimsLimits  icims.PacerConfig
	icimsTimeout time.Duration
	// sandboxSet is true when --sandbox or JOBCANNON_SANDBOX was given;
	// otherwise the sandbox is on exactly when no real iCIMS is configured.
	sandboxSet bool
}

// icimsConfig points the service at a real iCIMS: the Marketplace app's
// OAuth endpoints and credentials, and optionally a fixed API base.
type icimsConfig struct {
	APIURL       string
	AuthorizeURL string
	TokenURL     string
	ClientID     string
	ClientSecret string
	// RevokeURL is set for the sandbox only: iCIMS documents no
	// revocation endpoint.
	RevokeURL string
	// AssessmentTypeList and AssessmentNameList name the custom lists
	// packages are mapped to; iCIMS fixes no names.
	AssessmentTypeList string
	AssessmentNameList string
}

func newServeFlags(c *serveConfig, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("serve", "Usage: jobcannon serve [flags]\n\nRuns the web service.", getenv, out)

	f.String(&c.Addr, "addr", "JOBCANNON_ADDR", ":8080", "address to listen on")
	c.storageConfig.register(f)
	f.String(&c.BaseURL, "base-url", "JOBCANNON_BASE_URL", "", "public URL of this service, used in links and OAuth redirects (default: http://localhost:PORT)")
	f.String(&c.SecretKey, "secret-key", "JOBCANNON_SECRET_KEY", "", "base64 32-byte keys, comma-separated, the active one first (default: generated into the data directory)")
	f.add(setting{flag: "sandbox", env: "JOBCANNON_SANDBOX", value: boolValue{&c.Sandbox}, defText: "auto",
		usage: "mount the simulated iCIMS, its Marketplace and the dev mailbox under /sandbox/ (default: on when --icims-client-id is empty)"})
	f.String(&c.SMTPURL, "smtp-url", "JOBCANNON_SMTP_URL", "", "SMTP server, smtp://user:pass@host:587 or smtps://… (default: none, e-mails go to the dev mailbox)")
	f.String(&c.MailFrom, "mail-from", "JOBCANNON_MAIL_FROM", "no-reply@jobcannon.localhost", "the address e-mails come from; the display name is the customer's company or the template's sender name")
	f.String(&c.MetricsToken, "metrics-token", "JOBCANNON_METRICS_TOKEN", "", "Bearer token required by /metrics (default: none, /metrics is open)")
	f.Duration(&c.ShutdownTimeout, "shutdown-timeout", "JOBCANNON_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may finish after SIGINT/SIGTERM")
	f.String(&c.ICIMS.APIURL, "icims-api-url", "JOBCANNON_ICIMS_API_URL", "", "iCIMS API base for every tenant (default: api.icims.com or api-eu.icims.com by the tenant's region; the simulator in the sandbox)")
	f.String(&c.ICIMS.AuthorizeURL, "icims-authorize-url", "JOBCANNON_ICIMS_AUTHORIZE_URL", "", "iCIMS's OAuth authorize endpoint for the Marketplace install (the simulator's in the sandbox)")
	f.String(&c.ICIMS.TokenURL, "icims-token-url", "JOBCANNON_ICIMS_TOKEN_URL", "", "iCIMS's OAuth token endpoint (default: login.icims.com by region; the simulator's in the sandbox)")
	f.String(&c.ICIMS.ClientID, "icims-client-id", "JOBCANNON_ICIMS_CLIENT_ID", "", "the Marketplace app's OAuth client id (setting it turns the sandbox off unless --sandbox is given)")
	f.String(&c.ICIMS.ClientSecret, "icims-client-secret", "JOBCANNON_ICIMS_CLIENT_SECRET", "", "the Marketplace app's OAuth client secret")
	f.String(&c.ICIMS.AssessmentTypeList, "icims-assessment-type-list", "JOBCANNON_ICIMS_ASSESSMENT_TYPE_LIST", assessments.ListAssessmentType, "name of the iCIMS custom list packages are loaded into as Assessment Types")
	f.String(&c.ICIMS.AssessmentNameList, "icims-assessment-name-list", "JOBCANNON_ICIMS_ASSESSMENT_NAME_LIST", assessments.ListAssessmentName, "name of the iCIMS custom list packages are loaded into as Assessment Names")
	return f
}

func parseServe(args []string, getenv func(string) string, out io.Writer) (serveConfig, error) {
	var c serveConfig
	f := newServeFlags(&c, getenv, out)
	if err := f.parse(args); err != nil {
		return c, err
	}
	c.sandboxSet = f.isSet("sandbox")
	if !c.sandboxSet {
		c.Sandbox = c.ICIMS.ClientID == ""
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
	for name, v := range map[string]string{"--icims-api-url": c.ICIMS.APIURL, "--icims-authorize-url": c.ICIMS.AuthorizeURL, "--icims-token-url": c.ICIMS.TokenURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s %q: want an absolute http(s) URL", name, v)
		}
	}
	if c.ICIMS.ClientID != "" && (c.ICIMS.ClientSecret == "" || c.ICIMS.AuthorizeURL == "") {
		return fmt.Errorf("--icims-client-id needs --icims-client-secret and --icims-authorize-url too")
	}
	if _, err := assessments.NormalizeEmail(c.MailFrom); err != nil {
		return fmt.Errorf("--mail-from %q: want an address such as assessments@vendor.example", c.MailFrom)
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
