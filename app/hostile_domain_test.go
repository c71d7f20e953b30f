package app

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// lightHostileEnv is a hostileEnv with only Acme installed, an auto rule on
// the assessment stage and a Basic inbound credential: enough for the
// attacks on the domain, without the full fixture's second tenant.
func lightHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	e := &hostileEnv{eventsEnv: newEventsEnv(t), otherIDs: map[string]int64{}}
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	var err error
	e.basic, err = e.app.events.inbound.Issue(context.Background(), e.tenant.ID, assessments.InboundBasic)
	require.NoError(t, err)
	return e
}

// statusChange is a WorkFlowStatusChangeEvent body for Acme's second seeded
// application, with its ids spelled as given.
func statusChange(customer, workflow, job, person string) []byte {
	return []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"` + customer + `","systemId":"` + workflow +
		`","jobId":"` + job + `","personId":"` + person + `","userId":"900","oldStatus":"` + icimstest.StatusNewSubmission +
		`","newStatus":"` + icimstest.StatusAssessment + `"}`)
}

// A trigger whose ids are zero-padded names the same application as one
// without: it must not send a second invitation, e-mail or results row.
func TestHostileZeroPaddedIDsAreOneApplication(t *testing.T) {
	e := lightHostileEnv(t)
	wid, job, person := strconv.Itoa(icimstest.USWorkflow2), strconv.Itoa(icimstest.USJob2), strconv.Itoa(icimstest.USPerson2)
	auth := e.basicAuth(e.basic.Identifier, e.basic.Secret)

	a := e.event(statusChange(icimstest.CustomerUS, wid, job, person), "application/json", "", auth)
	require.Equal(t, http.StatusOK, a.Status, a.Body)
	e.settled()
	e.settleJobs()
	for _, customer := range []string{icimstest.CustomerUS, "0" + icimstest.CustomerUS} {
		a = e.event(statusChange(customer, "000"+wid, " 0"+job, "00"+person), "application/json", "", auth)
		// iCIMS's approval asks for a friendly 400 for a duplicate.
		if !assert.Equal(t, http.StatusBadRequest, a.Status, a.Body) {
			continue
		}
		assert.Contains(t, a.Body, "already been sent to this candidate")
		e.settled()
		e.settleJobs()
	}

	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ?`, e.tenant.ID), "one invitation")
	assert.Equal(t, 0, e.count(`SELECT COUNT(*) FROM invitations WHERE workflow_id LIKE '0%' OR job_id LIKE '0%' OR person_id LIKE '0%'`),
		"ids are stored canonical")
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM dev_mailbox WHERE tenant_id = ?`, e.tenant.ID), "one e-mail")
	rows, err := e.app.sim.Results(icimstest.CustomerUS, icimstest.USWorkflow2)
	require.NoError(t, err)
	assert.Len(t, rows, 1, "one results row in iCIMS")
	var workflows []string
	r, err := e.app.DB.R.Query(`SELECT workflow_id FROM deliveries WHERE tenant_id = ? AND direction = 'inbound'`, e.tenant.ID)
	require.NoError(t, err)
	defer r.Close()
	for r.Next() {
		var w string
		require.NoError(t, r.Scan(&w))
		workflows = append(workflows, w)
	}
	assert.Equal(t, []string{wid, wid, wid}, workflows, "both deliveries name the application the same way: %s", strings.Join(workflows, ","))
}

// An installed customer's id and an unknown one get the same answer to an
// event authenticated as another tenant, so that ids cannot be listed.
func TestHostileCustomerIDsCannotBeListed(t *testing.T) {
	e := lightHostileEnv(t)
	ctx := context.Background()
	cid := icimstest.CustomerEU
	_, err := e.app.tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Region: assessments.RegionEU,
		AuthMode: assessments.AuthBasic, Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	auth := e.basicAuth(e.basic.Identifier, e.basic.Secret)
	body := func(customer string) []byte {
		return statusChange(customer, strconv.Itoa(icimstest.USWorkflow2), strconv.Itoa(icimstest.USJob2), strconv.Itoa(icimstest.USPerson2))
	}
	known := e.unchanged(t, recorded, func() answer { return e.event(body(cid), "application/json", "", auth) })
	unknown := e.unchanged(t, recorded, func() answer { return e.event(body("9999"), "application/json", "", auth) })
	assert.Equal(t, http.StatusUnauthorized, known.Status, known.Body)
	assert.Equal(t, known.Status, unknown.Status)
	assert.Equal(t, known.Body, unknown.Body, "the same body for an installed and an unknown customer")
	icimsError("could not verify that this request came from your iCIMS")(t, e, unknown)

	// Timing: neither answer looks anything up, so their medians are close.
	median := func(customer string) time.Duration {
		var d []time.Duration
		for range 15 {
			start := time.Now()
			e.event(body(customer), "application/json", "", auth)
			d = append(d, time.Since(start))
		}
		slices.Sort(d)
		return d[len(d)/2]
	}
	t.Logf("median answer: installed customer %v, unknown customer %v", median(cid), median("9999"))
}

// An uninstall takes effect at once: the next event with the tenant's
// credentials is refused, though they verified a moment earlier.
func TestHostileUninstallStopsEventsAtOnce(t *testing.T) {
	e := lightHostileEnv(t)
	auth := e.basicAuth(e.basic.Identifier, e.basic.Secret)
	body := statusChange(icimstest.CustomerUS, strconv.Itoa(icimstest.USWorkflow2), strconv.Itoa(icimstest.USJob2), strconv.Itoa(icimstest.USPerson2))
	a := e.event(body, "application/json", "", auth)
	require.Equal(t, http.StatusOK, a.Status, a.Body)
	e.settled()
	e.settleJobs()

	require.NoError(t, e.app.tenants.Uninstall(context.Background(), e.tenant.ID))
	a = e.unchanged(t, nil, func() answer { return e.event(body, "application/json", "", auth) })
	assert.Equal(t, http.StatusUnauthorized, a.Status, a.Body)
	icimsError("could not verify that this request came from your iCIMS")(t, e, a)
}

// The token URL answers an unknown client id as it answers a known one with
// a wrong secret (a guard: it already did).
func TestHostileTokenURLDoesNotListClients(t *testing.T) {
	e := lightHostileEnv(t)
	oauth, err := e.app.events.inbound.Issue(context.Background(), e.tenant.ID, assessments.InboundOAuth)
	require.NoError(t, err)
	ask := func(clientID string) answer {
		body := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {"guess"}}
		return e.raw(nil, http.MethodPost, "/oauth/token", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			[]byte(body.Encode()))
	}
	known, unknown := ask(oauth.Identifier), ask("jc-9999-zzzzzz")
	assert.Equal(t, http.StatusUnauthorized, known.Status, known.Body)
	assert.Equal(t, known.Status, unknown.Status)
	assert.Equal(t, known.Body, unknown.Body)
}
