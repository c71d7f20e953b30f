// Package queue runs JobCannon's durable jobs on River, in the same SQLite
// database as the domain, so a job is inserted in the same transaction as
// the write that needs it: either both happen or neither does.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// Config tunes the queue.
type Config struct {
	// Workers are the registered workers (river.AddWorker on a
	// river.NewWorkers()). Nil means insert-only, as in CLI commands.
	Workers *river.Workers
	// MaxWorkers is how many jobs run at once.
	MaxWorkers int
	// PollInterval is how often an idle queue looks for work: SQLite has
	// no LISTEN/NOTIFY, so River polls.
	PollInterval time.Duration
	// RetryPolicy decides when a failed job runs again; nil means Backoff.
	// Tests of long failures set one with short waits, so that hours of
	// retries pass in seconds of real time.
	RetryPolicy river.ClientRetryPolicy
	Log         *slog.Logger
}

// Queue inserts and runs jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	db     *sql.DB
	log    *slog.Logger
	// working is set when the queue runs jobs, not only inserts them.
	working bool
}

// New builds a queue on the database's single writer connection.
func New(db *sql.DB, cfg Config) (*Queue, error) {
	if cfg.MaxWorkers == 0 {
		cfg.MaxWorkers = 8
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = Backoff{}
	}
	rc := &river.Config{
		Logger:                      cfg.Log,
		RetryPolicy:                 cfg.RetryPolicy,
		MaxAttempts:                 MaxAttempts,
		JobTimeout:                  2 * time.Minute,
		CompletedJobRetentionPeriod: 24 * time.Hour,
		FetchPollInterval:           cfg.PollInterval,
		FetchCooldown:               min(cfg.PollInterval, 20*time.Millisecond),
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}}
	}
	client, err := river.NewClient(riversqlite.New(db), rc)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Queue{client: client, db: db, log: log, working: cfg.Workers != nil}, nil
}

// Start begins working jobs until Stop. Jobs that a stopped process left
// running (a crash, a kill) run again first.
func (q *Queue) Start(ctx context.Context) error {
	if q.working {
		n, err := rescueOrphans(ctx, q.db)
		if err != nil {
			return err
		}
		if n > 0 {
			q.log.WarnContext(ctx, "jobs left running by a stopped process run again", "jobs", n)
		}
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("queue: start: %w", err)
	}
	return nil
}

// Stop lets running jobs finish until ctx ends, then cancels them; a
// cancelled job is retried after the next start.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("queue: stop: %w", err)
	}
	return nil
}

// InsertTx queues a job in the caller's transaction.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	res, err := q.client.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("queue: insert %s: %w", args.Kind(), err)
	}
	return res.Job, nil
}

// InsertManyTx queues several jobs in the caller's transaction.
func (q *Queue) InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	if _, err := q.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("queue: insert many: %w", err)
	}
	return nil
}

// Client is the River client, for workers that need to queue follow-ups.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// MaxAttempts with Backoff spans about three days: writes to iCIMS keep
// trying through a long outage before they are marked dead. The store's
// insert-only client queues jobs with the same number.
const MaxAttempts = jobargs.MaxAttempts

// Backoff is exponential with full jitter, capped at six hours between
// attempts: 1 s, 2 s, 4 s, … , then every few hours.
type Backoff struct{}

// NextRetry implements river.ClientRetryPolicy.
func (Backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().UTC().Add(BackoffDelay(len(job.Errors), rand.Float64()))
}

// BackoffDelay is the wait before retry n (n failures so far) with jitter
// j in [0,1): half the exponential step is fixed, half random, so retries
// of many jobs spread out instead of arriving together.
func BackoffDelay(n int, j float64) time.Duration {
	const maxDelay = 6 * time.Hour
	step := time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(n)), float64(maxDelay)))
	return step/2 + time.Duration(j*float64(step/2))
}
