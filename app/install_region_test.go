package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// The Marketplace does not say where a customer is hosted (contract §1:
// the region is a per-tenant setting, and no install parameter carries it),
// so the admin confirms it before the browser goes to iCIMS with the
// customer's id, and an EU customer is stored as EU.
func TestInstallAsksTheRegionFirst(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	// The sandbox Marketplace's Install, as an admin clicks it.
	p := b.get(app.sim.MarketplaceURL() + "/install?customer_id=" + icimstest.CustomerEU)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Equal(t, "/oauth/authorize", p.URL.Path, "the browser has not been sent to iCIMS yet")
	assert.Contains(t, p.Body, "Where is your iCIMS hosted?")
	assert.Contains(t, p.Body, "US (api.icims.com)")
	assert.Contains(t, p.Body, "EU (api-eu.icims.com)")
	assert.NotContains(t, p.Body, "decision", "not the consent page")

	// Continuing without a choice asks again.
	again := b.get(app.URL + "/oauth/authorize?customer_id=" + icimstest.CustomerEU + "&asked=1")
	assert.Equal(t, http.StatusUnprocessableEntity, again.Status)
	assert.Contains(t, again.Body, "Choose US or EU.")
	bad := b.get(app.URL + "/oauth/authorize?customer_id=" + icimstest.CustomerEU + "&asked=1&region=mars")
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	assert.Contains(t, bad.Body, "Region must be us or eu")

	p = approve(t, b, consentFor(t, app, b, icimstest.CustomerEU, "eu"), allScopes)
	p = b.submit(p, "/admin/setup", url.Values{"company": {"Beispiel GmbH"}, "email": {"ops@beispiel.example"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerEU)
	require.NoError(t, err)
	assert.Equal(t, assessments.RegionEU, tenant.Region)

	card := b.get(app.URL + "/admin/connection")
	assert.Contains(t, card.Body, "region EU", "the connection card shows the region")
	assert.Contains(t, card.Body, `<code id="api-base">`+app.sim.APIBase()+`</code>`, "and the API host really in use")
}

// A re-install that names another region is refused and changes nothing;
// so is a classic connection saved with another region.
func TestRegionNeverChangesSilently(t *testing.T) {
	app := newTestApp(t)
	b := newBrowser(t)
	p := approve(t, b, consentFor(t, app, b, icimstest.CustomerEU, "eu"), allScopes)
	p = b.submit(p, "/admin/setup", url.Values{"company": {"Beispiel GmbH"}, "email": {"ops@beispiel.example"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	ctx := context.Background()
	before, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerEU)
	require.NoError(t, err)
	creds, err := app.tenants.Credentials(ctx, before.ID)
	require.NoError(t, err)

	p = approve(t, b, consentFor(t, app, b, icimstest.CustomerEU, "us"), allScopes)
	assert.Equal(t, http.StatusBadRequest, p.Status, p.Body)
	assert.Contains(t, p.Body, "This iCIMS account is connected in another region")
	assert.Contains(t, p.Body, "Start the install again and choose EU (api-eu.icims.com)")

	cid := icimstest.CustomerEU
	form := b.get(app.URL + "/admin/connection")
	p = b.submit(form, "/admin/connection", url.Values{"mode": {"basic"}, "region": {"us"},
		"username": {icimstest.BasicUser(cid)}, "password": {icimstest.BasicPassword(cid)}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status, p.Body)
	assert.Contains(t, p.Body, "connected in the EU (api-eu.icims.com) region")

	after, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerEU)
	require.NoError(t, err)
	assert.Equal(t, assessments.RegionEU, after.Region)
	assert.Equal(t, assessments.AuthOAuth, after.AuthMode)
	kept, err := app.tenants.Credentials(ctx, before.ID)
	require.NoError(t, err)
	assert.Equal(t, creds.AccessToken, kept.AccessToken, "the credentials were not replaced")
}
