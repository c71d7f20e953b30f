package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

// retentionFixture holds one tenant's data on both sides of a 90-day
// cutoff, and another tenant's old data that a purge of the first must
// not touch.
type retentionFixture struct {
	*invFixture
	store  *storage.RetentionStore
	cutoff time.Time
	// Invitations: finished long ago; finished exactly at the cutoff;
	// finished after it; started long ago and still open.
	old, edge, recent, live assessments.Invitation
	other                   assessments.Invitation
	// Deliveries: before the cutoff, at it, after it, the other tenant's.
	oldD, edgeD, newD, otherD int64
}

func (f *retentionFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.R.QueryRow(query, args...).Scan(&n))
	return n
}

func (f *retentionFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	_, err := f.db.W.Exec(query, args...)
	require.NoError(t, err)
}

// personal gives an invitation everything retention must remove later.
func (f *retentionFixture) personal(t *testing.T, inv assessments.Invitation, at time.Time) {
	t.Helper()
	f.exec(t, `INSERT INTO answers (tenant_id, invitation_id, instrument_id, item_id, value, answered_at) VALUES (?, ?, 'big-five-work', 'o1', 4, ?), (?, ?, 'big-five-work', 'o2', 2, ?)`,
		inv.TenantID, inv.ID, at, inv.TenantID, inv.ID, at)
	f.exec(t, `INSERT INTO attempts (tenant_id, invitation_id, instrument_id, started_at) VALUES (?, ?, 'big-five-work', ?)`, inv.TenantID, inv.ID, at)
	f.exec(t, `INSERT INTO invitation_links (invitation_id, tenant_id, token_sealed) VALUES (?, ?, 'sealed')`, inv.ID, inv.TenantID)
	f.exec(t, `INSERT INTO accommodation_requests (tenant_id, invitation_id, message, created_at) VALUES (?, ?, 'I use a screen reader', ?)`,
		inv.TenantID, inv.ID, at)
	f.exec(t, `INSERT INTO results (tenant_id, invitation_id, package_id, overall, verdict, summary, completed_at) VALUES (?, ?, ?, 71, 'Recommended', 'Openness 70.', ?)`,
		inv.TenantID, inv.ID, inv.PackageID, at)
	f.exec(t, `INSERT INTO invitation_emails (tenant_id, invitation_id, kind, send_key, message_id, status, error, created_at, updated_at)
		VALUES (?, ?, 'invitation', 'invitation', '<m@x>', 'failed', '550 no such user ada@example.com', ?, ?)`, inv.TenantID, inv.ID, at, at)
	f.exec(t, `INSERT INTO invitation_events (tenant_id, invitation_id, from_status, status, at, detail) VALUES (?, ?, 'sent', 'sent', ?, 'The mail server refused the e-mail to ada@example.com')`,
		inv.TenantID, inv.ID, at)
	f.exec(t, `INSERT INTO dev_mailbox (tenant_id, invitation_id, message_id, to_address, from_address, subject, created_at) VALUES (?, ?, 'm', 'ada@example.com', 'a@jc.test', 'Your assessment', ?)`,
		inv.TenantID, inv.ID, at)
}

func (f *retentionFixture) delivery(t *testing.T, tenantID int64, at time.Time) int64 {
	t.Helper()
	id := insertDeliveries(t, f.db, []logRow{{tenant: tenantID, direction: "inbound", kind: assessments.EventStatusChange,
		status: "processed", workflow: "w1", person: "p1", at: at}})[0]
	f.exec(t, `UPDATE deliveries SET message = 'Invitation e-mail to ada@example.com accepted.', location_sealed = 'sealed', dedupe_key = public_id WHERE id = ?`,
		id)
	f.exec(t, `INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, method, url, request_headers, request_body, response_status, response_body, error, created_at)
		VALUES (?, ?, 1, 'POST', '/icims/events', '{"Link":"<x>; title=\"Ada Lovelace\""}', '{"personId":"p1"}', 200, '{"ok":true}', 'to ada@example.com', ?)`,
		tenantID, id, at)
	return id
}

func (f *retentionFixture) finished(t *testing.T, workflow string) assessments.Invitation {
	t.Helper()
	inv, _ := f.invite(t, workflow)
	inv, err := f.invitations.Transition(context.Background(), inv.TenantID, inv.ID, assessments.StatusCancelled, "test")
	require.NoError(t, err)
	f.personal(t, inv, f.clock.Now())
	return inv
}

func newRetentionFixture(t *testing.T) *retentionFixture {
	t.Helper()
	f := &retentionFixture{invFixture: newInvFixture(t)}
	f.store = storage.NewRetentionStore(f.db, f.clock)
	f.store.BatchSize = 2 // several batches even with a few rows
	start := f.clock.Now()
	f.cutoff = start.Add(10 * 24 * time.Hour)

	f.old = f.finished(t, "w-old")
	f.oldD = f.delivery(t, f.tenantID, start)
	live, _ := f.invite(t, "w-live")
	var err error
	f.live, err = f.invitations.MarkSent(context.Background(), f.tenantID, live.ID)
	require.NoError(t, err)
	f.exec(t, `UPDATE invitations SET expires_at = ? WHERE id = ?`, start.AddDate(1, 0, 0), f.live.ID)
	otherTenant := f.tenant(t, "5678")
	otherPkg := f.newPackage(t, otherTenant, "Other", "big-five-work")
	n := f.newInvitation("w-x")
	n.TenantID, n.PackageID = otherTenant, otherPkg.ID
	f.other, _, err = f.invitations.Create(context.Background(), n)
	require.NoError(t, err)
	f.other, err = f.invitations.Transition(context.Background(), otherTenant, f.other.ID, assessments.StatusCancelled, "test")
	require.NoError(t, err)
	f.personal(t, f.other, start)
	f.otherD = f.delivery(t, otherTenant, start)

	f.clock.Advance(10 * 24 * time.Hour) // exactly the cutoff: kept
	f.edge = f.finished(t, "w-edge")
	f.edgeD = f.delivery(t, f.tenantID, f.clock.Now())
	f.clock.Advance(time.Hour)
	f.recent = f.finished(t, "w-recent")
	f.newD = f.delivery(t, f.tenantID, f.clock.Now())
	f.clock.Advance(90*24*time.Hour - time.Hour) // now − 90 days = the cutoff
	require.Equal(t, f.cutoff, assessments.RetentionCutoff(f.clock.Now(), 90))
	return f
}

func TestRetentionPurgesExactlyWhatIsPastTheCutoff(t *testing.T) {
	f := newRetentionFixture(t)
	ctx := context.Background()
	invitationsBefore := f.count(t, `SELECT COUNT(*) FROM invitations`)
	deliveriesBefore := f.count(t, `SELECT COUNT(*) FROM deliveries`)
	daysBefore := f.count(t, `SELECT SUM(total) FROM delivery_days`)

	counts, err := f.store.Purge(ctx, f.tenantID, f.cutoff, 90)
	require.NoError(t, err)
	assert.Equal(t, assessments.PurgeCounts{Invitations: 1, Answers: 2, Timings: 1, Accommodations: 1, Links: 1, Reports: 1,
		Events: 1, Emails: 1, Deliveries: 1, Attempts: 1, Mailbox: 1}, counts)

	t.Run("the old invitation is emptied, its row and status kept", func(t *testing.T) {
		inv, err := f.invitations.Invitation(ctx, f.tenantID, f.old.ID)
		require.NoError(t, err)
		assert.Empty(t, inv.CandidateFirstName+inv.CandidateLastName+inv.CandidateEmail)
		assert.Equal(t, assessments.StatusCancelled, inv.Status)
		assert.Equal(t, f.old.CreatedAt, inv.CreatedAt)
		for _, table := range []string{"answers", "attempts", "invitation_links"} {
			assert.Zero(t, f.count(t, `SELECT COUNT(*) FROM `+table+` WHERE invitation_id = ?`, f.old.ID), table)
		}
		assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM results WHERE invitation_id = ? AND revoked_at IS NOT NULL AND overall = 71`, f.old.ID),
			"the score stays for norms, the report link is withdrawn")
		assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM accommodation_requests WHERE invitation_id = ? AND message = ''`, f.old.ID))
		assert.Zero(t, f.count(t, `SELECT COUNT(*) FROM invitation_events WHERE invitation_id = ? AND detail LIKE '%@%'`, f.old.ID))
		assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM invitation_emails WHERE invitation_id = ? AND error = '550 no such user [address deleted]'`, f.old.ID))
		assert.Zero(t, f.count(t, `SELECT COUNT(*) FROM dev_mailbox WHERE invitation_id = ?`, f.old.ID))
	})
	t.Run("the old delivery keeps its metadata only", func(t *testing.T) {
		var message, payload, sealed string
		var dedupe *string
		var purged *time.Time
		require.NoError(t, f.db.R.QueryRow(`SELECT message, payload, location_sealed, dedupe_key, purged_at FROM deliveries WHERE id = ?`, f.oldD).
			Scan(&message, &payload, &sealed, &dedupe, &purged))
		assert.Equal(t, "Invitation e-mail to [address deleted] accepted.", message)
		assert.NotContains(t, payload, "Person")
		assert.Contains(t, payload, `"workflow_id":"w1"`)
		assert.Empty(t, sealed)
		assert.Nil(t, dedupe)
		assert.NotNil(t, purged)
		assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM delivery_attempts WHERE delivery_id = ? AND request_headers = '{}'
			AND request_body = '' AND response_body = '' AND error = 'to [address deleted]' AND response_status = 200 AND method = 'POST'`, f.oldD))
	})
	t.Run("everything at or after the cutoff is untouched", func(t *testing.T) {
		for _, inv := range []assessments.Invitation{f.edge, f.recent, f.live} {
			got, err := f.invitations.Invitation(ctx, f.tenantID, inv.ID)
			require.NoError(t, err)
			assert.Equal(t, "ada@example.com", got.CandidateEmail, inv.WorkflowID)
		}
		for _, inv := range []assessments.Invitation{f.edge, f.recent} {
			assert.Equal(t, 2, f.count(t, `SELECT COUNT(*) FROM answers WHERE invitation_id = ?`, inv.ID), inv.WorkflowID)
			assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM invitation_links WHERE invitation_id = ?`, inv.ID), inv.WorkflowID)
			assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM dev_mailbox WHERE invitation_id = ?`, inv.ID), inv.WorkflowID)
			assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM results WHERE invitation_id = ? AND revoked_at IS NULL`, inv.ID), inv.WorkflowID)
		}
		for _, id := range []int64{f.edgeD, f.newD} {
			assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM deliveries WHERE id = ? AND purged_at IS NULL AND payload LIKE '%Person%'`, id))
			assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM delivery_attempts WHERE delivery_id = ? AND request_body != ''`, id))
		}
	})
	t.Run("another tenant is untouched", func(t *testing.T) {
		got, err := f.invitations.Invitation(ctx, f.other.TenantID, f.other.ID)
		require.NoError(t, err)
		assert.Equal(t, "ada@example.com", got.CandidateEmail)
		assert.Equal(t, 2, f.count(t, `SELECT COUNT(*) FROM answers WHERE invitation_id = ?`, f.other.ID))
		assert.Equal(t, 1, f.count(t, `SELECT COUNT(*) FROM deliveries WHERE id = ? AND purged_at IS NULL`, f.otherD))
	})
	t.Run("the counts survive", func(t *testing.T) {
		assert.Equal(t, invitationsBefore, f.count(t, `SELECT COUNT(*) FROM invitations`))
		assert.Equal(t, deliveriesBefore, f.count(t, `SELECT COUNT(*) FROM deliveries`))
		assert.Equal(t, daysBefore, f.count(t, `SELECT SUM(total) FROM delivery_days`), "the chart's counts")
		assert.Equal(t, 2, f.count(t, `SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND status = 'cancelled' AND purged_at IS NULL`, f.tenantID))
		assert.Equal(t, 3, f.count(t, `SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND status = 'cancelled'`, f.tenantID))
	})
	t.Run("the run and the purge are recorded, and a second run finds nothing", func(t *testing.T) {
		again, err := f.store.Purge(ctx, f.tenantID, f.cutoff, 90)
		require.NoError(t, err)
		assert.Zero(t, again.Total())
		st, err := f.store.RetentionState(ctx, f.tenantID, 5)
		require.NoError(t, err)
		assert.Equal(t, f.clock.Now(), st.LastRun)
		assert.Equal(t, f.cutoff, st.LastCutoff)
		require.Len(t, st.Purges, 1, "a run that removed nothing adds no purge")
		assert.Equal(t, counts, st.Purges[0].Counts)
		assert.Equal(t, 90, st.Purges[0].Days)
		assert.False(t, st.Policy.Custom)
		assert.Equal(t, assessments.DefaultRetentionDays, st.Policy.Days)
	})
}

func TestRetentionPolicyOverride(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	store := storage.NewRetentionStore(f.db, f.clock)
	p, err := store.RetentionPolicy(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Equal(t, assessments.RetentionPolicy{Days: 90}, p)
	require.NoError(t, store.SaveRetentionPolicy(ctx, f.tenantID, 30, assessments.Actor{AdminID: 7}))
	p, err = store.RetentionPolicy(ctx, f.tenantID)
	require.NoError(t, err)
	assert.Equal(t, assessments.RetentionPolicy{Days: 30, Custom: true, UpdatedAt: f.clock.Now()}, p)
	assert.Error(t, store.SaveRetentionPolicy(ctx, f.tenantID, 3, assessments.Actor{}), "the table refuses what the domain refuses")
}
