package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestCopyToPostgresMovesEverything: a SQLite deployment with a connected
// tenant, invitations (one sent, with its history), events and their
// queued jobs is copied into an empty PostgreSQL database; there the
// stores read the same things back, the credentials open with the same
// key, the queued jobs wait to run, new rows get new ids, and a second
// copy into the same database is refused.
func TestCopyToPostgresMovesEverything(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("the copy's source is SQLite: this test runs in the SQLite pass, with a PostgreSQL target of its own")
	}
	ctx := context.Background()
	f := newEventsFixture(t)
	keys := storetest.NewKeyring(t)
	tenants := storage.NewTenantStore(f.db, keys, f.clock)
	connected, err := tenants.Connect(ctx, assessments.Connection{CustomerID: "5678", Name: "Globex", Region: assessments.RegionUS,
		APIURL: "https://api.icims.test", AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: "globex-api", Password: "s3cret"}})
	require.NoError(t, err)
	sent, _ := f.invite(t, "w1")
	sent, err = f.invitations.MarkSent(ctx, sent.TenantID, sent.ID)
	require.NoError(t, err)
	created, _ := f.invite(t, "w2")
	for _, body := range []string{"a", "b", "a"} { // the second "a" is a redelivery
		_, err := f.events.Accept(ctx, f.acceptance(body, assessments.EventAnswer{Status: 200}))
		require.NoError(t, err)
	}
	jobs := f.queued.Load()
	require.Positive(t, jobs, "the events wait in a process_events job")

	url := storetest.PostgresDatabase(t)
	dst, err := storage.Open(ctx, url, "")
	require.NoError(t, err)
	defer dst.Close()
	_, err = dst.Migrate(ctx)
	require.NoError(t, err)

	rep, err := f.db.CopyTo(ctx, dst)
	require.NoError(t, err)
	copied := map[string]int{}
	for _, tc := range rep.Tables {
		copied[tc.Table] = tc.Rows
	}
	for _, table := range []string{"tenants", "packages", "invitations", "invitation_events", "deliveries", "delivery_attempts", "delivery_days"} {
		var want, got int
		require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&want))
		require.NoError(t, dst.R.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&got))
		assert.Positive(t, want, "%s has rows to copy", table)
		assert.Equal(t, want, got, "%s: every row", table)
		assert.Equal(t, want, copied[table], "%s: the report counts them", table)
	}
	assert.Contains(t, rep.Skipped, "sessions: sessions: admins sign in again")
	var wantDays, gotDays string
	const days = `SELECT COALESCE(SUM(total), 0) || '/' || COALESCE(SUM(failed), 0) FROM delivery_days`
	require.NoError(t, f.db.R.QueryRow(days).Scan(&wantDays))
	require.NoError(t, dst.R.QueryRow(days).Scan(&gotDays))
	assert.Equal(t, wantDays, gotDays, "the logs page's per-day counts, not counted again by the triggers")

	// The stores on PostgreSQL read what the stores on SQLite wrote.
	pgInvitations := storage.NewInvitationStore(dst, nil, f.clock, nil)
	for _, want := range []assessments.Invitation{sent, created} {
		got, err := pgInvitations.Invitation(ctx, want.TenantID, want.ID)
		require.NoError(t, err)
		assert.Equal(t, want.Status, got.Status)
		assert.Equal(t, want.CandidateEmail, got.CandidateEmail)
		assert.Equal(t, want.ReportID, got.ReportID)
		assert.True(t, want.ExpiresAt.Equal(got.ExpiresAt), "expiry %s, copied %s", want.ExpiresAt, got.ExpiresAt)
	}
	history, err := pgInvitations.Events(ctx, sent.TenantID, sent.ID)
	require.NoError(t, err)
	assert.Len(t, history, 2, "created, then sent")
	creds, err := storage.NewTenantStore(dst, keys, f.clock).Credentials(ctx, connected.ID)
	require.NoError(t, err, "the credentials open with the same key")
	assert.Equal(t, "s3cret", creds.Password)

	// The queued jobs wait on PostgreSQL, and new rows do not take copied ids.
	var pending int64
	require.NoError(t, dst.R.QueryRow(`SELECT COALESCE(SUM(jsonb_array_length(args->'deliveries')), 0) FROM river_job
		WHERE kind = 'process_events' AND state = 'available'`).Scan(&pending))
	assert.Equal(t, jobs, pending, "every event still to process")
	assert.Positive(t, rep.Jobs, "the report counts the queued jobs")
	var maxID, next int64
	require.NoError(t, dst.R.QueryRow(`SELECT MAX(id) FROM tenants`).Scan(&maxID))
	require.NoError(t, dst.W.QueryRow(`INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('9999', ?, ?) RETURNING id`,
		f.clock.Now(), f.clock.Now()).Scan(&next))
	assert.Greater(t, next, maxID)

	_, err = f.db.CopyTo(ctx, dst)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already holds data")
}
