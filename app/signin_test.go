package app

import (
	"context"
	"crypto/rand"
	"net/http"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/web"
)

// signInAdmin connects the US sandbox customer and signs an admin in
// without the OAuth install: the tenant (a classic Basic connection to the
// simulator, named Acme Corporation as the installing admin names it) and
// its admin (password testPassword) are created through the stores, and a
// session is planted in the session store and put in the browser's cookie
// jar. It returns the browser and the dashboard it sees. Tests of the
// install itself use installAndSignIn.
func signInAdmin(t *testing.T, app *testApp, email string) (*browser, page) {
	t.Helper()
	ctx := context.Background()
	cid := icimstest.CustomerUS
	var tenants assessments.TenantStore = app.tenants
	if app.events.sandbox != nil {
		// As an install does, point the simulated customer's events at us.
		tenants = installingTenants{TenantStore: tenants, sandbox: app.events.sandbox}
	}
	tenant, err := tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Acme Corporation",
		Region: assessments.RegionUS, APIURL: app.sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	clock := assessments.SystemClock{}
	accounts := assessments.NewAccounts(storage.NewAdminStore(app.DB, clock), clock, rand.Reader, bcrypt.MinCost)
	admin, err := accounts.CreateAdmin(ctx, tenant.ID, assessments.AccountInput{Email: email, Password: testPassword})
	require.NoError(t, err)

	b := newBrowser(t)
	b.client.Jar.SetCookies(mustURL(t, app.URL), []*http.Cookie{plantSession(t, app, tenant.ID, admin.ID)})
	p := b.get(app.URL + "/admin")
	require.Equal(t, "/admin", p.URL.Path, "the planted session is signed in: %s", p.Body)
	return b, p
}

// plantSession stores a signed-in admin's session as the service's session
// manager would (same store, hashed token, same codec and keys) and
// returns its cookie.
func plantSession(t *testing.T, app *testApp, tenantID, adminID int64) *http.Cookie {
	t.Helper()
	sm := scs.New()
	sm.Store = web.HashedSessionStore{Store: app.sessions}
	ctx, err := sm.Load(context.Background(), "")
	require.NoError(t, err)
	sm.Put(ctx, "tenant_id", tenantID)
	sm.Put(ctx, "admin_id", adminID)
	token, _, err := sm.Commit(ctx)
	require.NoError(t, err)
	name := "jc_session"
	if app.base.Scheme == "https" {
		name = "__Host-jc_session"
	}
	return &http.Cookie{Name: name, Value: token, Path: "/"}
}
