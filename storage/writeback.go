package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

// WritebackStore keeps what iCIMS has been told about each invitation, the
// outbound deliveries that logged it, and the tenants' write-back settings.
// The stream of one invitation is owned by at most one River job at a time
// (writebacks.job_id): transitions bump the version and queue a job only
// when none owns the stream; the owner releases it only when it has written
// the latest version, in the same transaction that checks it, so no
// transition is ever left without a job.
type WritebackStore struct {
	db      *DB
	clock   assessments.Clock
	random  io.Reader
	catalog *CatalogStore
}

// NewWritebackStore returns a WritebackStore; random (crypto/rand when nil)
// names the deliveries it logs.
func NewWritebackStore(db *DB, clock assessments.Clock, random io.Reader, catalog *CatalogStore) *WritebackStore {
	if random == nil {
		random = rand.Reader
	}
	return &WritebackStore{db: db, clock: clock, random: random, catalog: catalog}
}

const writebackColumns = `w.tenant_id, w.invitation_id, w.version, w.location, w.written, w.written_at, w.scorecard,
	w.move_to, COALESCE(w.move_rule_id, 0), w.move, COALESCE(w.job_id, 0), w.state, w.step, w.step_key,
	COALESCE(w.step_delivery_id, 0), w.problem, w.fix, w.http_status, COALESCE(w.icims_code, -1), w.attempts,
	w.failing_since, w.next_attempt_at, w.dead_at, w.updated_at`

func scanWriteback(row scanner, extra ...any) (assessments.Writeback, error) {
	var wb assessments.Writeback
	var written, state, step string
	var writtenAt, failing, next, dead sql.NullTime
	dest := append([]any{&wb.TenantID, &wb.InvitationID, &wb.Version, &wb.Location, &written, &writtenAt, &wb.Scorecard,
		&wb.MoveTo, &wb.MoveRuleID, &wb.Move, &wb.JobID, &state, &step, &wb.StepKey, &wb.StepDeliveryID,
		&wb.Problem, &wb.Fix, &wb.HTTPStatus, &wb.ICIMSCode, &wb.Attempts, &failing, &next, &dead, &wb.UpdatedAt}, extra...)
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return wb, assessments.Errorf(assessments.ENOTFOUND, "No write-back for this invitation.")
	} else if err != nil {
		return wb, err
	}
	wb.Written, wb.State, wb.Step = assessments.InvitationStatus(written), assessments.WritebackState(state), assessments.WritebackStep(step)
	wb.WrittenAt, wb.FailingSince, wb.NextAttemptAt, wb.DeadAt = utc(writtenAt.Time), utc(failing.Time), utc(next.Time), utc(dead.Time)
	wb.UpdatedAt = utc(wb.UpdatedAt)
	return wb, nil
}

// Writeback returns the write-back of one invitation.
func (s *WritebackStore) Writeback(ctx context.Context, tenantID, invitationID int64) (assessments.Writeback, error) {
	wb, err := scanWriteback(s.db.R.QueryRowContext(ctx, `SELECT `+writebackColumns+` FROM writebacks w
		WHERE w.tenant_id = ? AND w.invitation_id = ?`, tenantID, invitationID))
	return wb, wrapInternal("get write-back", err)
}

func (s *WritebackStore) getTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (assessments.Writeback, error) {
	return scanWriteback(tx.QueryRowContext(ctx, `SELECT `+writebackColumns+` FROM writebacks w
		WHERE w.tenant_id = ? AND w.invitation_id = ?`, tenantID, invitationID))
}

// MarkTx records, inside the caller's transaction, that the invitation has
// something new for iCIMS, and returns the job that owns its stream (0 when
// none does). Transitions do it themselves; it is here for tests of the
// stream's ownership.
func (s *WritebackStore) MarkTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (int64, error) {
	return markWritebackTx(ctx, tx, s.clock.Now(), tenantID, invitationID)
}

// moveTx asks, inside the caller's transaction, for the invitation's
// application to be moved to statusID once its result is written, after
// the result row and the scorecard, and makes sure a job works the stream.
func moveTx(ctx context.Context, tx *sql.Tx, jobs *JobClient, now time.Time, m assessments.WorkflowMove) error {
	var owner int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO writebacks (invitation_id, tenant_id, version, state, move_to, move_rule_id, created_at, updated_at)
		VALUES (?, ?, 1, 'pending', ?, ?, ?, ?)
		ON CONFLICT (invitation_id) DO UPDATE SET version = writebacks.version + 1,
			move_to = excluded.move_to, move_rule_id = excluded.move_rule_id, move = '',
			state = CASE writebacks.state WHEN 'done' THEN 'pending' ELSE writebacks.state END,
			updated_at = excluded.updated_at
		WHERE writebacks.tenant_id = excluded.tenant_id
		RETURNING COALESCE(job_id, 0)`, m.InvitationID, m.TenantID, m.StatusID, nullInt(m.RuleID), now, now).Scan(&owner)
	if err != nil {
		return fmt.Errorf("storage: queue workflow move: %w", err)
	}
	return keepWritebackJobTx(ctx, tx, jobs, m.TenantID, m.InvitationID, owner)
}

// Claim makes jobID the owner of the invitation's stream unless another
// job owns it, and returns what the job needs with the owner (jobID when
// the claim succeeded).
func (s *WritebackStore) Claim(ctx context.Context, tenantID, invitationID, jobID int64) (assessments.WritebackSnapshot, int64, error) {
	return s.takeOver(ctx, tenantID, invitationID, 0, jobID)
}

// TakeOver makes jobID the owner in place of from, a job that no longer
// runs (it waits for a retry or a snooze, or ended without letting go),
// and returns what the job needs with the owner (jobID when it took over).
func (s *WritebackStore) TakeOver(ctx context.Context, tenantID, invitationID, from, jobID int64) (assessments.WritebackSnapshot, int64, error) {
	return s.takeOver(ctx, tenantID, invitationID, from, jobID)
}

func (s *WritebackStore) takeOver(ctx context.Context, tenantID, invitationID, from, jobID int64) (assessments.WritebackSnapshot, int64, error) {
	var snap assessments.WritebackSnapshot
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE writebacks SET job_id = ?1
			WHERE tenant_id = ?2 AND invitation_id = ?3 AND (job_id IS NULL OR job_id = ?1 OR job_id = ?4)`,
			jobID, tenantID, invitationID, from)
		if err != nil {
			return err
		}
		snap, err = s.snapshotTx(ctx, tx, tenantID, invitationID)
		return err
	})
	if err != nil {
		return snap, 0, wrapInternal("claim write-back", err)
	}
	return snap, snap.Writeback.JobID, nil
}

// Snapshot reads the invitation's state again, for the next step of a job
// that owns the stream.
func (s *WritebackStore) Snapshot(ctx context.Context, tenantID, invitationID int64) (assessments.WritebackSnapshot, error) {
	var snap assessments.WritebackSnapshot
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		snap, err = s.snapshotTx(ctx, tx, tenantID, invitationID)
		return err
	})
	return snap, wrapInternal("write-back snapshot", err)
}

// snapshotTx reads in the writer's transaction, so that the version read
// and the state read belong together.
func (s *WritebackStore) snapshotTx(ctx context.Context, tx *sql.Tx, tenantID, invitationID int64) (assessments.WritebackSnapshot, error) {
	var snap assessments.WritebackSnapshot
	var err error
	if snap.Writeback, err = s.getTx(ctx, tx, tenantID, invitationID); err != nil {
		return snap, err
	}
	if snap.Invitation, err = scanInvitation(tx.QueryRowContext(ctx,
		`SELECT `+invitationColumns+` FROM invitations WHERE tenant_id = ? AND id = ?`, tenantID, invitationID)); err != nil {
		return snap, err
	}
	if snap.Package, err = scanPackage(tx.QueryRowContext(ctx,
		`SELECT `+packageColumns+` FROM packages WHERE tenant_id = ? AND id = ?`, tenantID, snap.Invitation.PackageID)); err != nil {
		return snap, err
	}
	if snap.Invitation.Status == assessments.StatusCompleted {
		res, err := resultByInvitation(ctx, tx, tenantID, invitationID)
		if err != nil {
			return snap, err
		}
		snap.Result = &res
	}
	snap.Settings, err = settingsTx(ctx, tx, tenantID)
	return snap, err
}

// Release gives up the stream if version is still the latest, marking the
// invitation's write-back done unless a problem is showing. It reports
// false when a transition came in meanwhile: the job then goes on, since
// that transition found the stream owned and queued nothing.
func (s *WritebackStore) Release(ctx context.Context, tenantID, invitationID, jobID, version int64) (bool, error) {
	res, err := s.db.W.ExecContext(ctx, `UPDATE writebacks SET job_id = NULL, updated_at = ?,
			state = CASE WHEN state IN ('pending', 'retrying', 'waiting') THEN 'done' ELSE state END,
			next_attempt_at = NULL
		WHERE tenant_id = ? AND invitation_id = ? AND job_id = ? AND version = ?`,
		s.clock.Now(), tenantID, invitationID, jobID, version)
	if err != nil {
		return false, fmt.Errorf("storage: release write-back: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Settings returns the tenant's write-back settings, the defaults if it
// chose none.
func (s *WritebackStore) Settings(ctx context.Context, tenantID int64) (assessments.WritebackSettings, error) {
	set, err := settingsTx(ctx, s.db.R, tenantID)
	return set, wrapInternal("write-back settings", err)
}

func settingsTx(ctx context.Context, q queryer, tenantID int64) (assessments.WritebackSettings, error) {
	set := assessments.DefaultWritebackSettings()
	err := q.QueryRowContext(ctx, `SELECT in_progress FROM writeback_settings WHERE tenant_id = ?`, tenantID).Scan(&set.InProgress)
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	return set, err
}

// SaveSettings stores the tenant's write-back settings.
func (s *WritebackStore) SaveSettings(ctx context.Context, tenantID int64, set assessments.WritebackSettings) error {
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO writeback_settings (tenant_id, in_progress, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET in_progress = excluded.in_progress, updated_at = excluded.updated_at`,
		tenantID, set.InProgress, s.clock.Now())
	if err != nil {
		return fmt.Errorf("storage: save write-back settings: %w", err)
	}
	return nil
}
