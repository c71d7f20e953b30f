package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// A connection that names another region than the tenant's is refused and
// changes nothing: a customer's data never moves between regions silently.
func TestConnectNeverChangesTheRegion(t *testing.T) {
	s := storage.NewTenantStore(storetest.New(t).DB, storetest.NewKeyring(t), clocktest.New(testNow))
	ctx := context.Background()
	eu := oauthConnection("5678", "tok-eu-1a2b3c")
	eu.Region = assessments.RegionEU
	first, err := s.Connect(ctx, eu)
	require.NoError(t, err)

	us := oauthConnection("5678", "tok-us-4d5e6f")
	_, err = s.Connect(ctx, us)
	require.Error(t, err)
	assert.Equal(t, assessments.ECONFLICT, assessments.ErrorCode(err))
	assert.Contains(t, assessments.ErrorMessage(err), "connected in the EU (api-eu.icims.com) region")

	after, err := s.TenantByCustomer(ctx, "5678")
	require.NoError(t, err)
	assert.Equal(t, assessments.RegionEU, after.Region)
	assert.Equal(t, first.UpdatedAt, after.UpdatedAt, "nothing was written")
	cr, err := s.Credentials(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, "tok-eu-1a2b3c", cr.AccessToken, "the credentials stay")

	_, err = s.Connect(ctx, eu)
	assert.NoError(t, err, "the same region reconnects")
}
