package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/queue"
)

// Defaults of ProcessEventsWorker.
const (
	// DefaultBatchConcurrency is how many deliveries of a batch are
	// processed at once; iCIMS calls are paced per tenant anyway.
	DefaultBatchConcurrency = 8
	// batchTimeout bounds a batch of a few hundred deliveries. A call
	// waits at most PaceSnoozeAfter for its turn (a later turn is
	// reserved and the delivery goes on in a job of its own), but each
	// call may take iCIMS's timeout.
	batchTimeout = 15 * time.Minute
)

// ProcessEventsStore is what a batch needs of the event store beyond what
// each delivery's processing uses: its deliveries read together, and the
// waiting ones' messages written with their later jobs in one transaction.
// SQLite has one writer, which the intake's group commit needs too, so a
// batch must not cost it a transaction or two per delivery.
type ProcessEventsStore interface {
	// Deliveries reads the deliveries refs name; gone ones are left out.
	Deliveries(ctx context.Context, refs []jobargs.DeliveryRef) ([]assessments.Delivery, error)
	// Defer records outcomes (each only while its delivery is in its
	// ExpectStatus) and inserts jobs, all or nothing.
	Defer(ctx context.Context, outcomes []assessments.Outcome, jobs []river.InsertManyParams) error
}

// ProcessEventsWorker processes the deliveries of one group commit, a few
// at a time. A delivery that cannot be finished now (iCIMS down, the
// tenant re-authorizing, its turn at the customer's pace far off) gets a
// process_event job of its own, scheduled for later, so one delivery's
// trouble never holds back or repeats the others. Why each of them waits
// is written with those jobs at the end of the batch, in one transaction.
type ProcessEventsWorker struct {
	river.WorkerDefaults[jobargs.ProcessEventsArgs]
	Process *ProcessEventWorker
	// Store reads the batch's deliveries and defers those that wait.
	Store       ProcessEventsStore
	Concurrency int
	// Jitter spreads first retries; nil uses math/rand.
	Jitter func() float64
	Log    *slog.Logger
}

// Timeout implements river.Worker.
func (w *ProcessEventsWorker) Timeout(*river.Job[jobargs.ProcessEventsArgs]) time.Duration {
	return batchTimeout
}

// Work implements river.Worker. Should its final write fail, the whole
// batch fails and River runs it again: deliveries settled meanwhile are
// skipped, the others are tried again.
func (w *ProcessEventsWorker) Work(ctx context.Context, job *river.Job[jobargs.ProcessEventsArgs]) error {
	limit := w.Concurrency
	if limit <= 0 {
		limit = DefaultBatchConcurrency
	}
	jitter := w.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	// The batch's deliveries share their tenant's client, whose
	// credentials are read once.
	ctx = w.Process.ICIMS.Batch(ctx)
	deliveries, err := w.received(ctx, job.Args.Deliveries)
	if err != nil {
		return err
	}
	reads := map[int64]*tenantReads{}
	for _, d := range deliveries {
		if reads[d.TenantID] == nil {
			reads[d.TenantID] = &tenantReads{}
		}
	}
	var mu sync.Mutex
	var later []river.InsertManyParams
	var outcomes []assessments.Outcome
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, d := range deliveries {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			// Attempt 1 of 2: a failure is recorded as "retrying" and the
			// delivery's own job takes over with the queue's full budget.
			// A delivery whose turn at its customer's pace is far reserves
			// it and goes on in a job of its own that wakes for it, so the
			// batch never holds its worker for one customer's pace.
			var waits *assessments.Outcome
			slot := w.Process.slot(nil)
			p := processRun{w: w.Process, d: d, attempt: 1, maxAttempts: 2, slot: slot, reads: reads[d.TenantID],
				wait: func(_ context.Context, o assessments.Outcome) error { waits = &o; return nil }}
			err := p.start(icims.WithSlot(ctx, slot))
			if err == nil {
				return
			}
			now := w.Process.now()
			opts := &river.InsertOpts{ScheduledAt: now.Add(queue.BackoffDelay(0, jitter()))}
			var snooze *river.JobSnoozeError
			switch {
			case errors.As(err, &snooze) && !slot.At.IsZero():
				opts = slotJob(now, slot)
			case errors.As(err, &snooze):
				opts.ScheduledAt = now.Add(snooze.Duration)
			default:
				w.Log.WarnContext(ctx, "process event: retrying on its own", "tenant", d.TenantID, "delivery_id", d.ID, "err", err)
			}
			mu.Lock()
			defer mu.Unlock()
			later = append(later, river.InsertManyParams{Args: jobargs.ProcessEventArgs{TenantID: d.TenantID, DeliveryID: d.ID},
				InsertOpts: opts})
			if waits != nil {
				outcomes = append(outcomes, *waits)
			}
		}()
	}
	wg.Wait()
	if err := w.Store.Defer(ctx, outcomes, later); err != nil {
		return fmt.Errorf("process events: defer %d deliveries: %w", len(later), err)
	}
	return nil
}

// received reads the batch's deliveries in one query and keeps those
// still waiting for their processing (an earlier run of the batch, or a
// job of their own, may have settled some).
func (w *ProcessEventsWorker) received(ctx context.Context, refs []jobargs.DeliveryRef) ([]assessments.Delivery, error) {
	all, err := w.Store.Deliveries(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("process events: %w", err)
	}
	found := make(map[int64]bool, len(all))
	out := all[:0]
	for _, d := range all {
		found[d.ID] = true
		if d.Status == assessments.DeliveryReceived {
			out = append(out, d)
		}
	}
	for _, r := range refs {
		if !found[r.DeliveryID] {
			w.Log.WarnContext(ctx, "process event: delivery gone", "tenant", r.TenantID, "delivery_id", r.DeliveryID)
		}
	}
	return out, nil
}

// tenantReads is what a batch reads of a tenant once and shares between
// its deliveries: the tenant itself (its state, name and connection), read
// by the first delivery, and its rules and packages, read by the first
// that needs them.
type tenantReads struct {
	tenantOnce sync.Once
	tenant     assessments.Tenant
	tenantErr  error

	once     sync.Once
	rules    []assessments.Rule
	packages []assessments.Package
	err      error
}

// tenantOf reads the tenant the first time it is called. A failure is
// every delivery's of the batch, each then retried in a job of its own.
func (c *tenantReads) tenantOf(ctx context.Context, w *ProcessEventWorker, tenantID int64) (assessments.Tenant, error) {
	c.tenantOnce.Do(func() { c.tenant, c.tenantErr = w.Tenants.Tenant(ctx, tenantID) })
	return c.tenant, c.tenantErr
}

// load reads the tenant's rules and packages the first time it is called.
// A failure is every delivery's of the batch that needs them: each is
// then retried in a job of its own, which reads them again.
func (c *tenantReads) load(ctx context.Context, w *ProcessEventWorker, tenantID int64) ([]assessments.Rule, []assessments.Package, error) {
	c.once.Do(func() {
		if c.rules, c.err = w.Rules.Rules(ctx, tenantID); c.err != nil {
			return
		}
		c.packages, c.err = w.Catalog.Packages(ctx, tenantID)
	})
	return c.rules, c.packages, c.err
}
