package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/queue"
)

// Defaults of ProcessEventsWorker.
const (
	// DefaultBatchConcurrency is how many deliveries of a batch are
	// processed at once; iCIMS calls are paced per tenant anyway.
	DefaultBatchConcurrency = 8
	// batchTimeout bounds a batch: a few hundred deliveries whose iCIMS
	// calls wait for the tenant's pacer take minutes, not seconds.
	batchTimeout = 15 * time.Minute
)

// ProcessEventsWorker processes the deliveries of one group commit, a few
// at a time. A delivery that cannot be finished now (iCIMS down, the
// tenant re-authorizing) gets a process_event job of its own, scheduled
// for later, so one delivery's trouble never holds back or repeats the
// others.
type ProcessEventsWorker struct {
	river.WorkerDefaults[jobargs.ProcessEventsArgs]
	Process     *ProcessEventWorker
	Concurrency int
	// Jitter spreads first retries; nil uses math/rand.
	Jitter func() float64
	// Later queues the deliveries to retry on their own; nil inserts them
	// with the River client that runs the job.
	Later func(ctx context.Context, params []river.InsertManyParams) error
	Log   *slog.Logger
}

// Timeout implements river.Worker.
func (w *ProcessEventsWorker) Timeout(*river.Job[jobargs.ProcessEventsArgs]) time.Duration {
	return batchTimeout
}

// Work implements river.Worker.
func (w *ProcessEventsWorker) Work(ctx context.Context, job *river.Job[jobargs.ProcessEventsArgs]) error {
	limit := w.Concurrency
	if limit <= 0 {
		limit = DefaultBatchConcurrency
	}
	jitter := w.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	var mu sync.Mutex
	var later []river.InsertManyParams
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, ref := range job.Args.Deliveries {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			// Attempt 1 of 2: a failure is recorded as "retrying" and the
			// delivery's own job takes over with the queue's full budget.
			err := w.Process.process(ctx, ref.TenantID, ref.DeliveryID, 1, 2)
			if err == nil {
				return
			}
			wait := queue.BackoffDelay(0, jitter())
			var snooze *river.JobSnoozeError
			if errors.As(err, &snooze) {
				wait = snooze.Duration
			} else {
				w.Log.WarnContext(ctx, "process event: retrying on its own", "tenant", ref.TenantID, "delivery_id", ref.DeliveryID, "err", err)
			}
			mu.Lock()
			later = append(later, river.InsertManyParams{Args: jobargs.ProcessEventArgs{TenantID: ref.TenantID, DeliveryID: ref.DeliveryID},
				InsertOpts: &river.InsertOpts{ScheduledAt: time.Now().Add(wait)}})
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(later) == 0 {
		return nil
	}
	insert := w.Later
	if insert == nil {
		insert = insertWithJobClient
	}
	// Should this fail, the whole batch runs again: settled deliveries are
	// skipped, the others are tried again.
	if err := insert(ctx, later); err != nil {
		return fmt.Errorf("process events: queue retries: %w", err)
	}
	return nil
}

func insertWithJobClient(ctx context.Context, params []river.InsertManyParams) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
	_, err = client.InsertMany(ctx, params)
	return err
}
