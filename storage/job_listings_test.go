package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func TestJobListingsKeepRemovedJobsAndStayInTheirTenant(t *testing.T) {
	ctx := context.Background()
	env := storetest.New(t, storetest.At(testNow))
	db := env.DB
	s := storage.NewJobListingStore(db, env.Clock)
	a, b := newLogTenant(t, db, "1001"), newLogTenant(t, db, "1002")
	synced := testNow.Add(-time.Hour)
	require.NoError(t, s.SaveJobListings(ctx, a, []assessments.JobListing{
		{JobID: "10", Title: "Zookeeper", SyncedAt: synced, AssessmentTypes: []assessments.AssessmentType{{ID: "C1", Value: "Reasoning"}}},
		{JobID: "9", Title: "analyst", SyncedAt: synced},
		{JobID: "11", Title: "Baker", SyncedAt: synced},
	}))
	require.NoError(t, s.SaveJobListings(ctx, b, []assessments.JobListing{{JobID: "10", Title: "Other tenant's", SyncedAt: synced}}))

	first := testNow.Add(-30 * time.Minute)
	require.NoError(t, s.MarkJobsRemoved(ctx, a, []string{"11"}, "no longer found in iCIMS", first))
	require.NoError(t, s.MarkJobsRemoved(ctx, a, []string{"11"}, "a later reason", testNow), "marking again keeps the first")

	got, err := s.JobListings(ctx, a)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, []string{"9", "10", "11"}, []string{got[0].JobID, got[1].JobID, got[2].JobID}, "open jobs by title, removed last")
	assert.Equal(t, []assessments.AssessmentType{{ID: "C1", Value: "Reasoning"}}, got[1].AssessmentTypes)
	assert.True(t, got[2].RemovedAt.Equal(first))
	assert.Equal(t, "no longer found in iCIMS", got[2].RemovedReason)
	assert.Equal(t, "Zookeeper", got[1].Title, "the other tenant's job 10 changed nothing here")

	t.Run("a removed job read open again is open again", func(t *testing.T) {
		require.NoError(t, s.SaveJobListings(ctx, a, []assessments.JobListing{{JobID: "11", Title: "Baker", SyncedAt: testNow}}))
		got, err := s.JobListings(ctx, a)
		require.NoError(t, err)
		assert.False(t, got[1].Removed())
		assert.Empty(t, got[1].RemovedReason)
		since, err := s.JobsSyncedSince(ctx, a, testNow)
		require.NoError(t, err)
		assert.Equal(t, map[string]bool{"11": true}, since)
	})

	t.Run("sync state round-trips and a sweep request survives a run that did not sweep", func(t *testing.T) {
		st := assessments.JobSyncState{TenantID: a, Since: synced, LastSweepAt: synced, LastFinishedAt: testNow, LastCalls: 11}
		require.NoError(t, s.SaveJobSyncState(ctx, st))
		require.NoError(t, s.RequestJobSweep(ctx, a))
		require.NoError(t, s.SaveJobSyncState(ctx, st), "a run that started before the request and did not sweep")
		got, err := s.JobSyncState(ctx, a)
		require.NoError(t, err)
		assert.True(t, got.SweepRequested)
		assert.Equal(t, 11, got.LastCalls)
		assert.True(t, got.Since.Equal(synced))

		st.LastSweepAt = testNow
		require.NoError(t, s.SaveJobSyncState(ctx, st), "a run that swept")
		got, err = s.JobSyncState(ctx, a)
		require.NoError(t, err)
		assert.False(t, got.SweepRequested)

		other, err := s.JobSyncState(ctx, b)
		require.NoError(t, err)
		assert.False(t, other.Synced(), "another tenant's state is its own")
	})
}

// TestRequestJobSweepQueuesOneSyncPerTenant: the Refresh button's request
// commits with its sync, and pressing it again while a sync waits queues
// no second one.
func TestRequestJobSweepQueuesOneSyncPerTenant(t *testing.T) {
	ctx := context.Background()
	env := storetest.New(t, storetest.At(testNow))
	s := storage.NewJobListingStore(env.DB, env.Clock)
	a, b := newLogTenant(t, env.DB, "1001"), newLogTenant(t, env.DB, "1002")
	require.NoError(t, s.RequestJobSweep(ctx, a))
	require.NoError(t, s.RequestJobSweep(ctx, a))
	require.NoError(t, s.RequestJobSweep(ctx, b))

	var n, na int
	require.NoError(t, env.DB.R.QueryRowContext(ctx, onDialect(env.DB,
		`SELECT count(*), count(*) FILTER (WHERE json_extract(args, '$.tenant_id') = ?) FROM river_job WHERE kind = ?`,
		`SELECT count(*), count(*) FILTER (WHERE (args->>'tenant_id')::bigint = ?) FROM river_job WHERE kind = ?`), a, jobargs.JobSyncArgs{}.Kind()).Scan(&n, &na))
	assert.Equal(t, 2, n, "one sync per tenant")
	assert.Equal(t, 1, na)
}
