package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// storedLogText is every text column the logs keep, for one tenant.
func (e *logsEnv) storedLogText() string {
	e.t.Helper()
	var b strings.Builder
	rows, err := e.app.DB.R.Query(`SELECT method || ' ' || url || ' ' || request_headers || ' ' || request_body || ' ' ||
		response_body || ' ' || error FROM delivery_attempts WHERE tenant_id = ?
		UNION ALL SELECT message || ' ' || payload || ' ' || kind FROM deliveries WHERE tenant_id = ?`, e.tenant.ID, e.tenant.ID)
	require.NoError(e.t, err)
	defer rows.Close()
	for rows.Next() {
		var s string
		require.NoError(e.t, rows.Scan(&s))
		b.WriteString(s)
		b.WriteByte('\n')
	}
	require.NoError(e.t, rows.Err())
	return b.String()
}

// TestLogsKeepNoSecretsAndShowNone runs the whole loop (an event posted
// with credentials and a cookie, a recruiter-confirm rule whose answer
// holds a confirm link, the invitation e-mail with the candidate link, the
// write-backs with the tenant's OAuth token) and then proves that neither
// the stored logs nor any delivery page holds a credential or a link's
// token.
func TestLogsKeepNoSecretsAndShowNone(t *testing.T) {
	e := logsEnvOn(newInstalledEventsEnv(t))
	ctx := context.Background()
	creds, err := e.app.tenants.Credentials(ctx, e.tenant.ID)
	require.NoError(t, err)
	require.NotEmpty(t, creds.AccessToken)
	inboundCred, err := e.app.events.inbound.Issue(ctx, e.tenant.ID, assessments.InboundBasic)
	require.NoError(t, err)

	// An event posted by hand with Basic auth, a cookie and a token header.
	body := statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusReviewed, icimstest.StatusAssessment)
	req, err := http.NewRequest(http.MethodPost, e.app.URL+"/icims/events", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(inboundCred.Identifier, inboundCred.Secret)
	req.Header.Set("Cookie", "jc_session=cookie-secret-value")
	req.Header.Set("X-Api-Token", "header-token-value")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	d := e.settled()
	require.Equal(t, assessments.DeliveryProcessed, d.Status, d.Message)
	inv := e.waitSent(d.InvitationID)
	token := e.candidateToken()

	// A recruiter-confirm rule: iCIMS is answered with a confirm link.
	e.addRule(url.Values{"name": {"Confirm"}, "mode": {"manual"}, "to_0": {icimstest.StatusRecruiterReview},
		"package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)}})
	confirm := e.move(icimstest.USWorkflow2, icimstest.StatusRecruiterReview)
	require.Equal(t, http.StatusSeeOther, confirm.StatusCode)
	confirmToken := confirm.Location[strings.LastIndex(confirm.Location, "/")+1:]
	require.NotEmpty(t, confirmToken)

	// The candidate finishes: the write-back writes Complete with the
	// tenant's token.
	e.complete(inv)
	require.Eventually(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM writebacks WHERE invitation_id = ? AND written = 'completed' AND job_id IS NULL`, inv.ID) == 1
	}, 30*time.Second, 20*time.Millisecond)

	secrets := map[string]string{
		"the tenant's OAuth token": creds.AccessToken, "the inbound password": inboundCred.Secret,
		"the cookie": "cookie-secret-value", "the token header": "header-token-value",
		"the candidate token": token, "the confirm token": confirmToken,
	}
	if creds.RefreshToken != "" {
		secrets["the refresh token"] = creds.RefreshToken
	}
	stored := e.storedLogText()
	require.Contains(t, stored, "WorkFlowStatusChangeEvent", "the logs hold the exchanges themselves")
	for what, s := range secrets {
		assert.NotContains(t, stored, s, "storage holds %s", what)
	}
	assert.NotContains(t, stored, "Authorization")
	assert.NotContains(t, stored, "Basic ")

	rows := rowIDs(e.logsPage("").Body)
	require.GreaterOrEqual(t, len(rows), 5)
	for _, id := range rows {
		p := e.deliveryPage(id)
		for what, s := range secrets {
			assert.NotContains(t, p.Body, s, "delivery %d shows %s", id, what)
		}
	}
}

// TestLogsPageRedactsWhatStorageHolds puts an exchange with secrets in its
// bodies into the logs (a token exchange) and checks the page masks them.
func TestLogsPageRedactsWhatStorageHolds(t *testing.T) {
	e := newLogsEnv(t)
	now := time.Now().UTC()
	var id int64
	require.NoError(t, e.app.DB.W.QueryRow(`INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, payload, created_at, updated_at)
		VALUES (?, 'token-1', 'outbound', 'icims.read', 'processed', '{}', ?, ?) RETURNING id`, e.tenant.ID, now, now).Scan(&id))
	_, err := e.app.DB.W.Exec(`INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url, request_headers, request_body,
			response_status, response_body, error, created_at)
		VALUES (?, ?, 1, 'POST', 'https://login.icims.com/oauth/token?client_secret=qs-secret-1', '{"Authorization":"Basic aGVsbG86d29ybGQ=","Cookie":"c=cookie-secret-2"}',
			'grant_type=refresh_token&refresh_token=form-secret-3&client_secret=form-secret-4', 200,
			'{"access_token":"json-secret-5","refresh_token":"json-secret-6","token_type":"Bearer","link":"https://x/a/candidate-secret-7"}',
			'see https://x/icims/confirm/confirm-secret-8', ?)`, e.tenant.ID, id, now)
	require.NoError(t, err)

	p := e.deliveryPage(id)
	for _, s := range []string{"qs-secret-1", "aGVsbG86d29ybGQ=", "cookie-secret-2", "form-secret-3", "form-secret-4",
		"json-secret-5", "json-secret-6", "candidate-secret-7", "confirm-secret-8"} {
		assert.NotContains(t, p.Body, s)
	}
	assert.Contains(t, p.Body, assessments.Redacted)
	assert.Contains(t, htmlUnescape(p.Body), "grant_type=refresh_token", "what is not secret stays readable")
}
