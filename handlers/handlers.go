// Package handlers holds the Echo handlers: each binds and validates its
// input, calls the domain, and renders a page or redirects. No SQL here.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/alexedwards/scs/v2"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/views"
)

// Readiness reports whether the service can do its work: the database
// answers and its schema is current.
type Readiness interface {
	Ready(ctx context.Context) error
}

// Shared is what the handlers of every area share: the log, the clock,
// the layout's assets, the public URL and the sessions. Each area embeds
// the one Shared built by the service's wiring.
type Shared struct {
	Log     *slog.Logger
	Assets  *static.Assets
	Clock   assessments.Clock
	Sandbox bool
	// BaseURL is the service's public URL, for links in e-mails and for
	// deciding whether cookies are Secure.
	BaseURL  *url.URL
	Sessions *scs.SessionManager
}

// Areas is every area's handlers, one field per area, as the route table
// in web serves them. Each is built once, in the service's wiring.
type Areas struct {
	Shared      *Shared
	Site        *Site
	Install     *Install
	Events      *Events
	Candidate   *Candidate
	Report      *Report
	Admin       *Admin
	Catalog     *Catalog
	Rules       *Rules
	Jobs        *Jobs
	Apply       *Apply
	Invitations *Invitations
	Logs        *Logs
}

// Site serves what is neither product nor admin: health, the start page
// and the sandbox's dev mailbox (Mailbox is nil when the sandbox is off).
type Site struct {
	*Shared
	Ready   Readiness
	Mailbox MailboxStore
}

// Install serves the Marketplace install and POST /oauth/token, where
// iCIMS trades the credentials we issued (in Inbound) for a token.
type Install struct {
	*Shared
	Installer     *assessments.Installer
	InboundTokens *assessments.InboundTokenIssuer
}

// Events serves POST /icims/events (EventAuth, then the intake) and the
// recruiter's confirm page.
type Events struct {
	*Shared
	EventAuth     *EventAuth
	Intake        *assessments.Intake
	Confirmations *assessments.Confirmations
}

// Candidate serves the candidate's pages behind the link's token.
type Candidate struct {
	*Shared
	Candidates *assessments.CandidateService
	// Brands gives the pages the employer's name, logo and colour.
	Brands BrandSource
}

// Report serves the recruiter's report behind a signed link.
type Report struct {
	*Shared
	Reports *assessments.Reports
}

// Admin serves the admins' sign-in and accounts, the connection to iCIMS,
// the dashboard with its setup checklist, and the settings page.
type Admin struct {
	*Shared
	Tenants  assessments.TenantStore
	Admins   assessments.AdminStore
	Accounts *assessments.Accounts
	// Logins limits sign-ins and password-reset requests per address and
	// per client IP, across instances.
	Logins *assessments.Limiter
	// Mailer sends e-mail (SMTP, or the dev mailbox in the sandbox) from
	// MailFrom: here, the invitations of new admins.
	Mailer    mail.Sender
	MailFrom  string
	Connector assessments.ConnectionTester
	// Pace tells how fast each tenant's iCIMS is called (the pool).
	Pace      assessments.CallPacer
	Retention *assessments.Retention
	Checklist *assessments.Checklist
	// Trial is "Send a test assessment" (nil when the sandbox is off).
	Trial assessments.TrialRunner
	// Accommodations puts the open accommodation requests on the dashboard.
	Accommodations AccommodationLister
}

// Catalog serves the assessment catalog, its preview and the candidates'
// accommodation requests. AssessmentTypes loads the tenant's iCIMS
// Assessment Type list; Scorecards checks a scorecard mapping against
// iCIMS on save.
type Catalog struct {
	*Shared
	Library         *assessments.Library
	Catalog         assessments.CatalogStore
	Invitations     assessments.InvitationStore
	Candidates      *assessments.CandidateService
	AssessmentTypes assessments.AssessmentTypeSource
	Scorecards      assessments.ScorecardChecker
}

// Rules serves the trigger rules and their dry run. Statuses loads the
// tenant's workflow statuses; Samples builds a dry-run event from a real
// application.
type Rules struct {
	*Shared
	Rules    assessments.RuleStore
	Catalog  assessments.CatalogStore
	DryRun   *assessments.DryRun
	Statuses assessments.StatusSource
	Samples  assessments.SampleEvents
	// JobListings offers the rule form's jobs by name; nil (or no sync
	// run yet) falls back to typed ids.
	JobListings *assessments.JobListings
}

// Jobs serves the Jobs page: the jobs the job sync read from iCIMS and
// the Refresh jobs button.
type Jobs struct {
	*Shared
	JobListings *assessments.JobListings
}

// Invitations serves the invitations over their life (resend, extend,
// cancel) and the tenant's invitation e-mail template, whose sample goes
// out through Mailer from MailFrom.
type Invitations struct {
	*Shared
	InvitationPages assessments.InvitationLister
	Invitations     assessments.InvitationStore
	Lifecycle       *assessments.Lifecycle
	Catalog         assessments.CatalogStore
	EmailTemplates  TemplateStore
	Mailer          mail.Sender
	MailFrom        string
}

// Logs serves the webhook logs (every event and call, redeliver and
// retry) and the write-back problems page with its retries.
type Logs struct {
	*Shared
	Logs      *assessments.Logs
	Writeback assessments.WritebackAdmin
}

// Page returns the layout data every page starts from.
func (h *Shared) Page(c echo.Context, title string) views.Page {
	csrf, _ := c.Get(CSRFContextKey).(string)
	return views.Page{Title: title, Asset: h.Assets.URL, Current: c.Request().URL.Path, CSRFToken: csrf, Sandbox: h.Sandbox}
}

// AdminPage is Page with the admin navigation and htmx.
func (h *Shared) AdminPage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.Nav, p.HTMX = "admin", true
	p.Zone = CurrentTenant(c).Location()
	// Admin forms show only the sections that apply once this script runs.
	p.Scripts = []string{"forms.js"}
	return p
}

// link is the absolute URL of an in-app path (a builder's result), for
// e-mails and pages read outside the service.
func (h *Shared) link(path string) string { return h.BaseURL.JoinPath(path).String() }

// secureCookies reports whether cookies must be Secure: whenever the public
// URL is https.
func (h *Shared) secureCookies() bool { return h.BaseURL != nil && h.BaseURL.Scheme == "https" }

// Render writes a templ component with the given status.
func Render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// Home shows the start page.
func (h *Site) Home(c echo.Context) error {
	return Render(c, http.StatusOK, views.Home(h.Page(c, ""), h.Sandbox))
}
