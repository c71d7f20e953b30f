package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

const testPassword = "correct horse battery"

// installAndSignIn installs for the US customer and creates the admin;
// it returns the browser on the dashboard.
func installAndSignIn(t *testing.T, app *testApp, email string) (*browser, page) {
	t.Helper()
	b := newBrowser(t)
	p := approve(t, b, consent(t, app, b), allScopes)
	p = b.submit(p, "/admin/setup", url.Values{"company": {"Acme Corporation"}, "email": {email}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	return b, p
}

func TestClassicConnectionsAreTestedBeforeSaving(t *testing.T) {
	cid := icimstest.CustomerUS
	cases := []struct {
		mode   assessments.AuthMode
		good   url.Values
		bad    url.Values
		reason string
	}{
		{assessments.AuthBasic,
			url.Values{"username": {icimstest.BasicUser(cid)}, "password": {icimstest.BasicPassword(cid)}},
			url.Values{"username": {icimstest.BasicUser(cid)}, "password": {"wrong"}}, "refused the credentials (401)"},
		{assessments.AuthHMAC,
			url.Values{"hmac_user": {icimstest.HMACUser(cid)}, "hmac_key": {string(icimstest.HMACKey(cid))}},
			url.Values{"hmac_user": {icimstest.HMACUser(cid)}, "hmac_key": {"not-the-key"}}, "refused the credentials (401)"},
		{assessments.AuthClientCredentials,
			url.Values{"client_id": {icimstest.CCClientID(cid)}, "client_secret": {icimstest.CCClientSecret(cid)}},
			url.Values{"client_id": {icimstest.CCClientID(cid)}, "client_secret": {"nope"}}, "refused the credentials"},
	}
	for _, c := range cases {
		t.Run(string(c.mode), func(t *testing.T) {
			app := newTestApp(t)
			b, dash := installAndSignIn(t, app, "ops@acme.example")
			form := b.get(app.URL + "/admin/connection")
			require.Equal(t, http.StatusOK, form.Status)

			bad := url.Values{"mode": {string(c.mode)}, "region": {"us"}}
			for k, v := range c.bad {
				bad[k] = v
			}
			p := b.submit(form, "/admin/connection", bad)
			assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
			assert.Contains(t, p.Body, "Not saved")
			assert.Contains(t, p.Body, c.reason)
			tenant, err := app.tenants.TenantByCustomer(context.Background(), cid)
			require.NoError(t, err)
			assert.Equal(t, assessments.AuthOAuth, tenant.AuthMode, "a failed test changes nothing")

			good := url.Values{"mode": {string(c.mode)}, "region": {"us"}}
			for k, v := range c.good {
				good[k] = v
			}
			p = b.submit(form, "/admin/connection", good)
			require.Equal(t, http.StatusOK, p.Status, p.Body)
			assert.Contains(t, p.Body, "Saved. iCIMS customer 1234 answered")
			tenant, err = app.tenants.TenantByCustomer(context.Background(), cid)
			require.NoError(t, err)
			assert.Equal(t, c.mode, tenant.AuthMode)

			p = b.submit(dash, "/admin/connection/test", nil)
			assert.Contains(t, p.Body, "Connection test: iCIMS customer 1234 answered")
		})
	}
}

func TestRevokedTokenAsksForReauthorizationAndReinstallFixesIt(t *testing.T) {
	app := newTestApp(t)
	b, dash := installAndSignIn(t, app, "ops@acme.example")
	require.NoError(t, app.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RevokeTokens: true}))

	p := b.submit(dash, "/admin/connection/test", nil)
	assert.Contains(t, p.Body, "OAuth token expired: re-authorize from the iCIMS Marketplace")
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantNeedsReauth, tenant.Status)
	assert.Contains(t, p.Body, "Re-authorize with iCIMS")

	// Re-authorizing issues a new token, which the fault lets through.
	p = approve(t, b, consent(t, app, b), allScopes)
	require.Equal(t, "/admin", p.URL.Path)
	assert.NotContains(t, p.Body, "OAuth token expired")
	p = b.submit(p, "/admin/connection/test", nil)
	assert.Contains(t, p.Body, "Connection test: iCIMS customer 1234 answered")
}

func TestAdminFormsNeedTheCSRFToken(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	for _, path := range []string{"/admin/connection/test", "/admin/uninstall", "/admin/connection", "/admin/logout"} {
		t.Run(path, func(t *testing.T) {
			p := b.post(app.URL+path, url.Values{"confirm": {"yes"}, "mode": {"basic"}})
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, p.Status, p.Body)
		})
	}
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantActive, tenant.Status, "the uninstall without a token changed nothing")
	assert.Equal(t, "/admin", b.get(app.URL+"/admin").URL.Path, "still signed in")
}

func TestLoginAndLogout(t *testing.T) {
	app := newTestApp(t)
	signInAdmin(t, app, "ops@acme.example")

	b := newBrowser(t)
	p := b.get(app.URL + "/admin")
	require.Equal(t, "/admin/login", p.URL.Path, "the dashboard needs a signed-in admin")
	p = b.submit(p, "/admin/login", url.Values{"email": {"ops@acme.example"}, "password": {"wrong password"}})
	assert.Equal(t, http.StatusUnauthorized, p.Status)
	assert.Contains(t, p.Body, "do not match")
	p = b.submit(p, "/admin/login", url.Values{"email": {"OPS@acme.example "}, "password": {testPassword}})
	require.Equal(t, http.StatusOK, p.Status)
	assert.Equal(t, "/admin", p.URL.Path)

	p = b.submit(p, "/admin/logout", nil)
	assert.Equal(t, "/admin/login", p.URL.Path)
	assert.Equal(t, "/admin/login", b.get(app.URL+"/admin").URL.Path, "signed out")
}

func TestLoginIsRateLimited(t *testing.T) {
	app := newTestApp(t)
	signInAdmin(t, app, "ops@acme.example")
	// Five wrong guesses use the burst; then even the right password waits.
	var p page
	attacker := newBrowser(t)
	form := attacker.get(app.URL + "/admin/login")
	for range 5 {
		p = attacker.submit(form, "/admin/login", url.Values{"email": {"ops@acme.example"}, "password": {"guess"}})
		require.Equal(t, http.StatusUnauthorized, p.Status)
	}
	p = attacker.submit(form, "/admin/login", url.Values{"email": {"ops@acme.example"}, "password": {testPassword}})
	assert.Equal(t, http.StatusTooManyRequests, p.Status)
	assert.Contains(t, p.Body, "Too many sign-in attempts")
}

func TestUninstallDeletesTokensAndSignsOut(t *testing.T) {
	app := newTestApp(t)
	b, dash := signInAdmin(t, app, "ops@acme.example")
	p := b.submit(dash, "/admin/uninstall", url.Values{"confirm": {"yes"}})
	require.Equal(t, http.StatusOK, p.Status)
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, assessments.TenantUninstalled, tenant.Status)
	_, err = app.tenants.Credentials(context.Background(), tenant.ID)
	assert.Error(t, err, "no tokens are kept")
	assert.Equal(t, "/admin/login", b.get(app.URL+"/admin").URL.Path)
}

func TestInviteAnotherAdminByEmailLink(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/admins")
	p = b.submit(p, "/admin/admins/invite", url.Values{"email": {"not an address"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	p = b.submit(p, "/admin/admins/invite", url.Values{"email": {"Bo@Acme.example"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Invitation sent to bo@acme.example")

	msgs, err := storage.NewMailbox(app.DB, assessments.SystemClock{}).List(context.Background(), 10, 0)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, "bo@acme.example", msgs[0].To)
	link := regexp.MustCompile(`https?://\S+/admin/invite/[A-Za-z0-9_-]+`).FindString(msgs[0].Text)
	require.NotEmpty(t, link, msgs[0].Text)

	invited := newBrowser(t)
	p = invited.get(link)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "bo@acme.example")
	p = invited.submit(p, p.URL.Path, url.Values{"name": {"Bo"}, "password": {"short"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	p = invited.submit(p, p.URL.Path, url.Values{"name": {"Bo"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	assert.Contains(t, p.Body, "bo@acme.example")

	again := newBrowser(t).get(link)
	assert.Equal(t, http.StatusNotFound, again.Status, "an invitation link works once")
	assert.Contains(t, again.Body, "expired or was already used")
}

func TestCatalogOffersTheTenantsAssessmentTypesFromICIMS(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/catalog/new")
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Big Five Work Personality", "the US customer's Assessment Type list")
	assert.Contains(t, p.Body, "C41001")
	before := len(app.sim.Calls(icimstest.CustomerUS))
	b.get(app.URL + "/admin/catalog/new")
	assert.Equal(t, before, len(app.sim.Calls(icimstest.CustomerUS)), "the list is cached, not fetched per page view")
}

func TestCompanyNameCanBeChanged(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	p := b.get(app.URL + "/admin/connection")
	p = b.submit(p, "/admin/company", url.Values{"company": {"   "}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, p.Body, "as candidates know it")
	p = b.submit(p, "/admin/company", url.Values{"company": {"  Acme   Holdings <Ltd> "}})
	require.Equal(t, http.StatusOK, p.Status)
	assert.Contains(t, p.Body, "Company name saved.")
	p = b.get(app.URL + "/admin")
	assert.Contains(t, p.Body, "Acme Holdings &lt;Ltd&gt;", "spaces folded, markup escaped")
}
