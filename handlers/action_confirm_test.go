package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/handlers"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/storage"
)

// fakeResends is the job queue's resend side: it counts the resends queued
// and records the last, held to the resend interval like the real one; and
// its extension side, which records the deadline asked for.
type fakeResends struct {
	mu       sync.Mutex
	clock    assessments.Clock
	queued   int
	last     time.Time
	extended time.Time
}

func (f *fakeResends) QueueResend(context.Context, int64, int64, string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	if !f.last.IsZero() && now.Before(f.last.Add(assessments.ResendInterval)) {
		return assessments.ResendTooSoon(f.last.Add(assessments.ResendInterval))
	}
	f.queued++
	f.last = now
	return nil
}

func (f *fakeResends) Extend(_ context.Context, _, _ int64, until time.Time) (assessments.Invitation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.extended = until
	return assessments.Invitation{ExpiresAt: until}, nil
}

func (f *fakeResends) extendedTo() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.extended
}

func (f *fakeResends) LastResend(context.Context, int64, int64) (time.Time, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last, !f.last.IsZero(), nil
}

func (f *fakeResends) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queued
}

// actionAreas adds the invitation and logs areas to the site (their
// confirmation steps are tested here) and the dashboard's requests.
func (s *site) actionAreas(h *handlers.Areas, shared *handlers.Shared) {
	s.resends = &fakeResends{clock: s.clock}
	h.Admin.Accommodations = s.invitations
	events := storage.NewEventStore(s.db, s.keys, s.clock, s.invitations)
	h.Invitations = &handlers.Invitations{Shared: shared, Invitations: s.invitations, Catalog: s.catalog,
		InvitationPages: storage.NewLifecycleStore(s.db, s.invitations, storage.NewEmailStore(s.db, s.keys, s.clock, s.invitations, nil)),
		Lifecycle:       &assessments.Lifecycle{Invitations: s.invitations, Jobs: s.resends, Resends: s.resends, Clock: s.clock}}
	h.Logs = &handlers.Logs{Shared: shared, Logs: &assessments.Logs{Store: storage.NewLogStore(s.db), Events: events,
		Completed: s.invitations, Clock: s.clock}}
}

var seenField = regexp.MustCompile(`name="seen" value="([^"]+)"`)

func TestResendConfirmsAndADoubleSubmitQueuesOne(t *testing.T) {
	s := newSite(t)
	sb := s.seed(t, storage.SandboxSeed{CustomerID: "4100", FirstName: "Rae", LastName: "Twice", Email: "rae@example.org"})
	_, err := s.invitations.MarkSent(context.Background(), sb.TenantID, sb.Invitation.ID)
	require.NoError(t, err)
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)

	confirm := c.get(routes.InvitationResendConfirm(sb.Invitation.ID))
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, confirm.Body, "Send the invitation again?")
	assert.Contains(t, confirm.Body, "rae@example.org")
	assert.Zero(t, s.resends.count(), "asking queues nothing")
	token := seenField.FindStringSubmatch(confirm.Body)
	require.Len(t, token, 2)

	form := url.Values{"seen": {token[1]}}
	first := c.postForm(confirm, routes.InvitationResend(sb.Invitation.ID), form)
	require.Equal(t, http.StatusSeeOther, first.Status, first.Body)
	second := c.postForm(confirm, routes.InvitationResend(sb.Invitation.ID), form)
	require.Equal(t, http.StatusSeeOther, second.Status, second.Body)
	assert.Equal(t, 1, s.resends.count(), "the double submit queued one resend")
	assert.Contains(t, c.get(second.Location).Body, "this second submit sent nothing")

	// The same form, submitted after the interval, still sends nothing: its
	// token was used.
	s.clock.Advance(assessments.ResendInterval + time.Minute)
	third := c.postForm(confirm, routes.InvitationResend(sb.Invitation.ID), form)
	require.Equal(t, http.StatusSeeOther, third.Status, third.Body)
	assert.Equal(t, 1, s.resends.count())
}

func TestRedeliverOfACompletedCandidateAsksFirst(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sb := s.seed(t, storage.SandboxSeed{CustomerID: "4200", FirstName: "Cleo", LastName: "Done", WorkflowID: "7701"})
	inv := sb.Invitation
	for _, st := range []assessments.InvitationStatus{assessments.StatusSent, assessments.StatusOpened, assessments.StatusInProgress, assessments.StatusCompleted} {
		_, err := s.invitations.Transition(ctx, sb.TenantID, inv.ID, st, "test")
		require.NoError(t, err)
	}
	var id int64
	require.NoError(t, s.db.W.QueryRow(`INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, workflow_id, payload, created_at, updated_at)
		VALUES (?, 'done-1', 'inbound', ?, 'processed', '7701', '{"type":"WorkFlowStatusChangeEvent","customer_id":"4200","workflow_id":"7701"}', ?, ?) RETURNING id`,
		sb.TenantID, assessments.EventStatusChange, siteNow, siteNow).Scan(&id))
	c := s.client(t)
	s.signIn(t, c, sb.TenantID)

	confirm := c.get(routes.LogsRedeliverConfirm(id))
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, confirm.Body, "Cleo Done completed this application")
	assert.Contains(t, confirm.Body, "Invite again anyway")

	refused := c.postForm(confirm, routes.LogsRedeliver(id), url.Values{})
	assert.Equal(t, http.StatusConflict, refused.Status, refused.Body)
	assert.Contains(t, refused.Body, "Nothing was redelivered.")
	var n int
	require.NoError(t, s.db.R.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE redelivery_of = ?`, id).Scan(&n))
	assert.Zero(t, n, "nothing replayed")
}
