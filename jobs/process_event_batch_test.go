package jobs

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

// countingEvents counts the event store's calls a batch makes: the
// writes (each its own transaction) and the reads of single deliveries;
// later keeps the jobs deferred.
type countingEvents struct {
	*storage.EventStore
	reads, writes atomic.Int64
	later         []river.InsertManyParams
}

func (c *countingEvents) Defer(ctx context.Context, outcomes []assessments.Outcome, jobs []river.InsertManyParams) error {
	c.writes.Add(1)
	c.later = append(c.later, jobs...)
	return c.EventStore.Defer(ctx, outcomes, jobs)
}

func (c *countingEvents) Delivery(ctx context.Context, tenantID, id int64) (assessments.Delivery, error) {
	c.reads.Add(1)
	return c.EventStore.Delivery(ctx, tenantID, id)
}

func (c *countingEvents) SetOutcome(ctx context.Context, o assessments.Outcome) error {
	c.writes.Add(1)
	return c.EventStore.SetOutcome(ctx, o)
}

func (c *countingEvents) Dispatch(ctx context.Context, d assessments.Dispatch) (assessments.Dispatched, error) {
	c.writes.Add(1)
	return c.EventStore.Dispatch(ctx, d)
}

// countingTenants counts the reads of a tenant.
type countingTenants struct {
	assessments.TenantStore
	reads atomic.Int64
}

func (c *countingTenants) Tenant(ctx context.Context, id int64) (assessments.Tenant, error) {
	c.reads.Add(1)
	return c.TenantStore.Tenant(ctx, id)
}

// TestABatchThatSnoozesCostsOneWrite: a batch of deliveries that all
// wait (the tenant re-authorizing; the customer's pace far off) reads
// its deliveries and their tenant once and writes their waiting messages
// and their jobs of their own in one transaction, not one or more per
// delivery;
// each delivery still says why it waits and is settled once in the end.
func TestABatchThatSnoozesCostsOneWrite(t *testing.T) {
	const n = 12
	for _, tc := range []struct {
		name    string
		limits  icims.PacerConfig
		prepare func(h *harness)
		message string
	}{
		{name: "the tenant re-authorizes", message: "re-authorize", prepare: func(h *harness) {
			require.NoError(t, h.tenants.SetStatus(context.Background(), h.tenant.ID, assessments.TenantNeedsReauth, "test"))
		}},
		{name: "the customer's pace is far off", message: "pacing its calls",
			limits: icims.PacerConfig{PerMinute: 6, Burst: 1, DailyQuota: 100_000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarnessWith(t, harnessOptions{limits: tc.limits})
			refs := make([]jobargs.DeliveryRef, n)
			for i := range refs {
				refs[i] = jobargs.DeliveryRef{TenantID: h.tenant.ID, DeliveryID: h.accept(h.tenant, 3001, icimstest.USPerson1, 2001, icimstest.StatusAssessment)}
			}
			if tc.prepare != nil {
				tc.prepare(h)
			}
			counted := &countingEvents{EventStore: h.events}
			h.worker.Events = counted
			tenants := &countingTenants{TenantStore: h.worker.Tenants}
			h.worker.Tenants = tenants
			w := &ProcessEventsWorker{Process: h.worker, Store: counted, Log: h.worker.Log, Jitter: func() float64 { return 0 }}
			require.NoError(t, w.Work(context.Background(), &river.Job[jobargs.ProcessEventsArgs]{JobRow: &rivertype.JobRow{Attempt: 1},
				Args: jobargs.ProcessEventsArgs{Deliveries: refs}}))
			assert.Equal(t, int64(1), tenants.reads.Load(), "reads of the tenant for a batch of %d", n)

			assert.LessOrEqual(t, counted.writes.Load(), int64(1), "write transactions for a batch of %d that all wait", n)
			assert.Zero(t, counted.reads.Load(), "deliveries read one by one")
			later := counted.later
			require.Len(t, later, n, "each delivery goes on in a job of its own")
			for _, ref := range refs {
				d := h.delivery(ref.DeliveryID)
				assert.Equal(t, assessments.DeliveryReceived, d.Status)
				assert.Contains(t, d.Message, tc.message)
				assert.Zero(t, d.Attempts, "waiting is no attempt")
			}
			if tc.prepare == nil {
				return // the turns are seconds apart: the pace tests work them off
			}
			// Re-authorized, each delivery's own job settles it, once.
			require.NoError(t, h.tenants.SetStatus(context.Background(), h.tenant.ID, assessments.TenantActive, ""))
			for _, p := range later {
				args := p.Args.(jobargs.ProcessEventArgs)
				require.NoError(t, h.worker.Work(context.Background(), &river.Job[jobargs.ProcessEventArgs]{
					JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 30, Metadata: p.InsertOpts.Metadata}, Args: args}))
			}
			for _, ref := range refs {
				d := h.delivery(ref.DeliveryID)
				assert.NotEqual(t, assessments.DeliveryReceived, d.Status, d.Message)
				assert.Equal(t, 1, d.Attempts, "settled once")
			}
			assert.Equal(t, int64(1), h.sent.Load(), "one invitation for the one workflow, the others duplicates")
		})
	}
}

// failingDefer is a batch store whose final write fails.
type failingDefer struct{ *storage.EventStore }

func (failingDefer) Defer(context.Context, []assessments.Outcome, []river.InsertManyParams) error {
	return errors.New("database is locked")
}

// TestABatchWhoseFinalWriteFailsRunsAgain: nothing of the waiting
// deliveries is lost when the batch's one write fails: the batch fails,
// and its next run (River's retry) defers them.
func TestABatchWhoseFinalWriteFailsRunsAgain(t *testing.T) {
	h := newHarness(t)
	refs := []jobargs.DeliveryRef{{TenantID: h.tenant.ID, DeliveryID: h.deliver(icimstest.USPerson1)},
		{TenantID: h.tenant.ID, DeliveryID: h.deliver(icimstest.USPerson2)}}
	require.NoError(t, h.tenants.SetStatus(context.Background(), h.tenant.ID, assessments.TenantNeedsReauth, "test"))
	batch := &river.Job[jobargs.ProcessEventsArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: jobargs.ProcessEventsArgs{Deliveries: refs}}

	w := &ProcessEventsWorker{Process: h.worker, Store: failingDefer{h.events}, Log: h.worker.Log}
	require.ErrorContains(t, w.Work(context.Background(), batch), "database is locked")
	for _, ref := range refs {
		assert.Empty(t, h.delivery(ref.DeliveryID).Message, "nothing was written")
	}

	again := &countingEvents{EventStore: h.events}
	w.Store = again
	require.NoError(t, w.Work(context.Background(), batch))
	require.Len(t, again.later, len(refs), "the run again defers every waiting delivery")
	for _, ref := range refs {
		assert.Contains(t, h.delivery(ref.DeliveryID).Message, "re-authorize")
	}
}
