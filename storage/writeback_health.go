package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// recordHealthTx adds a write's outcome to the tenant's run of failures and,
// when the policy calls for a notice, queues one e-mail job per admin, in
// the caller's transaction: the state and its notices commit together.
func (s *WritebackStore) recordHealthTx(ctx context.Context, tx *sql.Tx, tenantID int64, p assessments.WriteHealthPolicy,
	ok bool, now time.Time) error {
	h, err := writeHealthTx(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	if ok && h == (assessments.WriteHealth{}) {
		return nil // the common case writes nothing
	}
	next, notice := p.Record(h, ok, now)
	_, err = tx.ExecContext(ctx, `INSERT INTO writeback_health (tenant_id, failures, first_failure_at, failing_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
			failing_at = excluded.failing_at, updated_at = excluded.updated_at`,
		tenantID, next.Failures, timeOrNull(next.FirstFailureAt), timeOrNull(next.FailingAt), now)
	if err != nil {
		return fmt.Errorf("write health: %w", err)
	}
	if notice == assessments.NoNotice {
		return nil
	}
	// Both notices date the run from its first failure; the recovered one
	// reads it from the state before the success cleared it.
	since := next.FirstFailureAt
	if notice == assessments.NoticeRecovered {
		since = h.FirstFailureAt
	}
	return s.queueHealthNoticesTx(ctx, tx, jobargs.WriteHealthNoticeArgs{TenantID: tenantID, Notice: string(notice),
		Since: since, At: now, Failures: max(next.Failures, h.Failures)})
}

func writeHealthTx(ctx context.Context, tx *sql.Tx, tenantID int64) (assessments.WriteHealth, error) {
	var h assessments.WriteHealth
	var first, failing sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT failures, first_failure_at, failing_at FROM writeback_health WHERE tenant_id = ?`,
		tenantID).Scan(&h.Failures, &first, &failing)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	} else if err != nil {
		return h, fmt.Errorf("write health: %w", err)
	}
	h.FirstFailureAt, h.FailingAt = utc(first.Time), utc(failing.Time)
	return h, nil
}

// queueHealthNoticesTx queues a's notice for each admin of the tenant.
func (s *WritebackStore) queueHealthNoticesTx(ctx context.Context, tx *sql.Tx, a jobargs.WriteHealthNoticeArgs) error {
	if err := tx.QueryRowContext(ctx, `SELECT name FROM tenants WHERE id = ?`, a.TenantID).Scan(&a.TenantName); err != nil {
		return fmt.Errorf("write health: tenant: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT email FROM admins WHERE tenant_id = ? ORDER BY id`, a.TenantID)
	if err != nil {
		return fmt.Errorf("write health: admins: %w", err)
	}
	var to []string
	for rows.Next() {
		var email string
		if err := rows.Scan(&email); err != nil {
			rows.Close()
			return fmt.Errorf("write health: admins: %w", err)
		}
		to = append(to, email)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("write health: admins: %w", err)
	}
	for _, email := range to {
		a.To = email
		if _, err := s.db.Jobs().InsertTx(ctx, tx, a, nil); err != nil {
			return fmt.Errorf("write health: queue notice: %w", err)
		}
	}
	return nil
}
