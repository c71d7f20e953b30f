package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// Each invitation has one ordered stream of writes to iCIMS, worked by at
// most one job at a time: a change queues a job only when none owns the
// stream, which keeps jobs from piling up and two jobs from racing each
// other's writes.

// queueTransitionTx queues, in a transition's own transaction, the work
// the change of status starts: the write-back of every change (so a status
// that committed is always written to iCIMS, and one that rolled back never
// is), and the follow-up of a completed invitation whose rule has one.
// Activity without a change of status (saved answers, a resend) and the
// creation (nothing is shown in iCIMS before the invitation is sent) queue
// nothing.
func (s *InvitationStore) queueTransitionTx(ctx context.Context, tx *sql.Tx, inv assessments.Invitation, from, to assessments.InvitationStatus) error {
	if from == to || to == assessments.StatusCreated {
		return nil
	}
	owner, err := markWritebackTx(ctx, tx, s.clock.Now(), inv.TenantID, inv.ID)
	if err != nil {
		return err
	}
	if err := keepWritebackJobTx(ctx, tx, s.db.jobs, inv.TenantID, inv.ID, owner); err != nil {
		return err
	}
	if to != assessments.StatusCompleted || from == assessments.StatusCompleted {
		return nil
	}
	due, err := followUpDueTx(ctx, tx, inv.TenantID, inv.ID)
	if err != nil || !due {
		return err
	}
	return s.db.insertJobsTx(ctx, tx, river.InsertManyParams{Args: jobargs.FollowUpArgs{TenantID: inv.TenantID, InvitationID: inv.ID}})
}

// markWritebackTx records that the invitation has something new for iCIMS
// and returns the job that owns its stream (0 when none does).
func markWritebackTx(ctx context.Context, tx *sql.Tx, now time.Time, tenantID, invitationID int64) (int64, error) {
	var jobID int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO writebacks (invitation_id, tenant_id, version, state, created_at, updated_at)
		VALUES (?, ?, 1, 'pending', ?, ?)
		ON CONFLICT (invitation_id) DO UPDATE SET version = writebacks.version + 1,
			state = CASE writebacks.state WHEN 'done' THEN 'pending' ELSE writebacks.state END,
			updated_at = excluded.updated_at
		WHERE writebacks.tenant_id = excluded.tenant_id
		RETURNING COALESCE(job_id, 0)`, invitationID, tenantID, now, now).Scan(&jobID)
	if err != nil {
		return 0, fmt.Errorf("storage: mark write-back: %w", err)
	}
	return jobID, nil
}

// keepWritebackJobTx leaves the stream with the job that owns it, which
// will see the new version before it lets go, or queues one when none does
// (or the owner ended without letting go, as after a crash on its last
// try).
func keepWritebackJobTx(ctx context.Context, tx *sql.Tx, jobs *JobClient, tenantID, invitationID, owner int64) error {
	if owner != 0 {
		job, err := jobs.JobGetTx(ctx, tx, owner)
		switch {
		case err == nil && liveJob(job.State):
			return nil
		case err != nil && !errors.Is(err, rivertype.ErrNotFound):
			return fmt.Errorf("write-back: job %d: %w", owner, err)
		}
	}
	id, err := insertWritebackJobTx(ctx, tx, jobs, tenantID, invitationID)
	if err != nil {
		return err
	}
	return setWritebackJobTx(ctx, tx, tenantID, invitationID, id)
}

// ensureWritebackJobTx makes a job work the stream now: the owning job, if
// it still waits for its next try, runs now; otherwise a new job does. It
// returns the job that owns the stream.
func ensureWritebackJobTx(ctx context.Context, tx *sql.Tx, jobs *JobClient, tenantID, invitationID, owner int64) (int64, error) {
	if owner != 0 {
		job, err := jobs.JobGetTx(ctx, tx, owner)
		switch {
		case err != nil && !errors.Is(err, rivertype.ErrNotFound):
			return 0, fmt.Errorf("write-back: job %d: %w", owner, err)
		case err == nil && job.State == rivertype.JobStateRunning:
			// The owner may be writing (it then sees the bumped version
			// before it lets go) or just ending its run with a snooze or an
			// error, which River records a moment later. A second job
			// covers the latter: it takes the stream over once the owner
			// has stopped running, never while it writes.
			if _, err := insertWritebackJobTx(ctx, tx, jobs, tenantID, invitationID); err != nil {
				return 0, err
			}
			return owner, nil
		case err == nil && (job.State == rivertype.JobStateAvailable || job.State == rivertype.JobStatePending):
			return owner, nil
		case err == nil && (job.State == rivertype.JobStateScheduled || job.State == rivertype.JobStateRetryable):
			if _, err := jobs.JobRetryTx(ctx, tx, owner); err != nil {
				return 0, fmt.Errorf("write-back: retry job %d: %w", owner, err)
			}
			return owner, nil
		}
	}
	// A dead write gets a new job, with the whole retry window again.
	return insertWritebackJobTx(ctx, tx, jobs, tenantID, invitationID)
}

func insertWritebackJobTx(ctx context.Context, tx *sql.Tx, jobs *JobClient, tenantID, invitationID int64) (int64, error) {
	res, err := jobs.InsertTx(ctx, tx, jobargs.WritebackArgs{TenantID: tenantID, InvitationID: invitationID}, nil)
	if err != nil {
		return 0, fmt.Errorf("write-back: queue: %w", err)
	}
	return res.Job.ID, nil
}

// setWritebackJobTx records the job that now owns the invitation's stream.
func setWritebackJobTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE writebacks SET job_id = ? WHERE tenant_id = ? AND invitation_id = ?`,
		jobID, tenantID, invitationID)
	if err != nil {
		return fmt.Errorf("storage: set write-back job: %w", err)
	}
	return nil
}

// liveJob reports whether a job will still run.
func liveJob(s rivertype.JobState) bool {
	switch s {
	case rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled:
		return true
	}
	return false
}
