package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
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
	signInAdmin(t, app, "ops@acme.example")
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

	// A Link header that cannot be read costs nothing when the body has
	// links: the event is taken and the header logged.
	body := []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"1234","systemId":"3002","jobId":"2001","personId":"1002",` +
		`"userId":"900","newStatus":"` + icimstest.StatusReviewed + `","links":[{"rel":"user","title":"Posting User","url":"https://api.icims.com/customers/1234/people/900"}]}`)
	req, err := http.NewRequest(http.MethodPost, app.URL+"/icims/events", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Link", `jobs/2001;rel="job",<https://api.icims.com/customers/1234/people/900`)
	require.NoError(t, icims.SignHMAC(req, body, cred.Identifier, []byte(cred.Secret), time.Now()))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(got))
	assert.Contains(t, logs.String(), "Link header not read")
}
