package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

var allScopes = assessments.RequiredScopes()

// consent starts an install of the US customer from the Marketplace link,
// answers the region question, and returns the simulator's consent page.
func consent(t *testing.T, app *testApp, b *browser) page {
	t.Helper()
	return consentFor(t, app, b, icimstest.CustomerUS, "us")
}

// consentFor is consent for any customer and region.
func consentFor(t *testing.T, app *testApp, b *browser, customerID, region string) page {
	t.Helper()
	p := b.get(app.URL + "/oauth/authorize?customer_id=" + customerID)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.Contains(t, p.Body, "Where is your iCIMS hosted?")
	p = b.get(app.URL + "/oauth/authorize?customer_id=" + customerID + "&asked=1&region=" + region)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.Contains(t, p.Body, "decision")
	return p
}

func approve(t *testing.T, b *browser, consentPage page, scopes []string) page {
	t.Helper()
	return b.submit(consentPage, "/sandbox/icims/oauth/authorize", url.Values{"decision": {"approve"}, "scope": scopes})
}

func TestInstallApproveSetupAndDashboard(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	p := approve(t, b, consent(t, app, b), allScopes)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Equal(t, "/admin/setup", p.URL.Path, "the installing admin creates an account next")

	p = b.submit(p, "/admin/setup", url.Values{"company": {"Acme Corporation"}, "email": {"ada@acme.example"}, "name": {"Ada"}, "password": {"correct horse battery"}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Equal(t, "/admin", p.URL.Path)
	assert.Contains(t, p.Body, "customer 1234")
	assert.Contains(t, p.Body, "Welcome")
	named, err := sqliteTenants(app).TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, "Acme Corporation", named.Name, "the company name candidates see is set at install")
	assert.NotContains(t, p.Body, "were not granted")

	tenant, err := sqliteTenants(app).TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, assessments.AuthOAuth, tenant.AuthMode)
	assert.ElementsMatch(t, allScopes, tenant.Scopes)

	// Test connection makes one real call with the stored token.
	p = b.submit(p, "/admin/connection/test", nil)
	assert.Contains(t, p.Body, "Connection test: iCIMS customer 1234 answered")

	// The access token is nowhere in the database file in plain text.
	creds, err := sqliteTenants(app).Credentials(context.Background(), tenant.ID)
	require.NoError(t, err)
	require.NotEmpty(t, creds.AccessToken)
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(app.DB.Path() + suffix)
		if err == nil {
			assert.False(t, bytes.Contains(raw, []byte(creds.AccessToken)), "access token in %s", suffix)
			assert.False(t, bytes.Contains(raw, []byte(creds.RefreshToken)), "refresh token in %s", suffix)
		}
	}
}

func TestInstallFailuresExplainThemselves(t *testing.T) {
	deadTokenEndpoint := func(c *Config) { c.ICIMS.TokenURL = "http://127.0.0.1:1/oauth/token" }
	cases := []struct {
		name      string
		configure []func(*Config)
		run       func(t *testing.T, app *testApp, b *browser) page
		title     string
	}{
		{"consent denied", nil, func(t *testing.T, app *testApp, b *browser) page {
			return b.submit(consent(t, app, b), "/sandbox/icims/oauth/authorize", url.Values{"decision": {"deny"}})
		}, "You declined the permissions"},
		{"state missing", nil, func(t *testing.T, app *testApp, b *browser) page {
			return b.get(app.URL + "/icims/oauth-callback?code=abc")
		}, "could not be verified"},
		{"state unknown", nil, func(t *testing.T, app *testApp, b *browser) page {
			return b.get(app.URL + "/icims/oauth-callback?code=abc&state=forged")
		}, "already used"},
		{"replayed state", nil, func(t *testing.T, app *testApp, b *browser) page {
			cb := callbackURL(t, app, b)
			require.Equal(t, "/admin/setup", b.get(cb).URL.Path)
			return b.get(cb)
		}, "already used"},
		{"another browser", nil, func(t *testing.T, app *testApp, b *browser) page {
			return newBrowser(t).get(callbackURL(t, app, b))
		}, "started in another browser"},
		{"replayed code", nil, func(t *testing.T, app *testApp, b *browser) page {
			first := callbackURL(t, app, b)
			require.Equal(t, "/admin/setup", b.get(first).URL.Path)
			// A second install comes back with the first, used code.
			second := callbackURL(t, app, b)
			return b.get(withCode(t, second, codeOf(t, first)))
		}, "refused the install code"},
		{"token endpoint down", []func(*Config){deadTokenEndpoint}, func(t *testing.T, app *testApp, b *browser) page {
			return b.get(callbackURL(t, app, b))
		}, "did not answer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := newTestApp(t, c.configure...)
			p := c.run(t, app, newBrowser(t))
			assert.Equal(t, http.StatusBadRequest, p.Status, p.Body)
			assert.Contains(t, p.Body, c.title)
			assert.Contains(t, p.Body, "What to do")
		})
	}
}

func TestInstallWithMissingScopeStillCompletes(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	granted := []string{assessments.ScopeProfileRead, assessments.ScopeDeliveryWrite, assessments.ScopeScorecardWrite}
	p := approve(t, b, consent(t, app, b), granted)
	p = b.submit(p, "/admin/setup", url.Values{"company": {"Acme Corporation"}, "email": {"bo@acme.example"}, "password": {"correct horse battery"}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	assert.Contains(t, p.Body, "were not granted")
	assert.Contains(t, p.Body, "Candidate profile write failed (403)")
}

func TestReinstallKeepsTheTenantAndTheSignedInAdmin(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	p := approve(t, b, consent(t, app, b), allScopes[:2])
	p = b.submit(p, "/admin/setup", url.Values{"company": {"Acme Corporation"}, "email": {"cy@acme.example"}, "password": {"correct horse battery"}})
	require.Equal(t, "/admin", p.URL.Path)
	before, err := sqliteTenants(app).TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)

	p = approve(t, b, consent(t, app, b), allScopes)
	assert.Equal(t, "/admin", p.URL.Path, "a signed-in admin goes straight back to the dashboard")
	assert.Contains(t, p.Body, "is authorized for customer 1234")
	assert.NotContains(t, p.Body, "were not granted")
	after, err := sqliteTenants(app).TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Equal(t, before.ID, after.ID)
}

// callbackURL runs an install up to iCIMS's redirect back and returns the
// callback URL without following it.
func callbackURL(t *testing.T, app *testApp, b *browser) string {
	t.Helper()
	c := consent(t, app, b)
	b.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/icims/oauth-callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	defer func() { b.client.CheckRedirect = nil }()
	p := approve(t, b, c, allScopes)
	require.Equal(t, http.StatusSeeOther, p.Status, p.Body)
	u, err := p.URL.Parse(p.Location)
	require.NoError(t, err)
	require.Equal(t, "/icims/oauth-callback", u.Path)
	return u.String()
}

func codeOf(t *testing.T, callback string) string {
	u, err := url.Parse(callback)
	require.NoError(t, err)
	return u.Query().Get("code")
}

func withCode(t *testing.T, callback, code string) string {
	u, err := url.Parse(callback)
	require.NoError(t, err)
	q := u.Query()
	q.Set("code", code)
	u.RawQuery = q.Encode()
	return u.String()
}

func sqliteTenants(app *testApp) *storage.TenantStore {
	return app.tenants
}
