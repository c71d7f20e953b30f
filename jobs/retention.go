package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/assessments"
)

// DefaultRetentionInterval is how often retention runs. Hourly keeps each
// run small: the cutoff moves by an hour between runs.
const DefaultRetentionInterval = time.Hour

// RetentionArgs runs retention for every tenant. It carries nothing: the
// policies and the clock decide what is past its time.
type RetentionArgs struct{}

// Kind implements river.JobArgs.
func (RetentionArgs) Kind() string { return "retention_purge" }

// InsertOpts implements river.JobArgsWithInsertOpts: one run queued or
// running at a time; a completed run does not block the next.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// PeriodicRetention schedules retention every interval, and once when the
// queue starts, so a service that restarts often still purges.
func PeriodicRetention(interval time.Duration) *river.PeriodicJob {
	if interval <= 0 {
		interval = DefaultRetentionInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "retention", RunOnStart: true})
}

// RetentionWorker applies every tenant's retention policy.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	Retention *assessments.Retention
	Log       *slog.Logger
}

// Timeout implements river.Worker: a first run over a large backlog takes
// longer than ordinary jobs. Each batch commits on its own, so a run cut
// short resumes where it stopped.
func (w *RetentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return 30 * time.Minute }

// Work implements river.Worker.
func (w *RetentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	purges, err := w.Retention.Run(ctx)
	for _, p := range purges {
		if p.Counts.Total() == 0 {
			continue
		}
		c := p.Counts
		w.Log.InfoContext(ctx, "retention purged", slog.Int64("tenant", p.TenantID), slog.Time("cutoff", p.Cutoff),
			slog.Int("invitations", c.Invitations), slog.Int("answers", c.Answers), slog.Int("deliveries", c.Deliveries),
			slog.Int("attempts", c.Attempts), slog.Int("mailbox", c.Mailbox), slog.Int("total", c.Total()))
	}
	return err
}
