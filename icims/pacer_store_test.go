package icims_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// newPacer returns the pacer of a new tenant whose state is kept in a real
// database, as the service keeps every tenant's.
func newPacer(t testing.TB, cfg icims.PacerConfig) *icims.Pacer {
	t.Helper()
	return icims.NewPacer(newPaceStore(t), cfg)
}

// newPaceStore returns the database's store of a new tenant's pacer state.
func newPaceStore(t testing.TB) icims.PaceStore {
	t.Helper()
	env := storetest.New(t)
	tenants := storage.NewTenantStore(env.DB, env.Keyring, env.Clock)
	tn, err := tenants.Connect(context.Background(), assessments.Connection{CustomerID: "1234", Name: "Customer 1234",
		Region: assessments.RegionUS, APIURL: "https://api.icims.com", AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: "integration", Password: "secret"}})
	require.NoError(t, err)
	return env.DB.TenantPace(tn.ID)
}
