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

// TestSettingsCallLimits: an admin gives the customer the lower limit
// iCIMS gave it, the pacer takes it at once, and a 429 shows as a hold
// and a slowed pace on the page.
func TestSettingsCallLimits(t *testing.T) {
	ctx := context.Background()
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	settings := func() page {
		t.Helper()
		p := b.get(app.URL + "/admin/settings")
		require.Equal(t, http.StatusOK, p.Status, p.Body)
		return p
	}
	p := settings()
	assert.Contains(t, p.Body, "iCIMS call limits")
	assert.Contains(t, htmlUnescape(p.Body), "Pace 490/min, the configured limit.")

	tests := []struct{ perMinute, perDay, want string }{
		{"0", "", "Calls a minute must be a whole number of at least 1"},
		{"501", "", "Calls a minute must be between 1 and 500"},
		{"twenty", "", "Calls a minute must be a whole number"},
		{"20", "2000000", "Calls a day must be between 1 and 1000000"},
		{"20", "-1", "Calls a day must be a whole number of at least 1"},
	}
	for _, tt := range tests {
		r := b.submit(p, "/admin/settings/limits", url.Values{"per_minute": {tt.perMinute}, "per_day": {tt.perDay}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.Status, tt)
		assert.Contains(t, htmlUnescape(r.Body), tt.want)
		assert.Contains(t, r.Body, `aria-invalid="true"`)
	}
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	assert.Zero(t, tenant.CallsPerMinute, "a refused value changes nothing")

	r := b.submit(p, "/admin/settings/limits", url.Values{"per_minute": {"20"}, "per_day": {"2000"}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	body := htmlUnescape(r.Body)
	assert.Contains(t, body, "Saved. Calls to iCIMS now keep under 20 a minute and 2000 a day.")
	assert.Contains(t, body, "Pace 20/min, the configured limit.", "the pool took the new limit without a restart")
	assert.Contains(t, body, `value="20"`)
	assert.Contains(t, body, `value="2000"`)

	// iCIMS holds the customer tighter still: the connection test meets a
	// 429, and the page says so.
	require.NoError(t, app.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 1}))
	b.submit(b.get(app.URL+"/admin"), "/admin/connection/test", nil)
	b.submit(b.get(app.URL+"/admin"), "/admin/connection/test", nil)
	body = htmlUnescape(settings().Body)
	assert.Contains(t, body, "iCIMS asked us to wait until")
	assert.Contains(t, body, "pace 10/min, climbing back to 20/min.")

	// Empty boxes go back to iCIMS's usual limits.
	r = b.submit(p, "/admin/settings/limits", url.Values{"per_minute": {""}, "per_day": {""}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, htmlUnescape(r.Body), "500 (the usual) a minute and 10000 (the usual) a day")
}
