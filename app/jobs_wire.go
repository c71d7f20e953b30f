package app

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icimsadapter"
	"github.com/jobcannon/jobcannon/jobs"
	"github.com/jobcannon/jobcannon/queue"
	"github.com/jobcannon/jobcannon/storage"
)

// jobSyncParts is the job sync: each customer's iCIMS jobs kept in the
// database on a schedule and on demand, for the Jobs page and the rule
// form's job picker. Its workers join the events side's queue.
type jobSyncParts struct {
	cfg      ICIMSConfig
	listings *assessments.JobListings
	worker   *jobs.JobSyncWorker
	all      *jobs.JobSyncAllWorker
}

func newJobSyncParts(db *storage.DB, clock assessments.Clock, log *slog.Logger, tenants assessments.TenantStore,
	pool *icimsadapter.Pool, cfg ICIMSConfig) *jobSyncParts {
	store := storage.NewJobListingStore(db, clock)
	log = log.With("component", "job_sync")
	var closed []string
	for _, f := range strings.Split(cfg.ClosedJobFolders, ",") {
		if f = strings.TrimSpace(f); f != "" {
			closed = append(closed, f)
		}
	}
	sync := &jobs.JobSync{Clients: pool, Store: store, Clock: clock, Log: log, ClosedFolders: closed,
		CodeField: cfg.JobCodeField, Pace: pool}
	return &jobSyncParts{cfg: cfg, listings: &assessments.JobListings{Store: store},
		worker: &jobs.JobSyncWorker{Tenants: tenants, Sync: sync, Log: log},
		all:    &jobs.JobSyncAllWorker{Tenants: tenants, Jobs: db.Jobs()}}
}

// register adds the workers, before the queue is built.
func (p *jobSyncParts) register(workers *river.Workers) {
	river.AddWorker(workers, p.worker)
	river.AddWorker(workers, p.all)
}

// schedule adds the periodic sync to the queue. The first run comes one
// interval after the start, not at it: a service that restarts does not
// re-read every customer's changes at once, and an admin who wants the
// jobs now presses Refresh jobs.
func (p *jobSyncParts) schedule(q *queue.Queue) error {
	if err := q.AddPeriodic(jobs.PeriodicJobSync(p.cfg.JobSyncInterval)); err != nil {
		return fmt.Errorf("schedule job sync: %w", err)
	}
	return nil
}
