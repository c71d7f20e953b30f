package storage

import (
	"context"

	"github.com/jobcannon/jobcannon/assessments"
)

// SetTimeZone implements assessments.TenantStore.
func (s *TenantStore) SetTimeZone(ctx context.Context, tenantID int64, name string) error {
	name, err := assessments.CheckTimeZone(name)
	if err != nil {
		return err
	}
	return s.exec(ctx, "set tenant time zone", `UPDATE tenants SET time_zone = ?, updated_at = ? WHERE id = ?`,
		name, s.clock.Now(), tenantID)
}
