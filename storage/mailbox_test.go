package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func mailboxTenant(t *testing.T, db *storage.DB, customerID string) int64 {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	require.NoError(t, db.W.QueryRow(
		`INSERT INTO tenants (customer_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`,
		customerID, now, now).Scan(&id))
	return id
}

func mailboxMessage(tenantID int64, n int) mail.Message {
	return mail.Message{
		TenantID:     tenantID,
		InvitationID: int64(100 + n),
		To:           fmt.Sprintf("cand%d@example.org", n),
		ToName:       "Zoë Ångström",
		FromAddress:  "jobs@acme.example",
		FromName:     "Acme Hiring",
		ReplyTo:      "recruiter@acme.example",
		Subject:      fmt.Sprintf("Your assessment %d", n),
		HTML:         "<p>Hello</p>",
		Text:         "Hello",
		Headers: map[string]string{
			"Message-ID":             fmt.Sprintf("<id%d@acme.example>", n),
			"X-JobCannon-Invitation": fmt.Sprint(100 + n),
		},
	}
}

func TestMailboxSaveAndGet(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	clock := clocktest.New(time.Date(2026, 3, 4, 5, 6, 7, 890000000, time.FixedZone("EST", -5*3600)))
	mb := storage.NewMailbox(db, clock)
	tenant := mailboxTenant(t, db, "1234")

	in := mailboxMessage(tenant, 1)
	id, err := mb.Save(ctx, in)
	require.NoError(t, err)
	require.NotZero(t, id)

	got, err := mb.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, "<id1@acme.example>", got.MessageID)
	assert.Equal(t, time.UTC, got.CreatedAt.Location())
	assert.True(t, clock.Now().Equal(got.CreatedAt), "got %v", got.CreatedAt)
	want := in
	want.Headers = map[string]string{"X-JobCannon-Invitation": "101"}
	assert.Equal(t, want, got.Message, "every field round-trips; Message-ID moves to its own field")
}

func TestMailboxSaveWithoutTenantOrInvitation(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	mb := storage.NewMailbox(db, clocktest.New(time.Now()))
	in := mailboxMessage(0, 1)
	in.InvitationID = 0
	in.Headers = nil
	id, err := mb.Save(ctx, in)
	require.NoError(t, err)
	got, err := mb.Get(ctx, id)
	require.NoError(t, err)
	assert.Zero(t, got.TenantID)
	assert.Zero(t, got.InvitationID)
	assert.Empty(t, got.MessageID)
	assert.Empty(t, got.Headers)

	var nulls int
	require.NoError(t, db.R.QueryRow(
		`SELECT COUNT(*) FROM dev_mailbox WHERE tenant_id IS NULL AND invitation_id IS NULL`).Scan(&nulls))
	assert.Equal(t, 1, nulls, "zero ids are stored as NULL")
}

func TestMailboxRejectsUnknownTenant(t *testing.T) {
	db := storetest.New(t).DB
	mb := storage.NewMailbox(db, clocktest.New(time.Now()))
	_, err := mb.Save(context.Background(), mailboxMessage(999, 1))
	assert.True(t, storage.IsForeignKeyViolation(err), "a foreign key violation: %v", err)
}

func TestMailboxGetMissing(t *testing.T) {
	db := storetest.New(t).DB
	mb := storage.NewMailbox(db, clocktest.New(time.Now()))
	_, err := mb.Get(context.Background(), 42)
	require.Error(t, err)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

func TestMailboxListPages(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	mb := storage.NewMailbox(db, clocktest.New(time.Now()))
	tenant := mailboxTenant(t, db, "1")
	var ids []int64
	for n := range 5 {
		id, err := mb.Save(ctx, mailboxMessage(tenant, n))
		require.NoError(t, err)
		ids = append(ids, id)
	}

	subjects := func(ms []mail.StoredMessage) []string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Subject)
		}
		return s
	}
	cases := []struct {
		name            string
		limit, beforeID int64
		want            []string
	}{
		{"newest first", 2, 0, []string{"Your assessment 4", "Your assessment 3"}},
		{"next page", 2, ids[3], []string{"Your assessment 2", "Your assessment 1"}},
		{"last page is short", 2, ids[1], []string{"Your assessment 0"}},
		{"past the end", 2, ids[0], nil},
		{"default limit takes all", 0, 0, []string{
			"Your assessment 4", "Your assessment 3", "Your assessment 2", "Your assessment 1", "Your assessment 0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := mb.List(ctx, c.limit, c.beforeID)
			require.NoError(t, err)
			assert.Equal(t, c.want, subjects(got))
		})
	}
}

func TestMailboxDeleteOlderThan(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	clock := clocktest.New(time.Time{})
	mb := storage.NewMailbox(db, clock)
	cutoff := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	// Fractional seconds and a non-UTC zone are where text comparison of
	// stored times would go wrong.
	times := []time.Time{
		cutoff.Add(-24 * time.Hour),
		cutoff.Add(-500 * time.Millisecond),
		cutoff,
		cutoff.Add(time.Microsecond),
		cutoff.In(time.FixedZone("CET", 3600)).Add(time.Hour),
	}
	for n, at := range times {
		clock.Set(at)
		_, err := mb.Save(ctx, mailboxMessage(0, n))
		require.NoError(t, err)
	}

	n, err := mb.DeleteOlderThan(ctx, cutoff.In(time.FixedZone("PST", -8*3600)))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "only messages strictly before the cutoff")
	left, err := mb.List(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, left, 3)
	for _, m := range left {
		assert.False(t, m.CreatedAt.Before(cutoff), "kept %v", m.CreatedAt)
	}

	n, err = mb.DeleteOlderThan(ctx, cutoff)
	require.NoError(t, err)
	assert.Zero(t, n, "a second run deletes nothing")
}

func TestMailboxGoesWithItsTenant(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	mb := storage.NewMailbox(db, clocktest.New(time.Now()))
	gone, kept := mailboxTenant(t, db, "1"), mailboxTenant(t, db, "2")
	id1, err := mb.Save(ctx, mailboxMessage(gone, 1))
	require.NoError(t, err)
	id2, err := mb.Save(ctx, mailboxMessage(kept, 2))
	require.NoError(t, err)

	_, err = db.W.ExecContext(ctx, `DELETE FROM tenants WHERE id = ?`, gone)
	require.NoError(t, err)
	_, err = mb.Get(ctx, id1)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	_, err = mb.Get(ctx, id2)
	assert.NoError(t, err)
}
