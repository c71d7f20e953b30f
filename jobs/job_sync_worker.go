package jobs

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// JobSyncArgs syncs one tenant's jobs from iCIMS.
type JobSyncArgs struct {
	TenantID int64 `json:"tenant_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (JobSyncArgs) Kind() string { return "job_sync" }

// InsertOpts implements river.JobArgsWithInsertOpts: one sync per tenant
// queued or running at a time, so the schedule and the Refresh button
// never read a customer's jobs twice over.
func (JobSyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// JobSyncAllArgs queues a job sync for every connected tenant.
type JobSyncAllArgs struct{}

// Kind implements river.JobArgs.
func (JobSyncAllArgs) Kind() string { return "job_sync_all" }

// PeriodicJobSync schedules every tenant's job sync every interval.
func PeriodicJobSync(interval time.Duration) *river.PeriodicJob {
	if interval <= 0 {
		interval = DefaultJobSyncInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return JobSyncAllArgs{}, nil },
		&river.PeriodicJobOpts{ID: "job_sync"})
}

// JobSyncQueuer queues job syncs; it implements assessments.JobSyncQueue.
type JobSyncQueuer struct {
	Jobs *river.Client[*sql.Tx]
}

var _ assessments.JobSyncQueue = (*JobSyncQueuer)(nil)

// QueueJobSync implements assessments.JobSyncQueue.
func (q *JobSyncQueuer) QueueJobSync(ctx context.Context, tenantID int64) error {
	_, err := q.Jobs.Insert(ctx, JobSyncArgs{TenantID: tenantID}, nil)
	return err
}

// JobSyncAllWorker queues each connected tenant's job sync.
type JobSyncAllWorker struct {
	river.WorkerDefaults[JobSyncAllArgs]
	Tenants assessments.TenantStore
	Jobs    *river.Client[*sql.Tx]
}

// Work implements river.Worker.
func (w *JobSyncAllWorker) Work(ctx context.Context, _ *river.Job[JobSyncAllArgs]) error {
	tenants, err := w.Tenants.Tenants(ctx)
	if err != nil {
		return err
	}
	var params []river.InsertManyParams
	for _, t := range tenants {
		if t.Connected() && t.Status != assessments.TenantNeedsReauth {
			params = append(params, river.InsertManyParams{Args: JobSyncArgs{TenantID: t.ID}})
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
	river.WorkerDefaults[JobSyncArgs]
	Tenants assessments.TenantStore
	Sync    *JobSync
	Log     *slog.Logger
}

// Timeout implements river.Worker: a first sync of thousands of jobs at
// the customer's pace (about 490 calls a minute) takes minutes.
func (w *JobSyncWorker) Timeout(*river.Job[JobSyncArgs]) time.Duration { return time.Hour }

// Work implements river.Worker. A tenant that cannot be called now (not
// connected, credentials refused) waits for the next scheduled run; a run
// held by the customer's call limit snoozes and resumes where it stopped.
func (w *JobSyncWorker) Work(ctx context.Context, job *river.Job[JobSyncArgs]) error {
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
		w.Log.InfoContext(ctx, "jobs synced", "tenant", t.CustomerID, "full", res.Full, "swept", res.Swept,
			"read", res.Read, "removed", res.Removed, "calls", res.Calls)
		return nil
	case errors.As(err, &ie) && (ie.Kind == icims.RateLimited || ie.Kind == icims.QuotaExhausted):
		wait := max(ie.RetryAfter, time.Second)
		w.Log.InfoContext(ctx, "job sync paused at the call limit", "tenant", t.CustomerID, "retry_after", wait)
		return river.JobSnooze(wait)
	case errors.Is(err, ErrJobSyncBudget):
		now := w.Sync.Clock.Now().UTC()
		tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		w.Log.InfoContext(ctx, "job sync paused for today", "tenant", t.CustomerID)
		return river.JobSnooze(tomorrow.Sub(now) + time.Minute)
	case assessments.ErrorCode(err) == assessments.EUNAVAILABLE || icims.NeedsReauthorization(err):
		w.Log.WarnContext(ctx, "job sync skipped", "tenant", t.CustomerID, "err", err)
		return nil
	}
	w.Log.ErrorContext(ctx, "job sync", "tenant", t.CustomerID, "err", err)
	return err
}
