package storage

import (
	"context"

	"github.com/jobcannon/jobcannon/assessments"
)

// SetRegion moves a tenant to another iCIMS region. It is the operator's
// explicit action (jobcannon tenant region): installs and saved
// connections never change a tenant's region.
func (s *TenantStore) SetRegion(ctx context.Context, tenantID int64, region assessments.Region) error {
	if _, err := assessments.ParseRegion(string(region)); err != nil || region == "" {
		return assessments.Errorf(assessments.EINVALID, "Region must be us or eu, not %q.", region)
	}
	return s.exec(ctx, "set tenant region", `UPDATE tenants SET region = ?, updated_at = ? WHERE id = ?`,
		string(region), s.clock.Now(), tenantID)
}
