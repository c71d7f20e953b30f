package app

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

// Storage is what every command that opens the database needs.
type Storage struct {
	DataDir     string
	DatabaseURL string
	LogLevel    string
	LogFormat   string
}

// Logger is the service log as --log-level and --log-format ask.
func (c *Storage) Logger(w io.Writer) (*slog.Logger, error) {
	level, err := logging.ParseLevel(c.LogLevel)
	if err != nil {
		return nil, err
	}
	return logging.New(w, c.LogFormat, level)
}

// Config is the configuration of the web service.
type Config struct {
	Storage
	Addr            string
	BaseURL         string
	SecretKey       string
	Sandbox         bool
	SMTPURL         string
	MailFrom        string
	MetricsToken    string
	ShutdownTimeout time.Duration
	ICIMS           ICIMSConfig
	// CPUProfile is a file the serve command writes a CPU profile of the
	// whole run to (pprof format, written at shutdown); "" for none.
	CPUProfile string
	// WriteHealth says when a customer's admins are e-mailed that its
	// writes to iCIMS are failing; zero means the default.
	WriteHealth assessments.WriteHealthPolicy
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

// ICIMSConfig points the service at a real iCIMS: the Marketplace app's
// OAuth endpoints and credentials, and optionally a fixed API base.
type ICIMSConfig struct {
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

// PublicBaseURL reports whether the base URL can be reached from other
// machines: anything but localhost, 127.0.0.0/8 and ::1 (no base URL
// means http://localhost:PORT).
func (c *Config) PublicBaseURL() bool {
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

// ProxyNets parses --trusted-proxies: CIDRs, or single addresses.
func (c *Config) ProxyNets() ([]*net.IPNet, error) {
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

// Validate refuses settings the service cannot run with, naming the flag.
func (c *Config) Validate() error {
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
	if _, err := c.ProxyNets(); err != nil {
		return err
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("--shutdown-timeout must be positive")
	}
	return nil
}

// baseURL returns the configured public URL, or one made from the address
// the server actually listens on.
func (c *Config) baseURL(ln net.Addr) *url.URL {
	if c.BaseURL != "" {
		u, _ := url.Parse(strings.TrimRight(c.BaseURL, "/"))
		return u
	}
	_, port, _ := net.SplitHostPort(ln.String())
	return &url.URL{Scheme: "http", Host: "localhost:" + port}
}
