package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// signer authenticates a request whose wire body is given.
type signer func(t *testing.T, req *http.Request, wire []byte)

// issue returns a signer with freshly issued inbound credentials of mode.
func (e *eventsEnv) issue(mode assessments.InboundMode) signer {
	e.t.Helper()
	cred, err := e.app.events.inbound.Issue(context.Background(), e.tenant.ID, mode)
	require.NoError(e.t, err)
	switch mode {
	case assessments.InboundBasic:
		return func(_ *testing.T, req *http.Request, _ []byte) { req.SetBasicAuth(cred.Identifier, cred.Secret) }
	case assessments.InboundHMAC:
		return func(t *testing.T, req *http.Request, wire []byte) {
			require.NoError(t, icims.SignHMAC(req, wire, cred.Identifier, []byte(cred.Secret), time.Now()))
		}
	}
	// OAuth: iCIMS trades the client credentials for a Bearer token first.
	res, err := http.PostForm(e.app.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {cred.Identifier}, "client_secret": {cred.Secret}})
	require.NoError(e.t, err)
	defer res.Body.Close()
	require.Equal(e.t, http.StatusOK, res.StatusCode)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(e.t, json.NewDecoder(res.Body).Decode(&tok))
	return func(_ *testing.T, req *http.Request, _ []byte) {
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
}

// statusEvent is a WorkFlowStatusChangeEvent body for a seeded workflow.
func statusEvent(customer string, workflow int, oldStatus, newStatus string) []byte {
	b, _ := json.Marshal(map[string]any{
		"eventType": "WorkFlowStatusChangeEvent", "customerId": customer, "systemId": strconv.Itoa(workflow),
		"jobId": strconv.Itoa(icimstest.USJob1 + (workflow-icimstest.USWorkflow1)%3), "personId": strconv.Itoa(icimstest.USPerson1 + workflow - icimstest.USWorkflow1),
		"userId": "900", "oldStatus": oldStatus, "newStatus": newStatus,
	})
	return b
}

// posted is an answer to a posted event.
type posted struct {
	status   int
	body     []byte
	location string
}

// userMessage reads iCIMS's error shape; it fails the test if the answer
// is not in it.
func (p posted) userMessage(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct {
			UserMessage       string `json:"userMessage"`
			DebugErrorMessage string `json:"debugErrorMessage"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(p.body, &e), string(p.body))
	require.NotEmpty(t, e.Error.UserMessage, string(p.body))
	require.NotEmpty(t, e.Error.DebugErrorMessage, string(p.body))
	return e.Error.UserMessage
}

type postOpts struct {
	gzip        bool
	contentType string
	encoding    string
	sign        signer
}

func (e *eventsEnv) post(body []byte, o postOpts) posted {
	e.t.Helper()
	wire := body
	if o.gzip {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(body)
		require.NoError(e.t, zw.Close())
		wire = buf.Bytes()
		o.encoding = "gzip"
	}
	req, err := http.NewRequest(http.MethodPost, e.app.URL+"/icims/events", bytes.NewReader(wire))
	require.NoError(e.t, err)
	if o.contentType == "" {
		o.contentType = "application/json"
	}
	req.Header.Set("Content-Type", o.contentType)
	if o.encoding != "" {
		req.Header.Set("Content-Encoding", o.encoding)
	}
	if o.sign != nil {
		o.sign(e.t, req, wire)
	}
	client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return posted{status: res.StatusCode, body: got, location: res.Header.Get("Location")}
}

func TestEventsIntakeAcceptsEveryAuthModeAndEncoding(t *testing.T) {
	e := newEventsEnv(t)
	modes := []assessments.InboundMode{assessments.InboundBasic, assessments.InboundHMAC, assessments.InboundOAuth}
	for i, mode := range modes {
		sign := e.issue(mode)
		for j, gz := range []bool{false, true} {
			name := string(mode) + map[bool]string{false: "/plain", true: "/gzip"}[gz]
			t.Run(name, func(t *testing.T) {
				body := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1+2*i+j, icimstest.StatusNewSubmission, icimstest.StatusReviewed)
				res := e.post(body, postOpts{gzip: gz, sign: sign})
				require.Equal(t, http.StatusOK, res.status, string(res.body))
				d := e.lastDelivery()
				assert.Equal(t, assessments.EventStatusChange, d.Kind)
				assert.Equal(t, assessments.DeliveryIgnored, d.Status, "no rule yet")
				attempts, err := e.app.events.events.Attempts(context.Background(), e.tenant.ID, d.ID)
				require.NoError(t, err)
				require.Len(t, attempts, 1)
				assert.JSONEq(t, string(body), attempts[0].RequestBody, "the inflated body is kept")
				assert.NotContains(t, attempts[0].RequestHeaders, "Authorization", "secrets are removed")
				assert.Equal(t, http.StatusOK, attempts[0].ResponseStatus)
			})
		}
	}
}

func TestEventsIntakeErrorPaths(t *testing.T) {
	e := newEventsEnv(t)
	basic := e.issue(assessments.InboundBasic)
	good := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusNewSubmission, icimstest.StatusReviewed)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	_, _ = zw.Write([]byte(`{"eventType":"` + strings.Repeat("x", 2<<20) + `"}`))
	require.NoError(t, zw.Close())
	wrongPassword := func(_ *testing.T, req *http.Request, _ []byte) { req.SetBasicAuth("jc-1234-aaaaaa", "nope") }

	cases := []struct {
		name     string
		body     []byte
		opts     postOpts
		status   int
		message  string
		recorded bool // authenticated refusals go to the tenant's logs
	}{
		{"unknown customer", statusEvent("9999", icimstest.USWorkflow1, "", icimstest.StatusReviewed), postOpts{sign: basic},
			http.StatusUnauthorized, "could not verify", true}, // as for any customer but the credentials' own
		{"no credentials", good, postOpts{}, http.StatusUnauthorized, "could not verify", false},
		{"wrong credentials", good, postOpts{sign: wrongPassword}, http.StatusUnauthorized, "could not verify", false},
		{"malformed JSON", []byte(`{"eventType": "WorkFlowStatusChangeEvent",`), postOpts{sign: basic},
			http.StatusBadRequest, "not valid JSON", true},
		{"missing required field", []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"1234","systemId":"3001","jobId":"2001","personId":"1001"}`),
			postOpts{sign: basic}, http.StatusBadRequest, "missing the required field {{applicantworkflow.status}}", true},
		{"unsupported content type", good, postOpts{sign: basic, contentType: "text/plain"},
			http.StatusUnsupportedMediaType, "JSON", true},
		{"unsupported encoding", good, postOpts{sign: basic, encoding: "br"},
			http.StatusUnsupportedMediaType, "JSON", true},
		{"body too large", bytes.Repeat([]byte(" "), 1<<20+1), postOpts{sign: basic},
			http.StatusRequestEntityTooLarge, "larger than", false},
		{"gzip bomb", bomb.Bytes(), postOpts{sign: basic, encoding: "gzip"},
			http.StatusRequestEntityTooLarge, "larger than", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.count(`SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound'`)
			res := e.post(c.body, c.opts)
			assert.Equal(t, c.status, res.status, string(res.body))
			assert.Contains(t, res.userMessage(t), c.message)
			after := e.count(`SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound'`)
			if c.recorded {
				require.Equal(t, before+1, after)
				d := e.lastDelivery()
				assert.Equal(t, assessments.DeliveryFailed, d.Status)
				assert.Equal(t, c.status, d.HTTPStatus)
			} else {
				assert.Equal(t, before, after, "an unauthenticated request writes nothing")
			}
			assert.Zero(t, e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`))
		})
	}
}

func TestEventsRedeliveryIsAnsweredAsTheFirstTime(t *testing.T) {
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Assessment"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	e.addRule(url.Values{"name": {"Review"}, "mode": {"manual"}, "to_0": {icimstest.StatusRecruiterReview},
		"package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)}})
	sign := e.issue(assessments.InboundBasic)

	auto := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusNewSubmission, icimstest.StatusAssessment)
	first := e.post(auto, postOpts{gzip: true, sign: sign})
	require.Equal(t, http.StatusOK, first.status, string(first.body))
	firstDelivery := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, firstDelivery.Status, firstDelivery.Message)

	again := e.post(auto, postOpts{sign: sign}) // same inflated body, sent plain this time
	assert.Equal(t, first, again, "answered exactly as the first time")
	re := e.lastDelivery()
	assert.Equal(t, assessments.DeliveryDuplicate, re.Status)
	assert.Equal(t, firstDelivery.ID, re.RedeliveryOf)
	assert.Contains(t, re.Message, "Redelivery")
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`), "no new work")
	assert.Len(t, e.sendJobs(), 1)

	// A 303 is replayed with the same Location.
	manual := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow2, icimstest.StatusNewSubmission, icimstest.StatusRecruiterReview)
	first = e.post(manual, postOpts{sign: sign})
	require.Equal(t, http.StatusSeeOther, first.status)
	again = e.post(manual, postOpts{sign: sign})
	assert.Equal(t, first.location, again.location)

	// A different event for the live package is the friendly duplicate.
	other := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusReviewed, icimstest.StatusAssessment)
	dup := e.post(other, postOpts{sign: sign})
	assert.Equal(t, http.StatusBadRequest, dup.status)
	inv := e.invitation(firstDelivery.InvitationID)
	sent := inv.CreatedAt
	if !inv.SentAt.IsZero() {
		sent = inv.SentAt
	}
	assert.Equal(t, assessments.DuplicateRequestMessage(sent), dup.userMessage(t), "the friendly 400 says when it was sent")
	d := e.lastDelivery()
	assert.Equal(t, assessments.DeliveryDuplicate, d.Status)
	assert.Zero(t, d.RedeliveryOf)
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`))
}

func TestEventsDeliveryAndItsJobCommitTogether(t *testing.T) {
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Assessment"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	sign := e.issue(assessments.InboundBasic)
	body := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusNewSubmission, icimstest.StatusAssessment)
	before := e.count(`SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound'`)

	// The job insert fails after the delivery row was written in the same
	// transaction: neither is kept and iCIMS is told to try again.
	_, err := e.app.DB.W.Exec(`ALTER TABLE river_job RENAME TO river_job_away`)
	require.NoError(t, err)
	res := e.post(body, postOpts{sign: sign})
	_, err = e.app.DB.W.Exec(`ALTER TABLE river_job_away RENAME TO river_job`)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, res.status, string(res.body))
	assert.Equal(t, assessments.MessageTemporary, res.userMessage(t))
	assert.Equal(t, before, e.count(`SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound'`), "no delivery without its job")
	assert.Zero(t, e.count(`SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.direction = 'inbound'`)-e.count(`SELECT COUNT(*) FROM deliveries WHERE direction = 'inbound'`))

	// iCIMS's retry is a new delivery, not a redelivery of a failure.
	res = e.post(body, postOpts{sign: sign})
	require.Equal(t, http.StatusOK, res.status, string(res.body))
	d := e.settled()
	assert.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	assert.Equal(t, 1, e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`))
}

func TestEventsOfOtherTypesAreRecordedAndIgnored(t *testing.T) {
	e := newEventsEnv(t)
	body := []byte(`{"eventType":"JobPostToWebEvent","customerId":"1234","systemId":"2001"}`)
	res := e.post(body, postOpts{gzip: true, sign: e.issue(assessments.InboundBasic)})
	require.Equal(t, http.StatusOK, res.status, string(res.body))
	d := e.lastDelivery()
	assert.Equal(t, "JobPostToWebEvent", d.Kind)
	assert.Equal(t, assessments.DeliveryIgnored, d.Status)
	assert.Zero(t, e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'process_events'`))
}
