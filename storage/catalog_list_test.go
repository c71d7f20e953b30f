package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func TestCatalogKeepsWhichListTheNodeIsIn(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	p := assessments.Package{
		TenantID: f.tenantID, Name: "Named", InstrumentIDs: []string{"work-style"},
		AssessmentTypeID: "C42002", AssessmentTypeName: "Work Style Profile", AssessmentList: assessments.ListAssessmentName,
		Enabled: true,
	}
	saved, err := f.catalog.SavePackage(ctx, f.lib, p)
	require.NoError(t, err)
	assert.Equal(t, assessments.ListAssessmentName, saved.AssessmentList)

	got, err := f.catalog.PackageByAssessmentType(ctx, f.tenantID, "C42002")
	require.NoError(t, err)
	assert.Equal(t, assessments.ListAssessmentName, got.AssessmentList)

	got.AssessmentTypeID, got.AssessmentTypeName, got.AssessmentList = "C41002", "Work Style Profile", assessments.ListAssessmentType
	updated, err := f.catalog.SavePackage(ctx, f.lib, got)
	require.NoError(t, err)
	assert.Equal(t, assessments.ListAssessmentType, updated.AssessmentList, "an update moves the package to the other list")

	other, err := f.catalog.Package(ctx, f.tenantID, f.pkg.ID)
	require.NoError(t, err)
	assert.Empty(t, other.AssessmentList, "a package saved without a list keeps none")
}
