package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LiveTenantID implements assessments.InboundStore: one lookup by the
// credential's unique identifier and one by the tenant's primary key, and
// a single integer to read back, since every event pays for it.
func (s *InboundStore) LiveTenantID(ctx context.Context, identifier string) (int64, bool, error) {
	var id int64
	err := s.db.R.QueryRowContext(ctx, `SELECT t.id FROM inbound_credentials c JOIN tenants t ON t.id = c.tenant_id
		WHERE c.identifier = ? AND (c.expires_at IS NULL OR c.expires_at > ?) AND t.status <> 'uninstalled'`,
		identifier, s.clock.Now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("storage: live tenant of credential: %w", err)
	}
	return id, true, nil
}
