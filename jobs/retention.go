package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// DefaultRetentionInterval is how often retention runs. Hourly keeps each
// run small: the cutoff moves by an hour between runs.
const DefaultRetentionInterval = time.Hour

// PeriodicRetention schedules retention every interval, and once when the
// queue starts, so a service that restarts often still purges.
func PeriodicRetention(interval time.Duration) *river.PeriodicJob {
	if interval <= 0 {
		interval = DefaultRetentionInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return jobargs.RetentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "retention", RunOnStart: true})
}

// RetentionWorker applies every tenant's retention policy.
type RetentionWorker struct {
	river.WorkerDefaults[jobargs.RetentionArgs]
	Retention *assessments.Retention
	Log       *slog.Logger
}

// Timeout implements river.Worker: a first run over a large backlog takes
// longer than ordinary jobs. Each batch commits on its own, so a run cut
// short resumes where it stopped.
func (w *RetentionWorker) Timeout(*river.Job[jobargs.RetentionArgs]) time.Duration {
	return 30 * time.Minute
}

// Work implements river.Worker.
func (w *RetentionWorker) Work(ctx context.Context, job *river.Job[jobargs.RetentionArgs]) error {
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
