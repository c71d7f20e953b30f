package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func TestCatalogSaveAndRead(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	p := assessments.Package{
		TenantID: f.tenantID, Name: " Sales ", InstrumentIDs: []string{"big-five-work", "reasoning"},
		AssessmentTypeID: "D100", AssessmentTypeName: "Sales battery", Enabled: true, TimeLimitMinutes: 15,
		ReminderDays: []int{2, 5},
		Profile: assessments.TargetProfile{
			Ranges:  map[string]assessments.ScaleRange{"extraversion": {Min: 60, Max: 100}},
			Weights: map[string]float64{"extraversion": 2},
		},
		Scorecard: []assessments.ScorecardMapping{{Field: "rcf3001", Source: "overall"}},
	}
	saved, err := f.catalog.SavePackage(ctx, f.lib, p)
	require.NoError(t, err)
	assert.NotZero(t, saved.ID)
	assert.Equal(t, "Sales", saved.Name, "trimmed")
	assert.Equal(t, assessments.DefaultExpiryDays, saved.ExpiryDays, "default expiry")
	assert.Equal(t, assessments.DefaultThresholds(), saved.Thresholds, "default thresholds")

	got, err := f.catalog.Package(ctx, f.tenantID, saved.ID)
	require.NoError(t, err)
	assert.Equal(t, saved, got)
	assert.Equal(t, []int{2, 5}, got.ReminderDays)
	assert.Equal(t, 60.0, got.Profile.Ranges["extraversion"].Min)

	byType, err := f.catalog.PackageByAssessmentType(ctx, f.tenantID, "D100")
	require.NoError(t, err)
	assert.Equal(t, saved.ID, byType.ID)

	got.Name, got.ReminderDays = "Sales v2", nil
	updated, err := f.catalog.SavePackage(ctx, f.lib, got)
	require.NoError(t, err)
	assert.Equal(t, saved.ID, updated.ID)
	assert.Equal(t, "Sales v2", updated.Name)
	assert.Empty(t, updated.ReminderDays)

	require.NoError(t, f.catalog.SetPackageEnabled(ctx, f.tenantID, saved.ID, false))
	got, err = f.catalog.Package(ctx, f.tenantID, saved.ID)
	require.NoError(t, err)
	assert.False(t, got.Enabled)

	all, err := f.catalog.Packages(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Len(t, all, 2, "the fixture's package and this one")
}

func TestCatalogRefusesConflictsAndInvalidPackages(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	base := assessments.Package{TenantID: f.tenantID, Name: "Other", InstrumentIDs: []string{"work-style"}, AssessmentTypeID: "D9"}

	dupName := base
	dupName.Name = f.pkg.Name
	_, err := f.catalog.SavePackage(ctx, f.lib, dupName)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Contains(t, assessments.ErrorMessage(err), "already called")

	dupType := base
	dupType.AssessmentTypeID = f.pkg.AssessmentTypeID
	_, err = f.catalog.SavePackage(ctx, f.lib, dupType)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Contains(t, assessments.ErrorMessage(err), "each type maps to one package")

	invalid := base
	invalid.InstrumentIDs = nil
	_, err = f.catalog.SavePackage(ctx, f.lib, invalid)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))

	all, err := f.catalog.Packages(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Len(t, all, 1, "nothing was saved")

	// The same name and type are fine in another tenant.
	other := base
	other.TenantID, other.Name, other.AssessmentTypeID = f.tenant(t, "55"), f.pkg.Name, f.pkg.AssessmentTypeID
	_, err = f.catalog.SavePackage(ctx, f.lib, other)
	require.NoError(t, err)
}

func TestCatalogIsScopedByTenant(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	other := f.tenant(t, "66")
	_, err := f.catalog.Package(ctx, other, f.pkg.ID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	_, err = f.catalog.PackageByAssessmentType(ctx, other, f.pkg.AssessmentTypeID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(f.catalog.SetPackageEnabled(ctx, other, f.pkg.ID, false)))

	stolen := f.pkg
	stolen.TenantID, stolen.Name, stolen.AssessmentTypeID = other, "Mine now", "X"
	_, err = f.catalog.SavePackage(ctx, f.lib, stolen)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "an update cannot reach another tenant's package")
	got, err := f.catalog.Package(ctx, f.tenantID, f.pkg.ID)
	require.NoError(t, err)
	assert.Equal(t, f.pkg.Name, got.Name)
	list, err := f.catalog.Packages(ctx, other)
	require.NoError(t, err)
	assert.Empty(t, list)
}
