package jobs

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/queue"
	"github.com/jobcannon/jobcannon/storage"
)

// eventQueue runs the harness's event workers (the batch and the single
// delivery), and the job sync workers given, on a real queue with maxWorkers workers in River's default
// queue, polled often.
func (h *harness) eventQueue(maxWorkers int, more ...*JobSyncWorker) *queue.Queue {
	h.t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, h.worker)
	river.AddWorker(workers, &ProcessEventsWorker{Process: h.worker, Store: h.events, Log: h.worker.Log})
	for _, w := range more {
		river.AddWorker(workers, w)
	}
	q, err := queue.New(h.db, queue.Config{Workers: workers, MaxWorkers: maxWorkers, PollInterval: 20 * time.Millisecond, Log: h.worker.Log})
	require.NoError(h.t, err)
	ctx := context.Background()
	require.NoError(h.t, q.Start(ctx))
	h.t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	return q
}

// euTenant connects the simulator's EU customer as a second tenant with
// a rule that invites on its Assessment status.
func (h *harness) euTenant() assessments.Tenant {
	h.t.Helper()
	ctx := context.Background()
	cid := icimstest.CustomerEU
	tenant, err := h.tenants.Connect(ctx, assessments.Connection{CustomerID: cid, Name: "Europa", Region: assessments.RegionEU,
		APIURL: h.sim.APIBase(), AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(h.t, err)
	pkg, err := h.catalog.SavePackage(ctx, must(assessments.BuiltinInstruments()), assessments.Package{TenantID: tenant.ID,
		Name: "Big Five", InstrumentIDs: []string{"big-five-work"}, AssessmentTypeID: icimstest.AssessmentBigFiveEU, Enabled: true})
	require.NoError(h.t, err)
	_, err = h.rules.SaveRule(ctx, assessments.Actor{Email: "test"}, assessments.Rule{TenantID: tenant.ID, Name: "Assessment",
		Mode: assessments.RuleAuto, Enabled: true, PackageID: pkg.ID,
		Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: icimstest.StatusAssessmentEU}}}})
	require.NoError(h.t, err)
	return tenant
}

// accept records a move of application wid (person pid, job jid) of
// tenant t to status, without queueing its processing: the test queues
// the batches itself.
func (h *harness) accept(t assessments.Tenant, wid, pid, jid int, status string) int64 {
	h.t.Helper()
	ev := assessments.InboundEvent{Type: assessments.EventStatusChange, CustomerID: t.CustomerID, WorkflowID: strconv.Itoa(wid),
		JobID: strconv.Itoa(jid), PersonID: strconv.Itoa(pid), NewStatus: status}
	res, err := h.events.Accept(context.Background(), assessments.Acceptance{
		Delivery: assessments.Delivery{TenantID: t.ID, PublicID: "p" + strconv.FormatInt(h.ids.Add(1), 10), Direction: assessments.DirectionInbound,
			Kind: ev.Type, Status: assessments.DeliveryReceived, WorkflowID: ev.WorkflowID, PersonID: ev.PersonID, JobID: ev.JobID, Event: ev},
		Answer: assessments.EventAnswer{Status: 200},
	})
	require.NoError(h.t, err)
	return res.Delivery.ID
}

// bulkMove adds n candidates with an application each to the US customer
// in the simulator and records their moves to Assessment; it returns the
// deliveries.
func (h *harness) bulkMove(n int) []jobargs.DeliveryRef {
	h.t.Helper()
	cid := icimstest.CustomerUS
	client, err := icims.New(icims.Config{CustomerID: cid, BaseURL: h.sim.APIBase(), HTTPClient: h.sim.Client(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(h.t, err)
	refs := make([]jobargs.DeliveryRef, n)
	for i := range n {
		pid, err := h.sim.AddPerson(cid, map[string]any{"firstname": "Bulk", "lastname": "Candidate " + strconv.Itoa(i),
			"email": "bulk" + strconv.Itoa(i) + "@example.com"})
		require.NoError(h.t, err)
		jid := icimstest.USJob1 + i%3
		id, _, err := client.CreateApplicantWorkflow(context.Background(), icims.NewApplicantWorkflow{JobID: strconv.Itoa(jid), PersonID: strconv.Itoa(pid)})
		require.NoError(h.t, err)
		wid, err := strconv.Atoi(id)
		require.NoError(h.t, err)
		refs[i] = jobargs.DeliveryRef{TenantID: h.tenant.ID, DeliveryID: h.accept(h.tenant, wid, pid, jid, icimstest.StatusAssessment)}
	}
	return refs
}

// processedWithin waits up to wait for the delivery to settle as
// processed and returns how long it took from start.
func (h *harness) processedWithin(tenantID, id int64, start time.Time, wait time.Duration, msg string) time.Duration {
	h.t.Helper()
	require.Eventually(h.t, func() bool {
		d, err := h.events.Delivery(context.Background(), tenantID, id)
		require.NoError(h.t, err)
		return d.Status == assessments.DeliveryProcessed
	}, wait, 10*time.Millisecond, msg)
	return time.Since(start)
}

// TestEventsOfABacklogAtItsPaceDoNotDelayAnotherTenant: the US customer
// bulk-moves 16 candidates at 240 calls a minute (a call every 250 ms,
// about 5 s of calls), one batch on the only worker of the default
// queue; the EU customer's move, queued just after, is processed at once,
// because the US deliveries reserve their turns and give the worker back.
// Every US delivery is processed in the end, once, at its pace, with no
// 429 and no attempt used up by waiting.
func TestEventsOfABacklogAtItsPaceDoNotDelayAnotherTenant(t *testing.T) {
	if raceDetector {
		t.Skip("under -race the calls are slower than the pace, which then never binds")
	}
	const n, limit = 16, 240
	h := newHarnessWith(t, harnessOptions{limits: icims.PacerConfig{PerMinute: limit, Burst: 1, DailyQuota: 100_000}})
	eu := h.euTenant()
	us := h.bulkMove(n)
	euID := h.accept(eu, icimstest.EUWorkflow1, icimstest.EUPerson1, icimstest.EUJob1, icimstest.StatusAssessmentEU)
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: limit}))
	h.sim.ClearLog(icimstest.CustomerUS)

	q := h.eventQueue(1)
	ctx := context.Background()
	_, err := q.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: us}, nil)
	require.NoError(t, err)
	queued := time.Now()
	_, err = q.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: []jobargs.DeliveryRef{{TenantID: eu.ID, DeliveryID: euID}}}, nil)
	require.NoError(t, err)
	took := h.processedWithin(eu.ID, euID, queued, 10*time.Second, "the EU event was never processed")
	t.Logf("EU event processed %s after it was queued", took.Round(time.Millisecond))
	assert.Less(t, took, 1500*time.Millisecond, "the EU event waited behind the US backlog's pace")
	waiting := 0
	for _, ref := range us {
		if d := h.delivery(ref.DeliveryID); d.Status == assessments.DeliveryReceived && d.Message != "" {
			waiting++
			assert.Contains(t, d.Message, "pacing its calls", "a turn at the pace is no alarm")
			assert.NotContains(t, d.Message, "slow down")
		}
	}
	assert.Positive(t, waiting, "US events waited for their turns meanwhile")

	for _, ref := range us {
		h.processedWithin(ref.TenantID, ref.DeliveryID, queued, 30*time.Second, "a US delivery never settled")
	}
	invitations := map[int64]bool{}
	for _, ref := range us {
		d := h.delivery(ref.DeliveryID)
		assert.NotZero(t, d.InvitationID)
		invitations[d.InvitationID] = true
		assert.LessOrEqual(t, d.Attempts, 1, "waiting for the pace is no attempt: %s", d.Message)
	}
	assert.Len(t, invitations, n, "one invitation per US delivery")
	assert.Equal(t, int64(n+1), h.sent.Load(), "one e-mail per delivery, the EU one included")
	calls := h.sim.Calls(icimstest.CustomerUS)
	assert.Zero(t, rateLimited(calls), "no 429: reserved turns keep the limit")
	assert.LessOrEqual(t, h.sim.MaxCallsInWindow(icimstest.CustomerUS, time.Minute), limit)

	jobs, err := h.db.Jobs().JobList(ctx, river.NewJobListParams().Kinds("process_event").First(1000))
	require.NoError(t, err)
	require.NotEmpty(t, jobs.Jobs, "the US deliveries went on in jobs of their own")
	snoozed := 0
	for _, j := range jobs.Jobs {
		assert.Equal(t, 1, j.Attempt, "a snooze uses no attempt")
		var m struct {
			Snoozes int `json:"snoozes"`
		}
		require.NoError(t, json.Unmarshal(j.Metadata, &m))
		if m.Snoozes > 0 {
			snoozed++
		}
	}
	t.Logf("%d US deliveries went on in jobs of their own, %d of them snoozed", len(jobs.Jobs), snoozed)
}

// TestARetryAfterHoldOnOneTenantCostsAnotherNothing: iCIMS answers the US
// customer 429 with a Retry-After of a few seconds while a batch of its
// events is being processed on the only worker; the EU customer's event,
// queued just after, is processed at once, and the US events wait out
// the hold in snoozed jobs, their attempts untouched.
func TestARetryAfterHoldOnOneTenantCostsAnotherNothing(t *testing.T) {
	simClock := clocktest.New(time.Now())
	h := newHarnessWith(t, harnessOptions{simClock: simClock})
	eu := h.euTenant()
	us := h.bulkMove(8)
	euID := h.accept(eu, icimstest.EUWorkflow1, icimstest.EUPerson1, icimstest.EUJob1, icimstest.StatusAssessmentEU)
	// Three calls of the US customer's minute are spent 57 s before the
	// batch runs: its first call draws a 429 with a Retry-After of 3 s,
	// a hold shorter than the pool's longest wait in the pacer.
	require.NoError(t, h.sim.SetFaults(icimstest.CustomerUS, icimstest.Faults{RateLimit: 3}))
	cid := icimstest.CustomerUS
	direct, err := icims.New(icims.Config{CustomerID: cid, BaseURL: h.sim.APIBase(), HTTPClient: h.sim.Client(),
		Auth: icims.Basic{User: icimstest.BasicUser(cid), Password: icimstest.BasicPassword(cid)}})
	require.NoError(t, err)
	ctx := context.Background()
	for range 3 {
		_, err := direct.GetPerson(ctx, strconv.Itoa(icimstest.USPerson1), nil)
		require.NoError(t, err)
	}
	simClock.Advance(57 * time.Second)

	q := h.eventQueue(1)
	_, err = q.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: us}, nil)
	require.NoError(t, err)
	queued := time.Now()
	_, err = q.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: []jobargs.DeliveryRef{{TenantID: eu.ID, DeliveryID: euID}}}, nil)
	require.NoError(t, err)
	took := h.processedWithin(eu.ID, euID, queued, 10*time.Second, "the EU event was never processed")
	t.Logf("EU event processed %s after it was queued", took.Round(time.Millisecond))
	assert.Less(t, took, 1500*time.Millisecond, "the EU event waited behind the US customer's hold")
	assert.Positive(t, rateLimited(h.sim.Calls(icimstest.CustomerUS)), "the US customer was held by a 429")

	waiting := 0
	for _, ref := range us {
		d := h.delivery(ref.DeliveryID)
		if d.Status == assessments.DeliveryReceived {
			waiting++
			assert.Zero(t, d.Attempts, "a hold is the customer's state, no attempt: %s", d.Message)
		}
	}
	assert.Positive(t, waiting, "the held US events wait for the hold to pass")
}

// TestAFullJobSyncAtItsPaceDoesNotDelayAnotherTenant: the US customer's
// first job sync reads 40 jobs at 240 calls a minute (10 s of calls) on
// the only worker of the default queue; the EU customer's event, queued
// just after, waits at most one slice of the sync, which then goes on
// where it stopped and reads every job once.
func TestAFullJobSyncAtItsPaceDoesNotDelayAnotherTenant(t *testing.T) {
	if raceDetector {
		t.Skip("under -race the calls are slower than the pace, which then never binds")
	}
	const jobs, limit = 40, 240
	h := newHarnessWith(t, harnessOptions{limits: icims.PacerConfig{PerMinute: limit, Burst: 1, DailyQuota: 100_000}})
	eu := h.euTenant()
	for i := range jobs - 3 {
		_, err := h.sim.AddJob(icimstest.CustomerUS, map[string]any{"jobtitle": "Role " + strconv.Itoa(i),
			"folder": map[string]any{"id": "C53001"}})
		require.NoError(t, err)
	}
	euID := h.accept(eu, icimstest.EUWorkflow1, icimstest.EUPerson1, icimstest.EUJob1, icimstest.StatusAssessmentEU)
	clock := assessments.SystemClock{}
	listings := storage.NewJobListingStore(h.db, clock)
	sync := &JobSync{Clients: h.pool, Store: listings, Clock: clock, Log: h.worker.Log, Slice: time.Second}
	q := h.eventQueue(1, &JobSyncWorker{Tenants: h.tenants, Sync: sync, Log: h.worker.Log})
	h.sim.ClearLog(icimstest.CustomerUS)

	ctx := context.Background()
	_, err := q.Insert(ctx, jobargs.JobSyncArgs{TenantID: h.tenant.ID}, nil)
	require.NoError(t, err)
	time.Sleep(300 * time.Millisecond) // the sync has the worker
	queued := time.Now()
	_, err = q.Insert(ctx, jobargs.ProcessEventsArgs{Deliveries: []jobargs.DeliveryRef{{TenantID: eu.ID, DeliveryID: euID}}}, nil)
	require.NoError(t, err)
	took := h.processedWithin(eu.ID, euID, queued, 20*time.Second, "the EU event was never processed")
	t.Logf("EU event processed %s after it was queued", took.Round(time.Millisecond))
	assert.Less(t, took, 2*time.Second, "the EU event waited behind the US job sync")

	require.Eventually(t, func() bool {
		st, err := listings.JobSyncState(ctx, h.tenant.ID)
		require.NoError(t, err)
		return st.Synced()
	}, 30*time.Second, 50*time.Millisecond, "the sync finished")
	all, err := listings.JobListings(ctx, h.tenant.ID)
	require.NoError(t, err)
	assert.Len(t, all, jobs)
	reads := 0
	for _, c := range h.sim.Calls(icimstest.CustomerUS) {
		if c.Method == "GET" && strings.Contains(c.Path, "/jobs/") {
			reads++
		}
	}
	assert.Equal(t, jobs, reads, "each job read once across the slices")
	assert.Zero(t, rateLimited(h.sim.Calls(icimstest.CustomerUS)))
}
