package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// LifecycleStore is what the scheduler needs of the store;
// *sqlite.LifecycleStore is one.
type LifecycleStore interface {
	Extend(ctx context.Context, tenantID, id int64, until time.Time,
		then func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, firstSent time.Time) error) (assessments.Invitation, error)
	WithResend(ctx context.Context, tenantID, id int64, now time.Time, every time.Duration, fn func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error) error
}

// Scheduler queues the jobs of an invitation's life: its reminders and
// expiry once it is sent, again when it is extended, and admins' resends.
// Each is queued in the transaction of the change that needs it. River
// runs scheduled jobs on real time; what to schedule is
// assessments.PlanSchedule, a pure function of the clock.
type Scheduler struct {
	// Queue inserts in the store's transactions: the database's own River
	// client (sqlite.DB.Jobs).
	Queue   Inserter
	Catalog assessments.CatalogStore
	Store   LifecycleStore
	Clock   assessments.Clock
}

var _ assessments.LifecycleJobs = (*Scheduler)(nil)

// AfterSend queues the reminders and expiry of an invitation whose first
// e-mail the server has just accepted (a later send, a resend, finds them
// queued already). It runs in the transaction that records the send.
func (s *Scheduler) AfterSend(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
	if inv.SentCount != 1 {
		return nil
	}
	return s.schedule(ctx, tx, inv, inv.SentAt)
}

// schedule queues what inv needs: an expiry job at its deadline and, when
// it has been sent, the reminders still ahead.
func (s *Scheduler) schedule(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, firstSent time.Time) error {
	var days []int
	if !firstSent.IsZero() {
		pkg, err := s.Catalog.Package(ctx, inv.TenantID, inv.PackageID)
		if err != nil && assessments.ErrorCode(err) != assessments.ENOTFOUND {
			return err
		}
		days = pkg.ReminderDays
	}
	plan := assessments.PlanSchedule(firstSent, inv.ExpiresAt, days, s.Clock.Now())
	params := []river.InsertManyParams{{
		Args:       jobargs.ExpireInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, ExpiresAt: plan.ExpireAt},
		InsertOpts: &river.InsertOpts{ScheduledAt: plan.ExpireAt},
	}}
	for _, r := range plan.Reminders {
		params = append(params, river.InsertManyParams{
			Args:       jobargs.RemindInvitationArgs{TenantID: inv.TenantID, InvitationID: inv.ID, Day: r.Day},
			InsertOpts: &river.InsertOpts{ScheduledAt: r.At},
		})
	}
	_, err := s.Queue.InsertManyTx(ctx, tx, params)
	return err
}

// Extend implements assessments.LifecycleJobs: the new deadline and its
// expiry job (and any reminder that now falls before it) commit together.
// The old expiry job still runs at the old deadline and, seeing that the
// deadline moved, leaves the invitation to the new one.
func (s *Scheduler) Extend(ctx context.Context, tenantID, id int64, until time.Time) (assessments.Invitation, error) {
	return s.Store.Extend(ctx, tenantID, id, until, s.schedule)
}

// QueueResend implements assessments.LifecycleJobs: at most one resend per
// assessments.ResendInterval, recorded with the job it queues.
func (s *Scheduler) QueueResend(ctx context.Context, tenantID, id int64, by string) error {
	return s.Store.WithResend(ctx, tenantID, id, s.Clock.Now(), assessments.ResendInterval, func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
		_, err := s.Queue.InsertManyTx(ctx, tx, []river.InsertManyParams{{
			Args: jobargs.ResendInvitationArgs{TenantID: tenantID, InvitationID: id, By: by},
		}})
		return err
	})
}
