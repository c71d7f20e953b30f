package handlers_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/sqlite"
)

// BenchmarkEventAuthBasic measures what authenticating one event costs
// against a real SQLite file with a Basic credential, in a burst of the
// same credentials (the cache's best case):
// go test ./handlers/ -run '^$' -bench EventAuthBasic -benchtime 20000x
func BenchmarkEventAuthBasic(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	_, err = db.Migrate(ctx)
	require.NoError(b, err)
	k, err := secrets.NewKey()
	require.NoError(b, err)
	keys, err := secrets.ParseKeys(k)
	require.NoError(b, err)
	kr, err := secrets.NewKeyring(keys...)
	require.NoError(b, err)
	clock := assessments.SystemClock{}
	tenants := sqlite.NewTenantStore(db, kr, clock)
	tenant, err := tenants.Connect(ctx, assessments.Connection{CustomerID: "1234", Region: assessments.RegionUS,
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: "u", Password: "p"}})
	require.NoError(b, err)
	inbound := sqlite.NewInboundStore(db, kr, clock, rand.Reader, 0)
	cred, err := inbound.Issue(ctx, tenant.ID, assessments.InboundBasic)
	require.NoError(b, err)
	auth := handlers.NewEventAuth(inbound, tenants, clock, 0)
	req := httptest.NewRequest(http.MethodPost, "/icims/events", nil)
	req.SetBasicAuth(cred.Identifier, cred.Secret)
	b.ResetTimer()
	for range b.N {
		if _, err := auth.Authenticate(req, nil, clock.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventAuthReads compares the read every event makes (the live
// tenant of a credential) with the lookups it replaced.
func BenchmarkEventAuthReads(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	_, err = db.Migrate(ctx)
	require.NoError(b, err)
	k, _ := secrets.NewKey()
	keys, _ := secrets.ParseKeys(k)
	kr, _ := secrets.NewKeyring(keys...)
	clock := assessments.SystemClock{}
	tenants := sqlite.NewTenantStore(db, kr, clock)
	tenant, err := tenants.Connect(ctx, assessments.Connection{CustomerID: "1234", Region: assessments.RegionUS,
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: "u", Password: "p"}})
	require.NoError(b, err)
	inbound := sqlite.NewInboundStore(db, kr, clock, rand.Reader, 0)
	cred, err := inbound.Issue(ctx, tenant.ID, assessments.InboundBasic)
	require.NoError(b, err)
	b.Run("live", func(b *testing.B) {
		for range b.N {
			inbound.LiveTenantID(ctx, cred.Identifier)
		}
	})
	b.Run("owner", func(b *testing.B) {
		for range b.N {
			inbound.TenantOfIdentifier(ctx, cred.Identifier)
		}
	})
	b.Run("tenant", func(b *testing.B) {
		for range b.N {
			tenants.Tenant(ctx, tenant.ID)
		}
	})
}
