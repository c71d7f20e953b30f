package jobs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/queue"
)

// syncQueue puts the harness's sync on a real queue with its workers.
func (h *syncHarness) syncQueue(start bool) (*queue.Queue, *JobSyncWorker) {
	h.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	worker := &JobSyncWorker{Tenants: h.tenants, Sync: h.sync, Log: log}
	all := &JobSyncAllWorker{Tenants: h.tenants}
	workers := river.NewWorkers()
	river.AddWorker(workers, worker)
	river.AddWorker(workers, all)
	q, err := queue.New(h.db, queue.Config{Workers: workers, PollInterval: 20 * time.Millisecond, Log: log})
	require.NoError(h.t, err)
	all.Jobs = h.db.Jobs()
	if start {
		require.NoError(h.t, q.Start(h.ctx))
		h.t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
	}
	return q, worker
}

func TestJobSyncRefreshRunsOnTheQueue(t *testing.T) {
	h := newSyncHarness(t)
	h.syncQueue(true)
	listings := &assessments.JobListings{Store: h.store}

	require.NoError(t, listings.Refresh(h.ctx, h.tenant))
	require.Eventually(t, func() bool {
		page, err := listings.Page(h.ctx, h.tenant.ID, "")
		return err == nil && page.State.Synced() && page.Total == 3
	}, 10*time.Second, 20*time.Millisecond, "the three seeded jobs are read")
	page, err := listings.Page(h.ctx, h.tenant.ID, "analyst")
	require.NoError(t, err)
	require.Len(t, page.Jobs, 1)
	assert.Equal(t, "Data Analyst", page.Jobs[0].Title)
}

func TestJobSyncIsQueuedOncePerTenant(t *testing.T) {
	h := newSyncHarness(t)
	q, _ := h.syncQueue(false)
	first, err := q.Insert(h.ctx, jobargs.JobSyncArgs{TenantID: h.tenant.ID}, nil)
	require.NoError(t, err)
	second, err := q.Insert(h.ctx, jobargs.JobSyncArgs{TenantID: h.tenant.ID}, nil)
	require.NoError(t, err)
	assert.False(t, first.UniqueSkippedAsDuplicate)
	assert.True(t, second.UniqueSkippedAsDuplicate, "the schedule and the button never run two syncs of one customer")
	other, err := q.Insert(h.ctx, jobargs.JobSyncArgs{TenantID: h.tenant.ID + 1}, nil)
	require.NoError(t, err)
	assert.False(t, other.UniqueSkippedAsDuplicate, "another customer's sync is its own")
}

func TestJobSyncAllQueuesConnectedTenants(t *testing.T) {
	h := newSyncHarness(t)
	gone, err := h.tenants.Connect(h.ctx, assessments.Connection{CustomerID: icimstest.CustomerEU, Name: "EU", Region: assessments.RegionEU,
		APIURL: h.sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: "u", Password: "p"}})
	require.NoError(t, err)
	require.NoError(t, h.tenants.Uninstall(h.ctx, gone.ID))

	all := &JobSyncAllWorker{Tenants: h.tenants, Jobs: h.db.Jobs()}
	require.NoError(t, all.Work(h.ctx, &river.Job[jobargs.JobSyncAllArgs]{}))
	res, err := h.db.Jobs().JobList(h.ctx, river.NewJobListParams().Kinds(jobargs.JobSyncArgs{}.Kind()))
	require.NoError(t, err)
	require.Len(t, res.Jobs, 1, "only the connected tenant")
	// The args are compared decoded: PostgreSQL's JSONB spaces its text
	// differently from SQLite's.
	var args jobargs.JobSyncArgs
	require.NoError(t, json.Unmarshal(res.Jobs[0].EncodedArgs, &args))
	assert.Equal(t, h.tenant.ID, args.TenantID)
}

func TestJobSyncWorkerPausesAtItsShareOfTheDailyCalls(t *testing.T) {
	h := newSyncHarness(t)
	h.addJobs(50)
	h.sync.Pace = h.pool
	h.sync.DailyShare = 0.002 // 20 of the pool's 10,000 calls a day
	_, worker := h.syncQueue(false)
	err := worker.Work(h.ctx, &river.Job[jobargs.JobSyncArgs]{JobRow: &rivertype.JobRow{}, Args: jobargs.JobSyncArgs{TenantID: h.tenant.ID}})
	var snooze *rivertype.JobSnoozeError
	require.ErrorAs(t, err, &snooze, "the job waits for tomorrow rather than failing")
	now := h.clock.Now()
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, tomorrow.Sub(now)+time.Minute, snooze.Duration)
	assert.Equal(t, 20, h.pool.CallPace(h.tenant).UsedToday, "it stopped at its share")
	st, err := h.store.JobSyncState(h.ctx, h.tenant.ID)
	require.NoError(t, err)
	assert.Contains(t, st.LastError, "share of this customer's daily iCIMS calls")
	assert.Len(t, h.listings(), 19, "one search, then 19 jobs read and kept")
}
