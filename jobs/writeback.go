package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/sqlite"
)

// WritebackRiver is what the write-back needs of River, all inside the
// caller's transaction; *river.Client[*sql.Tx] is one.
type WritebackRiver interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGetTx(ctx context.Context, tx *sql.Tx, id int64) (*rivertype.JobRow, error)
	JobRetryTx(ctx context.Context, tx *sql.Tx, id int64) (*rivertype.JobRow, error)
}

// Writeback queues the iCIMS write-back and serves its admin actions. Each
// invitation has one ordered stream of writes, worked by at most one job
// at a time: a transition queues a job only when none owns the stream
// (see sqlite.WritebackStore), which keeps jobs from piling up and two
// jobs from racing each other's writes.
type Writeback struct {
	Store *sqlite.WritebackStore
	// River is set once the queue exists, which is after the workers are
	// registered; the hooks run only after that.
	River WritebackRiver
	Log   *slog.Logger
}

var _ assessments.WritebackAdmin = (*Writeback)(nil)

// Hook is the invitation transition hook: every change of status queues
// the write-back in the transition's own transaction, so a status that
// committed is always written to iCIMS, and one that rolled back never is.
// Activity without a change of status (saved answers, a resend) and the
// creation (nothing is shown before the invitation is sent) queue nothing.
func (w *Writeback) Hook() sqlite.TransitionHook {
	return func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, from, to assessments.InvitationStatus) error {
		if from == to || to == assessments.StatusCreated {
			return nil
		}
		jobID, err := w.Store.MarkTx(ctx, tx, inv.TenantID, inv.ID)
		if err != nil {
			return err
		}
		return w.keepJobTx(ctx, tx, inv.TenantID, inv.ID, jobID)
	}
}

// QueueMove is the follow-up's MoveQueuer: the move joins the invitation's
// stream, after the result row and the scorecard.
func (w *Writeback) QueueMove(ctx context.Context, tx *sql.Tx, m WorkflowMove) error {
	jobID, err := w.Store.MoveTx(ctx, tx, m.TenantID, m.InvitationID, m.StatusID, m.RuleID)
	if err != nil {
		return err
	}
	return w.keepJobTx(ctx, tx, m.TenantID, m.InvitationID, jobID)
}

// keepJobTx leaves the stream with the job that owns it, which will see
// the new version before it lets go, or queues one when none does (or
// the owner ended without letting go, as after a crash on its last try).
func (w *Writeback) keepJobTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) error {
	if jobID != 0 {
		job, err := w.River.JobGetTx(ctx, tx, jobID)
		switch {
		case err == nil && live(job.State):
			return nil
		case err != nil && !errors.Is(err, rivertype.ErrNotFound):
			return fmt.Errorf("write-back: job %d: %w", jobID, err)
		}
	}
	id, err := w.insertTx(ctx, tx, tenantID, invitationID)
	if err != nil {
		return err
	}
	return w.Store.SetJobTx(ctx, tx, tenantID, invitationID, id)
}

// ensureJobTx is sqlite.EnsureJob for Retry now: the owning job, if it
// still waits for its next try, runs now; otherwise a new job does.
func (w *Writeback) ensureJobTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) (int64, error) {
	if jobID != 0 {
		job, err := w.River.JobGetTx(ctx, tx, jobID)
		switch {
		case err != nil && !errors.Is(err, rivertype.ErrNotFound):
			return 0, fmt.Errorf("write-back: job %d: %w", jobID, err)
		case err == nil && job.State == rivertype.JobStateRunning:
			// The owner may be writing (it then sees the bumped version
			// before it lets go) or just ending its run with a snooze or an
			// error, which River records a moment later. A second job
			// covers the latter: it takes the stream over once the owner
			// has stopped running, never while it writes.
			if _, err := w.insertTx(ctx, tx, tenantID, invitationID); err != nil {
				return 0, err
			}
			return jobID, nil
		case err == nil && (job.State == rivertype.JobStateAvailable || job.State == rivertype.JobStatePending):
			return jobID, nil
		case err == nil && (job.State == rivertype.JobStateScheduled || job.State == rivertype.JobStateRetryable):
			if _, err := w.River.JobRetryTx(ctx, tx, jobID); err != nil {
				return 0, fmt.Errorf("write-back: retry job %d: %w", jobID, err)
			}
			return jobID, nil
		}
	}
	// A dead write gets a new job, with the whole retry window again.
	return w.insertTx(ctx, tx, tenantID, invitationID)
}

func (w *Writeback) insertTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (int64, error) {
	res, err := w.River.InsertTx(ctx, tx, jobargs.WritebackArgs{TenantID: tenantID, InvitationID: invitationID}, nil)
	if err != nil {
		return 0, fmt.Errorf("write-back: queue: %w", err)
	}
	return res.Job.ID, nil
}

// live reports whether a job will still run.
func live(s rivertype.JobState) bool {
	switch s {
	case rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled:
		return true
	}
	return false
}

// Retry implements assessments.WritebackAdmin.
func (w *Writeback) Retry(ctx context.Context, tenantID, invitationID int64) error {
	return w.Store.Retry(ctx, tenantID, invitationID, w.ensureJobTx)
}

// RetryAll implements assessments.WritebackAdmin.
func (w *Writeback) RetryAll(ctx context.Context, tenantID int64) (int, error) {
	return w.Store.RetryAll(ctx, tenantID, w.ensureJobTx)
}

// Wake resumes, now, the tenant's writes that waited for a re-authorization
// or failed for a refused credential or permission. Call it when the
// tenant has been connected again; it logs instead of failing, since the
// connection itself succeeded and waiting writes also look again by
// themselves.
func (w *Writeback) Wake(ctx context.Context, tenantID int64) {
	n, err := w.Store.Wake(ctx, tenantID, w.ensureJobTx)
	if err != nil {
		w.Log.ErrorContext(ctx, "write-back: wake after re-authorization", "tenant", tenantID, "err", err)
		return
	}
	if n > 0 {
		w.Log.InfoContext(ctx, "write-back: resumed after re-authorization", "tenant", tenantID, "writes", n)
	}
}

// Problems implements assessments.WritebackAdmin.
func (w *Writeback) Problems(ctx context.Context, tenantID int64) ([]assessments.WritebackProblem, error) {
	return w.Store.Problems(ctx, tenantID)
}

// Settings implements assessments.WritebackAdmin.
func (w *Writeback) Settings(ctx context.Context, tenantID int64) (assessments.WritebackSettings, error) {
	return w.Store.Settings(ctx, tenantID)
}

// SaveSettings implements assessments.WritebackAdmin.
func (w *Writeback) SaveSettings(ctx context.Context, tenantID int64, s assessments.WritebackSettings) error {
	return w.Store.SaveSettings(ctx, tenantID, s)
}
