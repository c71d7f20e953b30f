package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LiveSince implements assessments.EventStore.
func (s *EventStore) LiveSince(ctx context.Context, tenantID int64, workflowID string, packageID int64) (time.Time, error) {
	// Two columns rather than COALESCE: an expression loses the column
	// type the driver needs to scan a time.
	var sent sql.NullTime
	var created time.Time
	err := s.db.R.QueryRowContext(ctx, `SELECT sent_at, created_at FROM invitations
		WHERE tenant_id = ? AND workflow_id = ? AND package_id = ? AND status NOT IN ('completed', 'expired', 'cancelled')
		ORDER BY id LIMIT 1`, tenantID, workflowID, packageID).Scan(&sent, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("storage: live since: %w", err)
	}
	if sent.Valid {
		return utc(sent.Time), nil
	}
	return utc(created), nil
}
