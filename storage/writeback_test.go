package storage_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

// mark runs MarkTx in its own transaction, as a transition's hook does.
func mark(t *testing.T, f *invFixture, s *storage.WritebackStore, inv assessments.Invitation) int64 {
	t.Helper()
	var owner int64
	require.NoError(t, f.db.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		owner, err = s.MarkTx(context.Background(), tx, inv.TenantID, inv.ID)
		return err
	}))
	return owner
}

func TestWritebackStreamIsNeverLeftWithoutAnOwner(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	s := storage.NewWritebackStore(f.db, f.clock, nil, f.catalog)
	inv, _ := f.invite(t, "w1")

	assert.Zero(t, mark(t, f, s, inv), "nobody owns a new stream: the hook queues a job")
	snap, owner, err := s.Claim(ctx, inv.TenantID, inv.ID, 7)
	require.NoError(t, err)
	require.Equal(t, int64(7), owner)
	assert.Equal(t, inv.ID, snap.Invitation.ID)
	assert.True(t, snap.Settings.InProgress, "In-Progress is on by default")

	_, owner, err = s.Claim(ctx, inv.TenantID, inv.ID, 8)
	require.NoError(t, err)
	assert.Equal(t, int64(7), owner, "a second job does not claim an owned stream")

	// A transition while job 7 works finds the stream owned...
	assert.Equal(t, int64(7), mark(t, f, s, inv))
	// ...so job 7 cannot let go of the version it read.
	released, err := s.Release(ctx, inv.TenantID, inv.ID, 7, snap.Writeback.Version)
	require.NoError(t, err)
	assert.False(t, released, "the newer version keeps the stream with its job")
	again, err := s.Snapshot(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	released, err = s.Release(ctx, inv.TenantID, inv.ID, 7, again.Writeback.Version)
	require.NoError(t, err)
	assert.True(t, released)
	wb, err := s.Writeback(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.WritebackDone, wb.State)
	assert.Zero(t, wb.JobID)
	assert.Zero(t, mark(t, f, s, inv), "the next transition queues a job again")

	// A job that stopped running (snoozed, retrying) can be taken over.
	_, owner, err = s.Claim(ctx, inv.TenantID, inv.ID, 9)
	require.NoError(t, err)
	require.Equal(t, int64(9), owner)
	_, owner, err = s.TakeOver(ctx, inv.TenantID, inv.ID, 9, 10)
	require.NoError(t, err)
	assert.Equal(t, int64(10), owner)
	_, owner, err = s.TakeOver(ctx, inv.TenantID, inv.ID, 9, 11)
	require.NoError(t, err)
	assert.Equal(t, int64(10), owner, "only from the job that owns it")
}

func TestWritebackProblemsAndRetryAreScopedByTenant(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	s := storage.NewWritebackStore(f.db, f.clock, nil, f.catalog)
	inv, _ := f.invite(t, "w1")
	mark(t, f, s, inv)
	require.NoError(t, s.Hold(ctx, inv.TenantID, inv.ID, assessments.WritebackFailed, "Scorecard field not found.", "Create it.", f.clock.Now(), false))

	other := f.tenant(t, "5678")
	problems, err := s.Problems(ctx, other)
	require.NoError(t, err)
	assert.Empty(t, problems)
	problems, err = s.Problems(ctx, inv.TenantID)
	require.NoError(t, err)
	require.Len(t, problems, 1)
	assert.Equal(t, "Ada Lovelace", problems[0].Candidate)
	assert.Equal(t, "Scorecard field not found.", problems[0].Problem)

	ensure := func(context.Context, *sql.Tx, int64, int64, int64) (int64, error) { return 42, nil }
	err = s.RetryWith(ctx, other, inv.ID, ensure)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "another tenant's write is not found")
	require.NoError(t, s.RetryWith(ctx, inv.TenantID, inv.ID, ensure))
	wb, err := s.Writeback(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.WritebackPending, wb.State)
	assert.Empty(t, wb.Problem)
	assert.Equal(t, int64(42), wb.JobID)
}
