package assessments

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Retention periods, in days: the vendor guide's default of 90, and the
// bounds of a tenant's override.
const (
	DefaultRetentionDays = 90
	MinRetentionDays     = 7
	MaxRetentionDays     = 3650
)

// RetentionCutoff is the moment before which a tenant's candidate data is
// deleted: now minus the retention period. Anything at or after it is
// kept.
func RetentionCutoff(now time.Time, days int) time.Time {
	return now.UTC().Add(-time.Duration(days) * 24 * time.Hour)
}

// ValidRetentionDays checks a tenant's override.
func ValidRetentionDays(days int) error {
	if days < MinRetentionDays || days > MaxRetentionDays {
		return Errorf(EINVALID, "Keep data between %d and %d days.", MinRetentionDays, MaxRetentionDays)
	}
	return nil
}

// RetentionPolicy is how long a tenant keeps candidate data.
type RetentionPolicy struct {
	Days int
	// Custom is set when the tenant chose Days; otherwise it is the
	// default.
	Custom    bool
	UpdatedAt time.Time
}

// PurgeCounts are how many records of each kind one purge cleared. Rows
// that keep counts (invitations, deliveries, e-mails) stay, emptied of
// personal data; the rest are deleted.
type PurgeCounts struct {
	// Invitations had the candidate's name, e-mail and return link blanked.
	Invitations int `json:"invitations,omitempty"`
	// Answers and Timings (the start and end of each instrument) deleted.
	Answers int `json:"answers,omitempty"`
	Timings int `json:"timings,omitempty"`
	// Accommodations: requests whose message was blanked.
	Accommodations int `json:"accommodations,omitempty"`
	// Links: candidate links deleted (the link stops working); Reports:
	// result links withdrawn.
	Links   int `json:"links,omitempty"`
	Reports int `json:"reports,omitempty"`
	// Events: invitation history lines and Emails: e-mail records whose
	// text named the candidate.
	Events int `json:"events,omitempty"`
	Emails int `json:"emails,omitempty"`
	// Deliveries had their event body and message cleared; Attempts their
	// request and response.
	Deliveries int `json:"deliveries,omitempty"`
	Attempts   int `json:"attempts,omitempty"`
	// Mailbox: dev-mailbox messages deleted. AdminInvites: used or expired
	// admin invitations deleted.
	Mailbox      int `json:"mailbox,omitempty"`
	AdminInvites int `json:"admin_invites,omitempty"`
}

// Total is how many records the purge cleared.
func (c PurgeCounts) Total() int {
	return c.Invitations + c.Answers + c.Timings + c.Accommodations + c.Links + c.Reports + c.Events + c.Emails +
		c.Deliveries + c.Attempts + c.Mailbox + c.AdminInvites
}

// Add sums two counts.
func (c PurgeCounts) Add(o PurgeCounts) PurgeCounts {
	return PurgeCounts{Invitations: c.Invitations + o.Invitations, Answers: c.Answers + o.Answers,
		Timings: c.Timings + o.Timings, Accommodations: c.Accommodations + o.Accommodations, Links: c.Links + o.Links,
		Reports: c.Reports + o.Reports, Events: c.Events + o.Events, Emails: c.Emails + o.Emails,
		Deliveries: c.Deliveries + o.Deliveries, Attempts: c.Attempts + o.Attempts, Mailbox: c.Mailbox + o.Mailbox,
		AdminInvites: c.AdminInvites + o.AdminInvites}
}

// Purge is one run that removed something.
type Purge struct {
	At     time.Time
	Cutoff time.Time
	Days   int
	Counts PurgeCounts
}

// RetentionState is what the settings page shows: the policy, when it was
// last applied, and the last purges.
type RetentionState struct {
	Policy     RetentionPolicy
	LastRun    time.Time
	LastCutoff time.Time
	Purges     []Purge
}

// RetentionStore keeps retention policies and applies them.
type RetentionStore interface {
	RetentionPolicy(ctx context.Context, tenantID int64) (RetentionPolicy, error)
	SaveRetentionPolicy(ctx context.Context, tenantID int64, days int, by Actor) error
	// Purge removes the tenant's personal data from before cutoff and
	// records the run (and the purge, when it removed something).
	Purge(ctx context.Context, tenantID int64, cutoff time.Time, days int) (PurgeCounts, error)
	// RetentionState returns the policy, the last run and the last n
	// purges, newest first.
	RetentionState(ctx context.Context, tenantID int64, n int) (RetentionState, error)
	// PurgeUnownedMail deletes dev-mailbox messages that belong to no
	// tenant from before cutoff.
	PurgeUnownedMail(ctx context.Context, cutoff time.Time) (int, error)
}

// Retention applies each tenant's retention policy.
type Retention struct {
	Store   RetentionStore
	Tenants TenantStore
	Clock   Clock
}

// TenantPurge is what one run did for one tenant.
type TenantPurge struct {
	TenantID int64
	Cutoff   time.Time
	Counts   PurgeCounts
}

// Run applies every tenant's policy, uninstalled tenants included (their
// history stays until retention removes it). One tenant's failure does
// not stop the others; the errors are returned together.
func (r *Retention) Run(ctx context.Context) ([]TenantPurge, error) {
	tenants, err := r.Tenants.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: tenants: %w", err)
	}
	now := r.Clock.Now()
	var out []TenantPurge
	var errs []error
	for _, t := range tenants {
		p, err := r.Store.RetentionPolicy(ctx, t.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: tenant %s: %w", t.CustomerID, err))
			continue
		}
		cutoff := RetentionCutoff(now, p.Days)
		counts, err := r.Store.Purge(ctx, t.ID, cutoff, p.Days)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: tenant %s: %w", t.CustomerID, err))
			continue
		}
		out = append(out, TenantPurge{TenantID: t.ID, Cutoff: cutoff, Counts: counts})
	}
	// Mail that belongs to no tenant (an admin's invitation before the
	// tenant existed) follows the default period.
	n, err := r.Store.PurgeUnownedMail(ctx, RetentionCutoff(now, DefaultRetentionDays))
	if err != nil {
		errs = append(errs, fmt.Errorf("retention: unowned mail: %w", err))
	} else if n > 0 {
		out = append(out, TenantPurge{Cutoff: RetentionCutoff(now, DefaultRetentionDays), Counts: PurgeCounts{Mailbox: n}})
	}
	return out, errors.Join(errs...)
}

// State returns what the settings page shows about retention.
func (r *Retention) State(ctx context.Context, tenantID int64) (RetentionState, error) {
	return r.Store.RetentionState(ctx, tenantID, 5)
}

// SetDays saves a tenant's retention period; the next run applies it.
func (r *Retention) SetDays(ctx context.Context, tenantID int64, days int, by Actor) error {
	if err := ValidRetentionDays(days); err != nil {
		return err
	}
	return r.Store.SaveRetentionPolicy(ctx, tenantID, days, by)
}
