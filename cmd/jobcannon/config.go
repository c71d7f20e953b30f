package main

import (
	"errors"
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
	"github.com/jobcannon/jobcannon/jobs"
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
	// SandboxMode is --sandbox as given: "auto" (the default), "true" or
	// "false". Sandbox is what it resolves to.
	SandboxMode string
	// TrustedProxies are the CIDRs of the reverse proxies whose
	// X-Forwarded-For is believed.
	TrustedProxies string
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
	// JobSyncInterval, ClosedJobFolders (comma-separated) and JobCodeField
	// tune the job sync; iCIMS documents none of them.
	JobSyncInterval  time.Duration
	ClosedJobFolders string
	JobCodeField     string
}

func newServeFlags(c *serveConfig, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("serve", "Usage: jobcannon serve [flags]\n\nRuns the web service.", getenv, out)

	f.String(&c.Addr, "addr", "JOBCANNON_ADDR", ":8080", "address to listen on")
	c.storageConfig.register(f)
	f.String(&c.BaseURL, "base-url", "JOBCANNON_BASE_URL", "", "public URL of this service, used in links and OAuth redirects (default: http://localhost:PORT)")
	f.String(&c.SecretKey, "secret-key", "JOBCANNON_SECRET_KEY", "", "base64 32-byte keys, comma-separated, the active one first (default: generated into the data directory)")
	c.SandboxMode = sandboxAuto
	f.add(setting{flag: "sandbox", env: "JOBCANNON_SANDBOX", value: sandboxValue{&c.SandboxMode},
		usage: "true, false or auto: mount the simulated iCIMS, its Marketplace and the dev mailbox under /sandbox/ (auto: on when --icims-client-id is empty and --base-url is local)"})
	f.String(&c.SMTPURL, "smtp-url", "JOBCANNON_SMTP_URL", "", "SMTP server, smtp://user:pass@host:587 or smtps://… (default: none, e-mails go to the dev mailbox)")
	f.String(&c.MailFrom, "mail-from", "JOBCANNON_MAIL_FROM", "no-reply@jobcannon.localhost", "the address e-mails come from; the display name is the customer's company or the template's sender name")
	f.String(&c.TrustedProxies, "trusted-proxies", "JOBCANNON_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (default: none, the client is the connection's address)")
	f.String(&c.MetricsToken, "metrics-token", "JOBCANNON_METRICS_TOKEN", "", "Bearer token required by /metrics (default: none, /metrics is open)")
	f.Duration(&c.ShutdownTimeout, "shutdown-timeout", "JOBCANNON_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may finish after SIGINT/SIGTERM")
	f.String(&c.ICIMS.APIURL, "icims-api-url", "JOBCANNON_ICIMS_API_URL", "", "iCIMS API base for every tenant (default: api.icims.com or api-eu.icims.com by the tenant's region; the simulator in the sandbox)")
	f.String(&c.ICIMS.AuthorizeURL, "icims-authorize-url", "JOBCANNON_ICIMS_AUTHORIZE_URL", "", "iCIMS's OAuth authorize endpoint for the Marketplace install (the simulator's in the sandbox)")
	f.String(&c.ICIMS.TokenURL, "icims-token-url", "JOBCANNON_ICIMS_TOKEN_URL", "", "iCIMS's OAuth token endpoint (default: login.icims.com by region; the simulator's in the sandbox)")
	f.String(&c.ICIMS.ClientID, "icims-client-id", "JOBCANNON_ICIMS_CLIENT_ID", "", "the Marketplace app's OAuth client id (setting it turns the sandbox off unless --sandbox is given)")
	f.String(&c.ICIMS.ClientSecret, "icims-client-secret", "JOBCANNON_ICIMS_CLIENT_SECRET", "", "the Marketplace app's OAuth client secret")
	f.String(&c.ICIMS.AssessmentTypeList, "icims-assessment-type-list", "JOBCANNON_ICIMS_ASSESSMENT_TYPE_LIST", assessments.ListAssessmentType, "name of the iCIMS custom list packages are loaded into as Assessment Types")
	f.String(&c.ICIMS.AssessmentNameList, "icims-assessment-name-list", "JOBCANNON_ICIMS_ASSESSMENT_NAME_LIST", assessments.ListAssessmentName, "name of the iCIMS custom list packages are loaded into as Assessment Names")
	f.Duration(&c.ICIMS.JobSyncInterval, "icims-job-sync-interval", "JOBCANNON_ICIMS_JOB_SYNC_INTERVAL", jobs.DefaultJobSyncInterval, "how often each customer's jobs are synced from iCIMS (changed jobs only, by update date)")
	f.String(&c.ICIMS.ClosedJobFolders, "icims-closed-job-folders", "JOBCANNON_ICIMS_CLOSED_JOB_FOLDERS", strings.Join(jobs.DefaultClosedFolders(), ","), "comma-separated iCIMS job folders (names or node ids) whose jobs count as removed from iCIMS")
	f.String(&c.ICIMS.JobCodeField, "icims-job-code-field", "JOBCANNON_ICIMS_JOB_CODE_FIELD", jobs.DefaultJobCodeField, "the iCIMS job field shown as the job code on the Jobs page")
	return f
}

func parseServe(args []string, getenv func(string) string, out io.Writer) (serveConfig, error) {
	var c serveConfig
	f := newServeFlags(&c, getenv, out)
	if err := f.parse(sandboxWords(args)); err != nil {
		return c, err
	}
	if err := c.validate(); err != nil {
		return c, err
	}
	// Auto turns the sandbox on only where nobody else can reach it: its
	// dev mailbox shows every e-mail sent, candidate links included.
	switch c.SandboxMode {
	case sandboxAuto:
		c.Sandbox = c.ICIMS.ClientID == "" && !c.publicBaseURL()
	default:
		c.Sandbox = c.SandboxMode == "true"
	}
	return c, nil
}

const sandboxAuto = "auto"

// sandboxValue is --sandbox: true, false or auto. It is a boolean flag, so
// --sandbox alone means true; sandboxWords lets --sandbox take a separate
// word as well.
type sandboxValue struct{ p *string }

func (v sandboxValue) String() string {
	if v.p == nil {
		return sandboxAuto
	}
	return *v.p
}

func (v sandboxValue) Set(s string) error {
	switch w := strings.ToLower(strings.TrimSpace(s)); w {
	case "true", "1", "yes", "on":
		*v.p = "true"
	case "false", "0", "no", "off":
		*v.p = "false"
	case sandboxAuto:
		*v.p = sandboxAuto
	default:
		return errors.New("want true, false or auto")
	}
	return nil
}

func (v sandboxValue) IsBoolFlag() bool { return true }

// sandboxWords joins "--sandbox false" into "--sandbox=false". The flag
// package reads a boolean flag's next word as a positional argument, so
// without this "--sandbox false" was refused as a stray "false".
func sandboxWords(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "--sandbox" || a == "-sandbox") && i+1 < len(args) && (sandboxValue{new(string)}).Set(args[i+1]) == nil {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// publicBaseURL reports whether the base URL can be reached from other
// machines: anything but localhost, 127.0.0.0/8 and ::1 (no base URL
// means http://localhost:PORT).
func (c *serveConfig) publicBaseURL() bool {
	if c.BaseURL == "" {
		return false
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return true
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// trustedProxies parses --trusted-proxies: CIDRs, or single addresses.
func (c *serveConfig) trustedProxies() ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, s := range strings.Split(c.TrustedProxies, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			ip := net.ParseIP(s)
			if ip == nil {
				return nil, fmt.Errorf("--trusted-proxies %q: want CIDRs such as 10.0.0.0/8, comma-separated", s)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies %q: want CIDRs such as 10.0.0.0/8, comma-separated", s)
		}
		nets = append(nets, n)
	}
	return nets, nil
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
	if _, err := c.trustedProxies(); err != nil {
		return err
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
