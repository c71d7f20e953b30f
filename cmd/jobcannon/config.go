package main

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/jobcannon/jobcannon/app"
	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs"
)

// registerStorage adds the settings of every command that opens the
// database.
func registerStorage(f *flagSet, c *app.Storage) {
	f.String(&c.DataDir, "data-dir", "JOBCANNON_DATA_DIR", "./data", "directory for the SQLite database, the generated secret key and the dev mailbox")
	f.String(&c.DatabaseURL, "database-url", "JOBCANNON_DATABASE_URL", "", "database: postgres://user:pass@host:5432/db for PostgreSQL (several instances may share it), or sqlite:///path/to/file.db or a file path (default: jobcannon.db in the data directory)")
	f.String(&c.LogLevel, "log-level", "JOBCANNON_LOG_LEVEL", "info", "debug, info, warn or error")
	f.String(&c.LogFormat, "log-format", "JOBCANNON_LOG_FORMAT", "", "text or json (default: text on a terminal, json otherwise)")
}

func newServeFlags(c *app.Config, getenv func(string) string, out io.Writer) *flagSet {
	f := newFlagSet("serve", "Usage: jobcannon serve [flags]\n\nRuns the web service.", getenv, out)

	f.String(&c.Addr, "addr", "JOBCANNON_ADDR", ":8080", "address to listen on")
	registerStorage(f, &c.Storage)
	f.String(&c.BaseURL, "base-url", "JOBCANNON_BASE_URL", "", "public URL of this service, used in links and OAuth redirects (default: http://localhost:PORT)")
	f.String(&c.SecretKey, "secret-key", "JOBCANNON_SECRET_KEY", "", "base64 32-byte keys, comma-separated, the active one first (default: generated into the data directory)")
	c.SandboxMode = sandboxAuto
	f.add(setting{flag: "sandbox", env: "JOBCANNON_SANDBOX", value: sandboxValue{&c.SandboxMode},
		usage: "true, false or auto: mount the simulated iCIMS, its Marketplace and the dev mailbox under /sandbox/ (auto: on when --icims-client-id is empty and --base-url is local)"})
	f.String(&c.SMTPURL, "smtp-url", "JOBCANNON_SMTP_URL", "", "SMTP server, smtp://user:pass@host:587 or smtps://… (default: none, e-mails go to the dev mailbox)")
	f.String(&c.MailFrom, "mail-from", "JOBCANNON_MAIL_FROM", "no-reply@jobcannon.localhost", "the address e-mails come from; the display name is the customer's company or the template's sender name")
	f.String(&c.TrustedProxies, "trusted-proxies", "JOBCANNON_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (default: none, the client is the connection's address)")
	f.String(&c.MetricsToken, "metrics-token", "JOBCANNON_METRICS_TOKEN", "", "Bearer token required by /metrics (default: none, /metrics is open)")
	f.Int(&c.WriteHealth.Failures, "write-failing-after", "JOBCANNON_WRITE_FAILING_AFTER", assessments.DefaultWriteHealthPolicy.Failures, "e-mail a customer's admins that writes to iCIMS are failing after this many failed writes in a row (and once more when one succeeds)")
	f.Duration(&c.WriteHealth.For, "write-failing-for", "JOBCANNON_WRITE_FAILING_FOR", assessments.DefaultWriteHealthPolicy.For, "... and only once the first of those failures is this old")
	f.String(&c.CPUProfile, "cpu-profile", "JOBCANNON_CPU_PROFILE", "", "write a CPU profile of the whole run to this file when the service stops (go tool pprof FILE); for measuring, e.g. under jobcannon bench --profile")
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

func parseServe(args []string, getenv func(string) string, out io.Writer) (app.Config, error) {
	var c app.Config
	f := newServeFlags(&c, getenv, out)
	if err := f.parse(sandboxWords(args)); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	// Auto turns the sandbox on only where nobody else can reach it: its
	// dev mailbox shows every e-mail sent, candidate links included.
	switch c.SandboxMode {
	case sandboxAuto:
		c.Sandbox = c.ICIMS.ClientID == "" && !c.PublicBaseURL()
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
