package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
)

var _ assessments.ResendLog = (*LifecycleStore)(nil)

// WithResend runs fn, which queues a resend, in one transaction with the
// live invitation and the record of the resend at now. A resend within
// every of the last one is refused (assessments.ResendTooSoon) and queues
// nothing: the check and the record are one statement, so two admins, two
// instances or a double click cannot both pass it.
func (s *LifecycleStore) WithResend(ctx context.Context, tenantID, id int64, now time.Time, every time.Duration, fn EmailHook) error {
	err := s.live(ctx, tenantID, id, func(ctx context.Context, tx *sql.Tx, inv assessments.Invitation) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO invitation_resends (invitation_id, tenant_id, last_at) VALUES (?, ?, ?)
			ON CONFLICT (invitation_id) DO UPDATE SET last_at = excluded.last_at
			WHERE invitation_resends.last_at <= ?`, id, tenantID, now.UTC(), now.UTC().Add(-every))
		if err != nil {
			return fmt.Errorf("record resend: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			last, _, err := lastResend(ctx, tx, tenantID, id)
			if err != nil {
				return err
			}
			return assessments.ResendTooSoon(last.Add(every))
		}
		return fn(ctx, tx, inv)
	})
	return wrapInternal("resend invitation", err)
}

// LastResend implements assessments.ResendLog.
func (s *LifecycleStore) LastResend(ctx context.Context, tenantID, id int64) (time.Time, bool, error) {
	at, ok, err := lastResend(ctx, s.db.R, tenantID, id)
	if err != nil {
		return at, ok, fmt.Errorf("storage: last resend: %w", err)
	}
	return at, ok, nil
}

func lastResend(ctx context.Context, q rowQuerier, tenantID, id int64) (time.Time, bool, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT last_at FROM invitation_resends WHERE tenant_id = ? AND invitation_id = ?`,
		tenantID, id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, err
	}
	return utc(at), true, nil
}
