package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

const marketplaceClaim = "Installed from the iCIMS Marketplace"

func TestConnectionCardTellsTheInstallKindAndTheAPIInUse(t *testing.T) {
	app := newTestApp(t)
	b, dash := installAndSignIn(t, app, "ops@acme.example")
	apiInUse := `<code id="api-base">` + app.sim.APIBase() + `</code>`

	// A Marketplace (OAuth) install says so, and shows the API the sandbox
	// install really uses, not api.icims.com.
	conn := b.get(app.URL + "/admin/connection")
	require.Equal(t, http.StatusOK, conn.Status)
	assert.Contains(t, conn.Body, marketplaceClaim)
	assert.Contains(t, conn.Body, apiInUse)
	assert.Contains(t, dash.Body, apiInUse)
	assert.Contains(t, dash.Body, marketplaceClaim, "the checklist's install step")
	assert.NotContains(t, dash.Body, "api.icims.com", "no host the calls do not go to")

	// A classic connection is not a Marketplace install.
	cid := icimstest.CustomerUS
	p := b.submit(conn, "/admin/connection", url.Values{"mode": {"basic"}, "region": {"us"},
		"username": {icimstest.BasicUser(cid)}, "password": {icimstest.BasicPassword(cid)}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.Contains(t, p.Body, "Saved.")
	assert.NotContains(t, p.Body, marketplaceClaim)
	assert.Contains(t, p.Body, apiInUse, "the classic connection keeps the install's API")
	dash = b.get(app.URL + "/admin")
	assert.NotContains(t, dash.Body, marketplaceClaim)
	assert.Contains(t, htmlUnescape(dash.Body), "Not from the Marketplace: connected on ")

	// Without an explicit base the region's host is the one in use.
	for region, host := range map[string]string{"eu": "https://api-eu.icims.com", "us": "https://api.icims.com"} {
		_, err := app.DB.W.ExecContext(context.Background(), `UPDATE tenants SET region = ?, api_url = '' WHERE customer_id = ?`, region, cid)
		require.NoError(t, err)
		for _, path := range []string{"/admin", "/admin/connection"} {
			p := b.get(app.URL + path)
			require.Equal(t, http.StatusOK, p.Status, p.Body)
			assert.Contains(t, p.Body, `<code id="api-base">`+host+`</code>`, "%s %s", region, path)
		}
	}
}
