package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// The three use cases iCIMS approves a vendor integration on (contract
// §7): an end-to-end run, a duplicate request answered with a friendly
// 400, and a missing required field answered with a 400 naming it.

// approvalEnv is the service installed from the sandbox Marketplace with
// one auto-send rule: Big Five on entering the Assessment stage.
func approvalEnv(t *testing.T) *eventsEnv {
	t.Helper()
	e := newInstalledEventsEnv(t)
	require.Equal(t, assessments.AuthOAuth, e.tenant.AuthMode, "installed through the Marketplace OAuth flow")
	e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	return e
}

// approvalLink is the link of the newest e-mail to address.
var approvalLink = regexp.MustCompile(`https?://[^\s"<>]+/a/[A-Za-z0-9_-]+`)

func (e *eventsEnv) waitCandidateLink(address string) string {
	e.t.Helper()
	var link string
	require.Eventually(e.t, func() bool {
		var text string
		err := e.app.DB.R.QueryRow(`SELECT text FROM dev_mailbox WHERE tenant_id = ? AND to_address = ? ORDER BY id DESC LIMIT 1`,
			e.tenant.ID, address).Scan(&text)
		link = approvalLink.FindString(text)
		return err == nil && link != ""
	}, 20*time.Second, 20*time.Millisecond, "no invitation e-mail with a candidate link reached %s", address)
	return link
}

func TestApprovalEndToEnd(t *testing.T) {
	e := approvalEnv(t)

	// The recruiter moves the candidate in iCIMS; the simulator posts the
	// event and JobCannon acknowledges it once it is durable.
	res := e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	require.Equal(t, http.StatusOK, res.StatusCode, string(res.Body))
	d := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	require.NotZero(t, d.InvitationID)
	inv := e.invitation(d.InvitationID)

	// The Sent row reaches iCIMS and the candidate gets the e-mail.
	sim := func() []icimstest.Result {
		rows, err := e.app.sim.Results(icimstest.CustomerUS, icimstest.USWorkflow1)
		require.NoError(t, err)
		return rows
	}
	require.Eventually(t, func() bool {
		rows := sim()
		return len(rows) == 1 && rows[0].AssessmentStatus == icims.StatusSent
	}, 20*time.Second, 20*time.Millisecond, "the Sent row was not written")
	link := e.waitCandidateLink(inv.CandidateEmail)
	page := e.b.get(link)
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	assert.Contains(t, page.Body, inv.CandidateFirstName)

	// The candidate completes; the row turns Complete with the score and
	// the report link, on the same row.
	le := &logsEnv{eventsEnv: e}
	le.complete(inv)
	require.Eventually(t, func() bool {
		rows := sim()
		return len(rows) == 1 && rows[0].AssessmentStatus == icims.StatusComplete
	}, 20*time.Second, 20*time.Millisecond, "the Complete row was not written: %+v", sim())
	row := sim()[0]
	assert.Equal(t, icimstest.AssessmentBigFive, row.AssessmentName)
	require.NotNil(t, row.Score)
	assert.InDelta(t, 71, *row.Score, 0.01)
	assert.NotEmpty(t, row.Result)
	assert.NotEmpty(t, row.Date)
	assert.Regexp(t, `^https?://`, row.URL, "the recruiter's result link")
}

func TestApprovalDuplicateRequestIsAFriendly400(t *testing.T) {
	e := approvalEnv(t)
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusAssessment).StatusCode)
	first := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, first.Status, first.Message)
	inv := e.invitation(first.InvitationID)
	sent := inv.CreatedAt
	if !inv.SentAt.IsZero() {
		sent = inv.SentAt
	}

	// The recruiter moves the candidate out and back in: a new request for
	// the assessment already live.
	require.Equal(t, http.StatusOK, e.move(icimstest.USWorkflow1, icimstest.StatusInterview).StatusCode)
	res := e.move(icimstest.USWorkflow1, icimstest.StatusAssessment)
	require.Equal(t, http.StatusBadRequest, res.StatusCode, string(res.Body))
	var body struct {
		Error struct {
			UserMessage       string `json:"userMessage"`
			DebugErrorMessage string `json:"debugErrorMessage"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(res.Body, &body), string(res.Body))
	assert.Equal(t, assessments.DuplicateRequestMessage(sent), body.Error.UserMessage)
	assert.Contains(t, body.Error.UserMessage, sent.UTC().Format("2 January 2006"), "says when it was sent")
	assert.Contains(t, body.Error.DebugErrorMessage, "duplicate")

	// Recorded, and nothing sent twice.
	d := e.lastDelivery()
	assert.Equal(t, assessments.DeliveryDuplicate, d.Status)
	assert.Equal(t, http.StatusBadRequest, d.HTTPStatus)
	assert.Equal(t, []int64{inv.ID}, e.sendJobs(), "one e-mail")
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND workflow_id = ?`, e.tenant.ID, strconv.Itoa(icimstest.USWorkflow1)))
	rows, err := e.app.sim.Results(icimstest.CustomerUS, icimstest.USWorkflow1)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(rows), 1, "one results row")
}

func TestApprovalMissingRequiredFieldIsNamed(t *testing.T) {
	e := approvalEnv(t)
	sign := e.issue(assessments.InboundBasic)
	full := map[string]map[string]any{
		icims.WorkFlowStatusChangeEvent: {"eventType": icims.WorkFlowStatusChangeEvent, "customerId": icimstest.CustomerUS,
			"systemId": "3001", "jobId": "2001", "personId": "1001", "userId": "900",
			"oldStatus": icimstest.StatusNewSubmission, "newStatus": icimstest.StatusAssessment},
		icims.AssessmentEvent: {"eventType": icims.AssessmentEvent, "customerId": icimstest.CustomerUS, "systemId": "3001",
			"userId": "1001", "returnUrl": "https://example.icims.com/back"},
	}
	cases := []struct {
		event, drop, shown string
	}{
		{icims.WorkFlowStatusChangeEvent, "eventType", "eventType"},
		{icims.WorkFlowStatusChangeEvent, "customerId", "customerId"},
		{icims.WorkFlowStatusChangeEvent, "systemId", "{{applicantworkflow.id}}"},
		{icims.WorkFlowStatusChangeEvent, "jobId", "{{job.id}}"},
		{icims.WorkFlowStatusChangeEvent, "personId", "{{person.id}}"},
		{icims.WorkFlowStatusChangeEvent, "newStatus", "{{applicantworkflow.status}}"},
		{icims.AssessmentEvent, "systemId", "{{applicantworkflow.id}}"},
		{icims.AssessmentEvent, "userId", "userId"},
		{icims.AssessmentEvent, "returnUrl", "returnUrl"},
	}
	for _, c := range cases {
		t.Run(c.event+"/"+c.drop, func(t *testing.T) {
			ev := map[string]any{}
			for k, v := range full[c.event] {
				if k != c.drop {
					ev[k] = v
				}
			}
			raw, err := json.Marshal(ev)
			require.NoError(t, err)
			res := e.post(raw, postOpts{gzip: true, sign: sign})
			require.Equal(t, http.StatusBadRequest, res.status, string(res.body))
			var body struct {
				Error struct {
					UserMessage       string `json:"userMessage"`
					DebugErrorMessage string `json:"debugErrorMessage"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(res.body, &body), string(res.body))
			assert.Contains(t, body.Error.UserMessage, "missing the required field "+c.shown)
			assert.Contains(t, body.Error.DebugErrorMessage, "missing required field "+c.drop)
			d := e.lastDelivery()
			assert.Equal(t, assessments.DeliveryFailed, d.Status, "recorded for the admin's logs")
			assert.Equal(t, http.StatusBadRequest, d.HTTPStatus)
		})
	}
	assert.Empty(t, e.sendJobs(), "nothing sent")
}
