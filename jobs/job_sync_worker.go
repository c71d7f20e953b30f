package jobs

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// PeriodicJobSync schedules every tenant's job sync every interval.
func PeriodicJobSync(interval time.Duration) *river.PeriodicJob {
	if interval <= 0 {
		interval = DefaultJobSyncInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return jobargs.JobSyncAllArgs{}, nil },
		&river.PeriodicJobOpts{ID: "job_sync"})
}

// JobSyncAllWorker queues each connected tenant's job sync.
type JobSyncAllWorker struct {
	river.WorkerDefaults[jobargs.JobSyncAllArgs]
	Tenants assessments.TenantStore
	Jobs    *river.Client[*sql.Tx]
}

// Work implements river.Worker.
func (w *JobSyncAllWorker) Work(ctx context.Context, _ *river.Job[jobargs.JobSyncAllArgs]) error {
	tenants, err := w.Tenants.Tenants(ctx)
	if err != nil {
		return err
	}
	var params []river.InsertManyParams
	for _, t := range tenants {
		if t.Connected() && t.Status != assessments.TenantNeedsReauth {
			params = append(params, river.InsertManyParams{Args: jobargs.JobSyncArgs{TenantID: t.ID}})
		}
	}
	if len(params) == 0 {
		return nil
	}
	_, err = w.Jobs.InsertMany(ctx, params)
	return err
}

// JobSyncWorker runs one tenant's job sync.
type JobSyncWorker struct {
	river.WorkerDefaults[jobargs.JobSyncArgs]
	Tenants assessments.TenantStore
	Sync    *JobSync
	Log     *slog.Logger
	// PaceSnoozeAfter is the longest wait for the customer's pace that a
	// run sits out holding its worker; a longer one is reserved and
	// snoozed. Zero means DefaultPaceSnoozeAfter.
	PaceSnoozeAfter time.Duration
}

// Timeout implements river.Worker: a first sync of thousands of jobs at
// the customer's pace (about 490 calls a minute) takes minutes.
func (w *JobSyncWorker) Timeout(*river.Job[jobargs.JobSyncArgs]) time.Duration { return time.Hour }

// Work implements river.Worker. A tenant that cannot be called now (not
// connected, credentials refused) waits for the next scheduled run; a run
// held by the customer's call limit snoozes and resumes where it stopped.
// The run never holds the worker long, since the default queue's workers
// serve every customer's events: it works a slice at a time, and a call
// whose turn at the customer's pace is far reserves the turn and snoozes
// until then (the slot kept in the job's metadata). The run keeps what it
// read, so its slot holds one call.
func (w *JobSyncWorker) Work(ctx context.Context, job *river.Job[jobargs.JobSyncArgs]) error {
	slot := jobSlot(job.Metadata, w.PaceSnoozeAfter, false)
	if wait := slot.At.Sub(w.Sync.Clock.Now()); !slot.At.IsZero() && wait > slot.SnoozeAfter {
		return river.JobSnooze(snoozeFor(wait)) // woken early for its turn
	}
	had := slot.At
	err := w.work(icims.WithSlot(ctx, slot), job, slot)
	keepSlot(ctx, slot, had)
	return err
}

func (w *JobSyncWorker) work(ctx context.Context, job *river.Job[jobargs.JobSyncArgs], slot *icims.Slot) error {
	t, err := w.Tenants.Tenant(ctx, job.Args.TenantID)
	if assessments.ErrorCode(err) == assessments.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	res, err := w.Sync.Run(ctx, t)
	var ie *icims.Error
	switch {
	case err == nil:
		w.Log.InfoContext(ctx, "jobs synced", "customer_id", t.CustomerID, "full", res.Full, "swept", res.Swept,
			"read", res.Read, "removed", res.Removed, "calls", res.Calls)
		return nil
	case errors.Is(err, errJobSyncSlice):
		return river.JobSnooze(0) // behind the jobs queued meanwhile
	case errors.As(err, &ie) && ie.Kind == icims.RateLimited && ie.HTTPStatus == 0 && !slot.At.IsZero():
		return river.JobSnooze(snoozeFor(slot.At.Sub(w.Sync.Clock.Now())))
	case errors.As(err, &ie) && (ie.Kind == icims.RateLimited || ie.Kind == icims.QuotaExhausted):
		wait := max(ie.RetryAfter, time.Second)
		w.Log.InfoContext(ctx, "job sync paused at the call limit", "customer_id", t.CustomerID, "retry_after", wait)
		return river.JobSnooze(wait)
	case errors.Is(err, ErrJobSyncBudget):
		now := w.Sync.Clock.Now().UTC()
		tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		w.Log.InfoContext(ctx, "job sync paused for today", "customer_id", t.CustomerID)
		return river.JobSnooze(tomorrow.Sub(now) + time.Minute)
	case assessments.ErrorCode(err) == assessments.EUNAVAILABLE || icims.NeedsReauthorization(err):
		w.Log.WarnContext(ctx, "job sync skipped", "customer_id", t.CustomerID, "err", err)
		return nil
	}
	w.Log.ErrorContext(ctx, "job sync", "customer_id", t.CustomerID, "err", err)
	return err
}
