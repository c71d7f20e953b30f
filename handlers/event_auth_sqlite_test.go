package handlers_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// authFixture is a real SQLite file with one tenant and its Basic inbound
// credential.
type authFixture struct {
	tenants *storage.TenantStore
	inbound *storage.InboundStore
	tenant  assessments.Tenant
	cred    assessments.IssuedCredential
}

func newAuthFixture(tb testing.TB) authFixture {
	tb.Helper()
	ctx := context.Background()
	env := storetest.New(tb)
	db, kr := env.DB, env.Keyring
	clock := assessments.SystemClock{}
	var err error
	f := authFixture{tenants: storage.NewTenantStore(db, kr, clock), inbound: storage.NewInboundStore(db, kr, clock, rand.Reader, 0)}
	f.tenant, err = f.tenants.Connect(ctx, assessments.Connection{CustomerID: "1234", Region: assessments.RegionUS,
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: "u", Password: "p"}})
	require.NoError(tb, err)
	f.cred, err = f.inbound.Issue(ctx, f.tenant.ID, assessments.InboundBasic)
	require.NoError(tb, err)
	return f
}

func (f authFixture) request() *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/icims/events", nil)
	req.SetBasicAuth(f.cred.Identifier, f.cred.Secret)
	return req
}

// Two instances share the database: an uninstall on one is refused by both
// on the very next event, though both verified the credential a moment
// before and their caches have time left.
func TestEventAuthUninstallTakesEffectAtOnceOnEveryInstance(t *testing.T) {
	f := newAuthFixture(t)
	clock := assessments.SystemClock{}
	instances := []*handlers.EventAuth{
		handlers.NewEventAuth(f.inbound, f.tenants, clock, time.Hour),
		handlers.NewEventAuth(f.inbound, f.tenants, clock, time.Hour),
	}
	for _, a := range instances {
		got, _, err := a.Authenticate(f.request(), nil, clock.Now())
		require.NoError(t, err)
		assert.Equal(t, f.tenant.ID, got.ID)
	}
	require.NoError(t, f.tenants.Uninstall(context.Background(), f.tenant.ID))
	for i, a := range instances {
		_, _, err := a.Authenticate(f.request(), nil, clock.Now())
		var ae *icims.AuthError
		assert.ErrorAs(t, err, &ae, "instance %d", i)
	}
}

// BenchmarkEventAuthBasic measures what authenticating one event costs
// against a real SQLite file in a burst of the same Basic credentials:
// go test ./handlers/ -run '^$' -bench EventAuth -benchtime 5000x
func BenchmarkEventAuthBasic(b *testing.B) {
	f := newAuthFixture(b)
	clock := assessments.SystemClock{}
	auth := handlers.NewEventAuth(f.inbound, f.tenants, clock, 0)
	req := f.request()
	b.ResetTimer()
	for range b.N {
		if _, _, err := auth.Authenticate(req, nil, clock.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventAuthReads compares the read every event makes (the live
// tenant of a credential) with the lookups it replaced.
func BenchmarkEventAuthReads(b *testing.B) {
	f := newAuthFixture(b)
	ctx := context.Background()
	b.Run("live", func(b *testing.B) {
		for range b.N {
			_, _, _ = f.inbound.LiveTenantID(ctx, f.cred.Identifier)
		}
	})
	b.Run("owner", func(b *testing.B) {
		for range b.N {
			_, _, _ = f.inbound.TenantOfIdentifier(ctx, f.cred.Identifier)
		}
	})
	b.Run("tenant", func(b *testing.B) {
		for range b.N {
			_, _ = f.tenants.Tenant(ctx, f.tenant.ID)
		}
	})
}
