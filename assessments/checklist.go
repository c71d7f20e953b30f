package assessments

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DefaultDailyQuota is the iCIMS requests a day an integration license
// allows (contract §3).
const DefaultDailyQuota = 10_000

// SetupFacts are what the setup checklist and the health panel are
// computed from: facts of the tenant's real state, not boxes an admin
// ticks.
type SetupFacts struct {
	// EnabledRules counts the tenant's enabled trigger rules.
	EnabledRules int
	// StatusChangeProcessed: iCIMS sent a status change that was processed.
	StatusChangeProcessed bool
	// EmailSent: a mail server accepted an invitation e-mail.
	EmailSent bool
	// CompleteWritten: an assessment row shows Complete in iCIMS.
	CompleteWritten bool
	// DeliveryAnswered: an event from iCIMS got a successful answer.
	DeliveryAnswered bool
	FailedWrites     int
	DeadWrites       int
}

// ChecklistStore reads a tenant's SetupFacts.
type ChecklistStore interface {
	SetupFacts(ctx context.Context, tenantID int64) (SetupFacts, error)
}

// CheckStep is one line of the vendor guide's verification checklist.
type CheckStep struct {
	Key    string
	Label  string
	Done   bool
	Detail string
	// FixURL and FixLabel say where to go when the step is not done.
	FixURL   string
	FixLabel string
}

// The checklist's fix links that are not pages of ours.
const (
	fixRules     = "/admin/rules/new"
	fixTrial     = "#trial"
	fixMail      = "/admin/invitations"
	fixWriteback = "/admin/writeback"
	fixLogs      = "/admin/integrations/icims/logs"
)

// BuildChecklist computes the vendor guide's verification checklist, in
// its order, from the tenant and the facts. reauth is where the admin
// re-authorizes through the Marketplace.
func BuildChecklist(t Tenant, f SetupFacts, reauth string) []CheckStep {
	installed := t.Status != TenantUninstalled && t.AuthMode != ""
	missing := t.MissingScopes()
	steps := []CheckStep{
		{Key: "installed", Label: "JobCannon app installed from iCIMS Marketplace", Done: installed,
			FixURL: reauth, FixLabel: "Install from the iCIMS Marketplace"},
		{Key: "authorized", Label: "OAuth integration authorized with required scopes",
			Done: installed && t.Status == TenantActive && len(missing) == 0, FixURL: reauth, FixLabel: "Re-authorize with iCIMS"},
		{Key: "triggers", Label: "Assessment triggers configured (auto or manual)", Done: f.EnabledRules > 0,
			FixURL: fixRules, FixLabel: "Add a trigger rule"},
		{Key: "advanced", Label: "At least one test candidate advanced in staging", Done: f.StatusChangeProcessed,
			FixURL: fixTrial, FixLabel: "Send a test assessment"},
		{Key: "email", Label: "Assessment email received by test candidate", Done: f.EmailSent,
			FixURL: fixMail, FixLabel: "See the invitations"},
		{Key: "scorecard", Label: "Scorecard updated after assessment completion", Done: f.CompleteWritten,
			FixURL: fixWriteback, FixLabel: "See the write-back"},
		{Key: "logged", Label: "Webhook delivery logs confirm successful callback", Done: f.DeliveryAnswered,
			FixURL: fixLogs, FixLabel: "Open the webhook logs"},
	}
	for i := range steps {
		steps[i].Detail = stepDetail(steps[i], t, f, missing)
	}
	return steps
}

func stepDetail(s CheckStep, t Tenant, f SetupFacts, missing []string) string {
	switch s.Key {
	case "installed":
		if !s.Done {
			return "JobCannon holds no connection to this iCIMS account."
		}
		// Only an OAuth tenant came through the Marketplace; a classic
		// connection (the admin's form, `jobcannon tenant add`) has an
		// install date too, but must not claim the Marketplace.
		on := ""
		if !t.InstalledAt.IsZero() {
			on = " on " + t.InstalledAt.UTC().Format("2006-01-02")
		}
		if t.AuthMode != AuthOAuth {
			return "Not from the Marketplace: connected" + on + " with credentials iCIMS issued (" + t.AuthMode.Label() + ")."
		}
		return "Installed from the iCIMS Marketplace" + on + "."
	case "authorized":
		switch {
		case t.Status == TenantNeedsReauth:
			return "OAuth token expired: re-authorize from the iCIMS Marketplace. " + t.StatusReason
		case len(missing) > 0:
			return "Not granted: " + strings.Join(missing, ", ") + "."
		case s.Done && t.AuthMode != AuthOAuth:
			return t.AuthMode.Label() + " gives every permission."
		case s.Done:
			return "All four permissions granted."
		default:
			return "JobCannon has no authorization for this iCIMS account."
		}
	case "triggers":
		if s.Done {
			return fmt.Sprintf("%d enabled %s.", f.EnabledRules, pluralWord(f.EnabledRules, "rule", "rules"))
		}
		return "No enabled rule: moving a candidate sends nothing."
	case "advanced":
		if !s.Done {
			return "No status change from iCIMS has been processed yet."
		}
	case "email":
		if !s.Done {
			return "No invitation e-mail has been accepted by a mail server yet."
		}
	case "scorecard":
		if !s.Done {
			return "No assessment row shows Complete in iCIMS yet."
		}
	case "logged":
		if !s.Done {
			return "No event from iCIMS has been answered successfully yet."
		}
	}
	return ""
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Health is the tenant's integration health, for the dashboard.
type Health struct {
	// TokenOK is false when iCIMS refused the credentials or the token
	// has expired; TokenState says which, in words.
	TokenOK    bool
	TokenState string
	CallsToday int
	DailyQuota int
	// FailedWrites need an admin; DeadWrites gave up after three days.
	FailedWrites int
	DeadWrites   int
}

// QuotaPercent is the share of the daily quota used today, 0 to 100.
func (h Health) QuotaPercent() int {
	if h.DailyQuota <= 0 {
		return 0
	}
	return min(100, h.CallsToday*100/h.DailyQuota)
}

// Setup is the dashboard's checklist and health.
type Setup struct {
	Steps  []CheckStep
	Health Health
	// TrialStatus names the status a test assessment moves a candidate
	// to (TrialRule); "" when no enabled auto-send rule has one.
	TrialStatus string
}

// Done counts the steps that are done.
func (s Setup) Done() int {
	n := 0
	for _, st := range s.Steps {
		if st.Done {
			n++
		}
	}
	return n
}

// Checklist computes the dashboard's setup checklist and health.
type Checklist struct {
	Store   ChecklistStore
	Logs    LogStore
	Tenants TenantStore
	Rules   RuleStore
	// Statuses names the trial's status; nil, or a failing iCIMS, shows
	// its node id instead.
	Statuses StatusSource
	Clock    Clock
	// DailyQuota is the tenant's iCIMS requests a day (DefaultDailyQuota
	// when 0).
	DailyQuota int
}

// For computes the checklist and health of t.
func (c *Checklist) For(ctx context.Context, t Tenant, reauth string) (Setup, error) {
	facts, err := c.Store.SetupFacts(ctx, t.ID)
	if err != nil {
		return Setup{}, err
	}
	now := c.Clock.Now().UTC()
	calls, err := c.Logs.CallsSince(ctx, t.ID, now.Truncate(24*time.Hour))
	if err != nil {
		return Setup{}, err
	}
	quota := c.DailyQuota
	if quota == 0 {
		quota = DefaultDailyQuota
	}
	h := Health{CallsToday: calls, DailyQuota: quota, FailedWrites: facts.FailedWrites, DeadWrites: facts.DeadWrites}
	h.TokenOK, h.TokenState = c.tokenState(ctx, t, now)
	setup := Setup{Steps: BuildChecklist(t, facts, reauth), Health: h}
	rules, err := c.Rules.Rules(ctx, t.ID)
	if err != nil {
		return Setup{}, err
	}
	if _, pair, ok := TrialRule(rules); ok {
		setup.TrialStatus = c.statusName(ctx, t, pair.To)
	}
	return setup, nil
}

// statusName names a workflow status node from the tenant's (cached)
// status list, or returns the node id when it cannot.
func (c *Checklist) statusName(ctx context.Context, t Tenant, id string) string {
	if c.Statuses == nil || !t.Connected() || t.Status != TenantActive {
		return id
	}
	statuses, err := c.Statuses.WorkflowStatuses(ctx, t)
	if err != nil {
		return id
	}
	for _, s := range statuses {
		if s.ID == id {
			return s.Value
		}
	}
	return id
}

// tokenState describes the tenant's credentials without showing them.
func (c *Checklist) tokenState(ctx context.Context, t Tenant, now time.Time) (bool, string) {
	switch {
	case t.Status == TenantUninstalled || t.AuthMode == "":
		return false, "No credentials: JobCannon is not connected."
	case t.Status == TenantNeedsReauth:
		return false, "OAuth token expired: iCIMS refused the credentials. Re-authorize from the iCIMS Marketplace."
	case t.AuthMode != AuthOAuth:
		return true, t.AuthMode.Label() + ": credentials iCIMS issued, accepted at the last call."
	}
	creds, err := c.Tenants.Credentials(ctx, t.ID)
	if err != nil {
		return false, "The stored token could not be read; re-authorize from the iCIMS Marketplace."
	}
	switch {
	case creds.TokenExpiry.IsZero():
		return true, "OAuth token valid, with no expiry date."
	case !creds.TokenExpiry.After(now) && creds.RefreshToken == "":
		return false, "OAuth token expired on " + creds.TokenExpiry.UTC().Format("2006-01-02") + ". Re-authorize from the iCIMS Marketplace."
	case !creds.TokenExpiry.After(now):
		return true, "OAuth token expired on " + creds.TokenExpiry.UTC().Format("2006-01-02") + "; it is refreshed at the next call."
	}
	return true, "OAuth token valid until " + creds.TokenExpiry.UTC().Format("2006-01-02") + "."
}
