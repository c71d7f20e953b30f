package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
)

// maxProblems bounds the problems list; the logs page has the rest.
const maxProblems = 200

// Problems lists the tenant's writes that are retrying, waiting, failed
// or dead, newest first.
func (s *WritebackStore) Problems(ctx context.Context, tenantID int64) ([]assessments.WritebackProblem, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+writebackColumns+`,
			i.candidate_first_name, i.candidate_last_name, i.workflow_id, i.status, COALESCE(p.name, '')
		FROM writebacks w
		JOIN invitations i ON i.tenant_id = w.tenant_id AND i.id = w.invitation_id
		LEFT JOIN packages p ON p.tenant_id = i.tenant_id AND p.id = i.package_id
		WHERE w.tenant_id = ? AND w.state IN ('retrying', 'waiting', 'failed', 'dead')
		ORDER BY w.updated_at DESC, w.invitation_id DESC LIMIT ?`, tenantID, maxProblems)
	if err != nil {
		return nil, fmt.Errorf("storage: write-back problems: %w", err)
	}
	defer rows.Close()
	var out []assessments.WritebackProblem
	for rows.Next() {
		var p assessments.WritebackProblem
		var first, last, status string
		p.Writeback, err = scanWriteback(rows, &first, &last, &p.WorkflowID, &status, &p.PackageName)
		if err != nil {
			return nil, fmt.Errorf("storage: write-back problems: %w", err)
		}
		p.Candidate = assessments.Invitation{CandidateFirstName: first, CandidateLastName: last}.CandidateName()
		p.Status = assessments.InvitationStatus(status)
		out = append(out, p)
	}
	return out, rows.Err()
}

// ensureJob makes sure a job will work the invitation's stream soon, inside
// the caller's transaction, and returns the job that owns the stream (see
// ensureWritebackJobTx); tests of the retries' scoping pass their own.
type ensureJob func(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) (int64, error)

// ensure is the store's ensureJob, on its own River client.
func (s *WritebackStore) ensure(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) (int64, error) {
	return ensureWritebackJobTx(ctx, tx, s.db.jobs, tenantID, invitationID, jobID)
}

// Retry implements assessments.WritebackAdmin: it clears a write's problem
// and runs it again now ("Retry now"). Another tenant's invitation is
// ENOTFOUND.
func (s *WritebackStore) Retry(ctx context.Context, tenantID, invitationID int64) error {
	return s.retry(ctx, tenantID, invitationID, s.ensure)
}

func (s *WritebackStore) retry(ctx context.Context, tenantID, invitationID int64, ensure ensureJob) error {
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		wb, err := s.getTx(ctx, tx, tenantID, invitationID)
		if err != nil {
			return err
		}
		return s.retryTx(ctx, tx, wb, ensure)
	})
	return wrapInternal("retry write-back", err)
}

// RetryAll implements assessments.WritebackAdmin: it runs every write of
// the tenant that is retrying, waiting, failed or dead again now, and
// returns how many.
func (s *WritebackStore) RetryAll(ctx context.Context, tenantID int64) (int, error) {
	return s.retryWhere(ctx, tenantID, `w.state IN ('retrying', 'waiting', 'failed', 'dead')`, s.ensure)
}

// Wake runs again now the writes that waited for a re-authorization or
// failed for a refused credential or permission (401, 403), and returns
// how many: called when the tenant is connected again, so they resume at
// once instead of at their next look.
func (s *WritebackStore) Wake(ctx context.Context, tenantID int64) (int, error) {
	return s.retryWhere(ctx, tenantID, `(w.state = 'waiting' OR (w.state IN ('failed', 'retrying') AND w.http_status IN (401, 403)))`, s.ensure)
}

func (s *WritebackStore) retryWhere(ctx context.Context, tenantID int64, cond string, ensure ensureJob) (int, error) {
	n := 0
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+writebackColumns+` FROM writebacks w WHERE w.tenant_id = ? AND `+cond, tenantID)
		if err != nil {
			return err
		}
		var wbs []assessments.Writeback
		for rows.Next() {
			wb, err := scanWriteback(rows)
			if err != nil {
				rows.Close()
				return err
			}
			wbs = append(wbs, wb)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, wb := range wbs {
			if err := s.retryTx(ctx, tx, wb, ensure); err != nil {
				return err
			}
		}
		n = len(wbs)
		return nil
	})
	return n, wrapInternal("retry write-backs", err)
}

// retryTx clears the problem, lets a failed scorecard or move be tried
// again, bumps the version so an owning job looks once more, and makes
// sure a job runs now.
func (s *WritebackStore) retryTx(ctx context.Context, tx *sql.Tx, wb assessments.Writeback, ensure ensureJob) error {
	_, err := tx.ExecContext(ctx, `UPDATE writebacks SET version = version + 1, state = 'pending', problem = '', fix = '',
			failing_since = NULL, next_attempt_at = NULL, dead_at = NULL,
			scorecard = CASE scorecard WHEN 'failed' THEN '' ELSE scorecard END,
			move = CASE move WHEN 'failed' THEN '' ELSE move END,
			updated_at = ?
		WHERE tenant_id = ? AND invitation_id = ?`, s.clock.Now(), wb.TenantID, wb.InvitationID)
	if err != nil {
		return err
	}
	jobID, err := ensure(ctx, tx, wb.TenantID, wb.InvitationID, wb.JobID)
	if err != nil {
		return err
	}
	return setWritebackJobTx(ctx, tx, wb.TenantID, wb.InvitationID, jobID)
}
