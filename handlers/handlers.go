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

// Handlers carries what the handlers need. It is built once, in the
// service's wiring function.
type Handlers struct {
	Log     *slog.Logger
	Assets  *static.Assets
	Ready   Readiness
	Sandbox bool
	Clock   assessments.Clock
	// BaseURL is the service's public URL, for links in e-mails and for
	// deciding whether cookies are Secure.
	BaseURL *url.URL

	Sessions  *scs.SessionManager
	Tenants   assessments.TenantStore
	Admins    assessments.AdminStore
	Accounts  *assessments.Accounts
	Installer *assessments.Installer
	Connector assessments.ConnectionTester
	// Pace tells how fast each tenant's iCIMS is called (the pool).
	Pace   assessments.CallPacer
	Logins *LoginLimiter
	// Mailer sends e-mail: SMTP, or the dev mailbox in the sandbox.
	Mailer mail.Sender
	// MailFrom is the address e-mails come from.
	MailFrom string

	// Inbound keeps the credentials iCIMS uses to call us; InboundTokens
	// answers POST /oauth/token with it.
	Inbound       assessments.InboundStore
	InboundTokens *assessments.InboundTokenIssuer

	// The catalog, the candidate pages and the recruiter report.
	// AssessmentTypes loads the tenant's iCIMS Assessment Type list.
	Library         *assessments.Library
	Catalog         assessments.CatalogStore
	Invitations     assessments.InvitationStore
	Candidates      *assessments.CandidateService
	Reports         *assessments.Reports
	AssessmentTypes assessments.AssessmentTypeSource

	// iCIMS events and trigger rules: EventAuth and the intake behind POST
	// /icims/events, the recruiter's confirm page, the rules pages and
	// their dry run. Statuses loads the tenant's workflow statuses;
	// Samples builds a dry-run event from a real application.
	EventAuth     *EventAuth
	Intake        *assessments.Intake
	Confirmations *assessments.Confirmations
	Rules         assessments.RuleStore
	DryRun        *assessments.DryRun
	Statuses      assessments.StatusSource
	Samples       assessments.SampleEvents

	// Writeback serves the write-back problems page and its retries;
	// Scorecards checks a scorecard mapping against iCIMS on save.
	Writeback  assessments.WritebackAdmin
	Scorecards assessments.ScorecardChecker

	// Invitation e-mail and lifecycle: the tenant's template, the admin
	// invitation pages (list, resend, extend, cancel) and the sandbox's dev
	// mailbox (nil when the sandbox is off).
	EmailTemplates  TemplateStore
	InvitationPages assessments.InvitationLister
	Lifecycle       *assessments.Lifecycle
	Mailbox         MailboxStore

	// The webhook logs page; the dashboard's setup checklist and health;
	// the settings page's retention policy; "Send a test assessment"
	// (nil when the sandbox is off).
	Logs      *assessments.Logs
	Checklist *assessments.Checklist
	Retention *assessments.Retention
	Trial     assessments.TrialRunner

	// Apply serves assessment-first applications: the admin's share page
	// and the public apply pages (nil leaves them off).
	Apply *ApplyPages
}

// Page returns the layout data every page starts from.
func (h *Handlers) Page(c echo.Context, title string) views.Page {
	csrf, _ := c.Get(CSRFContextKey).(string)
	return views.Page{Title: title, Asset: h.Assets.URL, Current: c.Request().URL.Path, CSRFToken: csrf, Sandbox: h.Sandbox}
}

// AdminPage is Page with the admin navigation and htmx.
func (h *Handlers) AdminPage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.Nav, p.HTMX = "admin", true
	return p
}

// secureCookies reports whether cookies must be Secure: whenever the public
// URL is https.
func (h *Handlers) secureCookies() bool { return h.BaseURL != nil && h.BaseURL.Scheme == "https" }

// Render writes a templ component with the given status.
func Render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// Home shows the start page.
func (h *Handlers) Home(c echo.Context) error {
	return Render(c, http.StatusOK, views.Home(h.Page(c, ""), h.Sandbox))
}
