package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/views"
)

// logsEnv is the events environment with an auto-send rule for Big Five on
// entry to the Assessment status.
type logsEnv struct {
	*eventsEnv
	ruleID int64
}

func newLogsEnv(t *testing.T) *logsEnv {
	t.Helper()
	return logsEnvOn(newEventsEnv(t))
}

// logsEnvOn adds the logs environment's rule to e.
func logsEnvOn(e *eventsEnv) *logsEnv {
	e.t.Helper()
	id := e.addRule(url.Values{"name": {"Assessment stage"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})
	return &logsEnv{eventsEnv: e, ruleID: id}
}

// logsPage opens the logs with a query.
func (e *logsEnv) logsPage(query string) page {
	e.t.Helper()
	u := e.app.URL + views.LogsPath
	if query != "" {
		u += "?" + query
	}
	p := e.b.get(u)
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	return p
}

// createdAt returns each delivery's created_at, in the order of ids.
func (e *logsEnv) createdAt(ids []int64) []time.Time {
	e.t.Helper()
	out := make([]time.Time, len(ids))
	for i, id := range ids {
		require.NoError(e.t, e.app.DB.R.QueryRow(`SELECT created_at FROM deliveries WHERE id = ?`, id).Scan(&out[i]))
	}
	return out
}

// deliveryPage opens one delivery's page.
func (e *logsEnv) deliveryPage(id int64) page {
	e.t.Helper()
	p := e.b.get(e.app.URL + views.LogPath(id, ""))
	require.Equal(e.t, http.StatusOK, p.Status, p.Body)
	return p
}

// waitSent waits until the invitation's e-mail was accepted.
func (e *logsEnv) waitSent(id int64) assessments.Invitation {
	e.t.Helper()
	var inv assessments.Invitation
	require.Eventually(e.t, func() bool {
		inv = e.invitation(id)
		return inv.Status == assessments.StatusSent
	}, 20*time.Second, 20*time.Millisecond, "the invitation e-mail was not sent")
	return inv
}

// candidateToken reads the candidate link's token from the dev mailbox.
func (e *logsEnv) candidateToken() string {
	e.t.Helper()
	msgs, err := storage.NewMailbox(e.app.DB, assessments.SystemClock{}).List(context.Background(), 10, 0)
	require.NoError(e.t, err)
	for _, m := range msgs {
		if tok := candidateLinkToken.FindStringSubmatch(m.Text); tok != nil {
			return tok[1]
		}
	}
	e.t.Fatal("no candidate link in the mailbox")
	return ""
}

var candidateLinkToken = regexp.MustCompile(`/a/([A-Za-z0-9_-]{20,})`)

// complete is the candidate finishing: opened, started, scored, as the
// candidate pages would record it.
func (e *logsEnv) complete(inv assessments.Invitation) {
	e.t.Helper()
	ctx := context.Background()
	for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress} {
		_, err := e.app.invitations.Transition(ctx, e.tenant.ID, inv.ID, s, "test")
		require.NoError(e.t, err)
	}
	now := time.Now().UTC()
	_, err := e.app.results.Complete(ctx, assessments.PackageResult{TenantID: e.tenant.ID, InvitationID: inv.ID,
		Overall: 71, Verdict: assessments.VerdictRecommended, Summary: "Openness 70.", StartedAt: now.Add(-10 * time.Minute), CompletedAt: now})
	require.NoError(e.t, err)
}

// otherTenantDelivery records a delivery of another customer, straight in
// the database, and returns its id.
func (e *logsEnv) otherTenantDelivery() int64 {
	e.t.Helper()
	now := time.Now().UTC()
	var tenantID, id int64
	require.NoError(e.t, e.app.DB.W.QueryRow(`INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES ('9999', 'Other', ?, ?) RETURNING id`,
		now, now).Scan(&tenantID))
	require.NoError(e.t, e.app.DB.W.QueryRow(`INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id, payload, created_at, updated_at)
		VALUES (?, 'other-1', 'inbound', ?, 'failed', '3001', '{"type":"WorkFlowStatusChangeEvent"}', ?, ?) RETURNING id`,
		tenantID, assessments.EventStatusChange, now, now).Scan(&id))
	return id
}
