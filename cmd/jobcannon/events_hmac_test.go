package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestEventsHMACSignedAsICIMSDoes: the simulator signs events as the event
// iCIMS staff posted in 2017 (its own code, not the product's), gzipped and
// with a Link header in iCIMS's form; the service accepts them and logs
// which canonical layout matched.
func TestEventsHMACSignedAsICIMSDoes(t *testing.T) {
	ctx := context.Background()
	logs := &lockedBuffer{}
	app := newLoggedTestApp(t, logs)
	installAndSignIn(t, app, "ops@acme.example")
	tenant, err := app.tenants.TenantByCustomer(ctx, icimstest.CustomerUS)
	require.NoError(t, err)
	cred, err := app.events.inbound.Issue(ctx, tenant.ID, assessments.InboundHMAC)
	require.NoError(t, err)
	vendor := app.sim.Vendor(icimstest.CustomerUS)
	vendor.Auth, vendor.HMACUser, vendor.HMACKey = icimstest.VendorAuthHMAC, cred.Identifier, cred.Secret
	require.NoError(t, app.sim.SetVendor(icimstest.CustomerUS, vendor))

	res, err := app.sim.MoveWorkflow(ctx, icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusReviewed, 0)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	assert.Contains(t, logs.String(), "hmac_layout=signed-headers-last hmac_body_hash=wire")
	assert.NotContains(t, logs.String(), "Link header not read")
}
