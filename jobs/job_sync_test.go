package jobs

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// syncHarness is the job sync below the queue: a tenant connected by Basic
// auth to a simulated iCIMS that shares the sync's clock, the real store on
// a database file and the real pool, so every call is paced per tenant.
type syncHarness struct {
	t       *testing.T
	ctx     context.Context
	clock   *clocktest.Clock
	sim     *icimstest.Server
	pool    *icimsadapter.Pool
	db      *storage.DB
	tenants *storage.TenantStore
	store   *storage.JobListingStore
	tenant  assessments.Tenant
	sync    *JobSync
	// newPool builds a pool as a restarted service would: nothing in
	// memory, the pacer's state (a hold after a 429 too) in the database.
	newPool func() *icimsadapter.Pool
}

func newSyncHarness(t *testing.T) *syncHarness {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t, storetest.At(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)))
	clock, db, keyring := env.Clock, env.DB, env.Keyring
	h := &syncHarness{t: t, ctx: ctx, clock: clock, db: db}
	h.sim = icimstest.Start(t, icimstest.Options{Clock: clock})
	tenants := storage.NewTenantStore(db, keyring, clock)
	h.tenants = tenants
	cid := icimstest.CustomerUS
	var err error
	h.tenant, err = tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Acme", Region: assessments.RegionUS,
		APIURL: h.sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Pacing at a high rate: the counts are the point here, not the wait.
	// On the harness's clock, so that a hold after the simulator's 429
	// (kept in the database across a restart) ends when the test moves
	// the clock past it.
	h.newPool = func() *icimsadapter.Pool {
		return icimsadapter.NewPool(icimsadapter.PoolConfig{Tenants: tenants, HTTPClient: h.sim.Client(), Paces: db, Log: log,
			Clock:  clock,
			Limits: icims.PacerConfig{PerMinute: 600_000, Burst: 1, DailyQuota: 10_000}})
	}
	h.pool = h.newPool()
	h.store = storage.NewJobListingStore(db, clock)
	h.sync = &JobSync{Clients: h.pool, Store: h.store, Clock: clock, Log: log}
	return h
}

// addJobs gives the customer n approved jobs with a code and a package.
func (h *syncHarness) addJobs(n int) []int {
	h.t.Helper()
	ids := make([]int, n)
	for i := range ids {
		id, err := h.sim.AddJob(icimstest.CustomerUS, map[string]any{"jobtitle": "Role " + strconv.Itoa(i),
			"jobnumber": "REQ-" + strconv.Itoa(i), "folder": map[string]any{"id": "C53001"}, "joblocation": "101",
			"assessmenttype": []any{map[string]any{"id": icimstest.AssessmentReasoning}}})
		require.NoError(h.t, err)
		ids[i] = id
	}
	return ids
}

// run syncs once and returns the result with the calls iCIMS received,
// counted by kind: "search" pages and "get" job reads.
func (h *syncHarness) run() (JobSyncResult, map[string]int) {
	h.t.Helper()
	h.sim.ClearLog(icimstest.CustomerUS)
	res, err := h.sync.Run(h.ctx, h.tenant)
	require.NoError(h.t, err)
	calls := map[string]int{}
	for _, c := range h.sim.Calls(icimstest.CustomerUS) {
		switch {
		case strings.Contains(c.Path, "/search/jobs"):
			calls["search"]++
		case strings.Contains(c.Path, "/jobs/") && c.Method == "GET":
			calls["get"]++
		default:
			calls["other "+c.Method+" "+c.Path]++
		}
	}
	return res, calls
}

func (h *syncHarness) listings() map[string]assessments.JobListing {
	h.t.Helper()
	all, err := h.store.JobListings(h.ctx, h.tenant.ID)
	require.NoError(h.t, err)
	m := map[string]assessments.JobListing{}
	for _, j := range all {
		m[j.JobID] = j
	}
	return m
}

// TestJobSyncCallsForTwoThousandJobs counts the iCIMS calls of the first
// full sync of a customer with 2,000 open jobs (and the 3 seeded), and of
// the delta sync after 10 of them changed.
func TestJobSyncCallsForTwoThousandJobs(t *testing.T) {
	h := newSyncHarness(t)
	added := h.addJobs(2000)
	h.clock.Advance(24 * time.Hour)

	full, calls := h.run()
	assert.True(t, full.Full)
	assert.Equal(t, map[string]int{"search": 3, "get": 2003}, calls, "first sync: 3 pages listing 2,003 open jobs, one read each")
	assert.Equal(t, 2006, full.Calls, "the run counts what iCIMS received")
	assert.Equal(t, 2006, h.pool.CallPace(h.tenant).UsedToday, "every call went through the tenant's pacer")
	got := h.listings()
	require.Len(t, got, 2003)
	first := got[strconv.Itoa(added[0])]
	assert.Equal(t, "Role 0", first.Title)
	assert.Equal(t, "REQ-0", first.JobCode)
	assert.Equal(t, "Boston, MA", first.Location)
	assert.Equal(t, "Approved", first.FolderName)
	assert.Equal(t, []assessments.AssessmentType{{ID: icimstest.AssessmentReasoning, Value: "Reasoning"}}, first.AssessmentTypes)

	h.clock.Advance(time.Hour)
	var changed []string
	for _, id := range added[1000:1010] {
		require.NoError(t, h.sim.UpdateJob(icimstest.CustomerUS, id, map[string]any{"jobtitle": "Senior " + strconv.Itoa(id)}))
		changed = append(changed, strconv.Itoa(id))
	}
	h.clock.Advance(15 * time.Minute)
	delta, calls := h.run()
	assert.False(t, delta.Full)
	assert.False(t, delta.Swept)
	assert.Equal(t, map[string]int{"search": 1, "get": 10}, calls, "delta sync: one search by update date, one read per changed job")
	assert.Equal(t, 11, delta.Calls)
	got = h.listings()
	for _, id := range changed {
		assert.Equal(t, "Senior "+id, got[id].Title)
	}
	assert.Equal(t, "Role 1011", got[strconv.Itoa(added[1011])].Title, "an unchanged job is not read again")

	h.clock.Advance(15 * time.Minute)
	_, calls = h.run()
	assert.Equal(t, map[string]int{"search": 1, "get": 10}, calls,
		"15 minutes on, the jobs changed within the overlap (DefaultJobSyncOverlap) are read once more")
	h.clock.Advance(DefaultJobSyncOverlap)
	_, calls = h.run()
	assert.Equal(t, map[string]int{"search": 1}, calls, "nothing changed since: one search, no reads")
}

func TestJobSyncMarksJobsThatLeaveICIMS(t *testing.T) {
	h := newSyncHarness(t)
	added := h.addJobs(4)
	h.clock.Advance(24 * time.Hour)
	_, _ = h.run()

	h.clock.Advance(time.Hour)
	closed, deleted, reopened := added[0], added[1], added[2]
	require.NoError(t, h.sim.UpdateJob(icimstest.CustomerUS, closed, map[string]any{"folder": map[string]any{"id": "C53003"}}))
	require.NoError(t, h.sim.DeleteJob(icimstest.CustomerUS, deleted))
	h.clock.Advance(time.Minute)

	t.Run("a job moved to a closed folder, by the delta sync", func(t *testing.T) {
		res, _ := h.run()
		assert.False(t, res.Swept)
		j := h.listings()[strconv.Itoa(closed)]
		assert.True(t, j.Removed())
		assert.Equal(t, "moved to the Closed folder in iCIMS", j.RemovedReason)
		assert.Equal(t, "Closed", j.FolderName)
		assert.False(t, h.listings()[strconv.Itoa(deleted)].Removed(), "a deletion shows in no update search")
	})

	t.Run("a deleted job, by the sweep an admin asked for", func(t *testing.T) {
		require.NoError(t, h.store.RequestJobSweep(h.ctx, h.tenant.ID))
		h.clock.Advance(time.Hour)
		res, calls := h.run()
		assert.True(t, res.Swept)
		assert.Equal(t, map[string]int{"search": 2, "get": 1}, calls,
			"the update search, the list of open jobs, and the closed job again: its change fell within the overlap before the last run")
		j := h.listings()[strconv.Itoa(deleted)]
		assert.True(t, j.Removed(), "kept, marked")
		assert.Equal(t, "no longer among the open jobs in iCIMS", j.RemovedReason)
		assert.Equal(t, "Role 1", j.Title, "what it was stays readable")
		st, err := h.store.JobSyncState(h.ctx, h.tenant.ID)
		require.NoError(t, err)
		assert.False(t, st.SweepRequested)
	})

	t.Run("a closed job opened again is listed again", func(t *testing.T) {
		h.clock.Advance(time.Hour)
		require.NoError(t, h.sim.UpdateJob(icimstest.CustomerUS, closed, map[string]any{"folder": map[string]any{"id": "C53001"}}))
		h.clock.Advance(time.Minute)
		_, _ = h.run()
		j := h.listings()[strconv.Itoa(closed)]
		assert.False(t, j.Removed())
		assert.Empty(t, j.RemovedReason)
		assert.False(t, h.listings()[strconv.Itoa(reopened)].Removed())
	})

	t.Run("the sweep runs on its own once its interval passed", func(t *testing.T) {
		h.clock.Advance(DefaultJobSweepEvery)
		res, _ := h.run()
		assert.True(t, res.Swept)
	})
}

func TestJobSyncResumesARunCutShort(t *testing.T) {
	h := newSyncHarness(t)
	h.addJobs(250)
	// The customer's iCIMS answers 429 after 120 calls (the simulator's
	// clock stands still, so they all fall in one minute): the run stops
	// partway, as a limit or a restart would stop it.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 120}))
	_, err := h.sync.Run(h.ctx, h.tenant)
	var ie *icims.Error
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, icims.RateLimited, ie.Kind)
	st, err := h.store.JobSyncState(h.ctx, h.tenant.ID)
	require.NoError(t, err)
	assert.Contains(t, st.LastError, "call limit", "the Jobs page says why")
	assert.False(t, st.Synced())
	assert.Len(t, h.listings(), 119, "the jobs read before the 429 (one search, 119 reads) are kept")

	// A restart: a new pool, the limit gone.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{}))
	h.sync.Clients = h.newPool()
	h.clock.Advance(time.Minute)
	res, calls := h.run()
	assert.True(t, res.Full)
	assert.Equal(t, map[string]int{"search": 1, "get": 253 - 119}, calls, "the resumed run reads only the jobs not yet read")
	assert.Len(t, h.listings(), 253)
	st, err = h.store.JobSyncState(h.ctx, h.tenant.ID)
	require.NoError(t, err)
	assert.True(t, st.Synced())
	assert.Empty(t, st.LastError)
}
