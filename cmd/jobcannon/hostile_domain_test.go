package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
