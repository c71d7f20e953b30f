// Package queue runs JobCannon's durable jobs on River, in the same
// database as the domain (SQLite or PostgreSQL), so a job is inserted in
// the same transaction as the write that needs it: either both happen or
// neither does.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

// Config tunes the queue.
type Config struct {
	// Workers are the registered workers (river.AddWorker on a
	// river.NewWorkers()). Nil means insert-only, as in CLI commands.
	Workers *river.Workers
	// MaxWorkers is how many jobs of River's default queue (events, job
	// sync, clean-up) run at once; zero means 8.
	MaxWorkers int
	// EmailWorkers is how many jobs of the e-mail queue run at once, and
	// ICIMSWorkers how many writes to iCIMS; zero means 4 and 8. Each
	// queue has workers of its own, so that e-mails never wait for a
	// worker behind writes to iCIMS (see jobargs.QueueEmail).
	EmailWorkers int
	ICIMSWorkers int
	// PollInterval is how often an idle queue looks for work: SQLite has
	// no LISTEN/NOTIFY, so River polls; on PostgreSQL it is the fallback
	// behind notifications.
	PollInterval time.Duration
	// RetryPolicy decides when a failed job runs again; nil means Backoff.
	// Tests of long failures set one with short waits, so that hours of
	// retries pass in seconds of real time.
	RetryPolicy river.ClientRetryPolicy
	Log         *slog.Logger
}

// Queue runs jobs: River's worker client on the store's database. It
// inserts jobs only outside a transaction (a wake-up, a test); the stores
// queue theirs inside their own transactions with their own client
// (storage.DB.Jobs).
type Queue struct {
	client workerClient
	db     *storage.DB
	log    *slog.Logger
	// working is set when the queue runs jobs, not only inserts them.
	working bool
	// instance marks this process alive among the instances on
	// PostgreSQL while it works jobs; nil on SQLite and when inserting only.
	instance *instance
}

// workerClient is what the queue uses of River's client, whichever
// driver it runs on (River's client is generic over its driver's
// transaction type).
type workerClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	PeriodicJobs() *river.PeriodicJobBundle
}

// New builds a queue on db: on SQLite River's SQLite driver on the single
// writer connection, polling; on PostgreSQL River's pgx driver, which
// hears new jobs by LISTEN/NOTIFY and elects one leader among the
// instances for the periodic jobs and the clean-up.
func New(db *storage.DB, cfg Config) (*Queue, error) {
	if cfg.MaxWorkers == 0 {
		cfg.MaxWorkers = 8
	}
	if cfg.EmailWorkers == 0 {
		cfg.EmailWorkers = 4
	}
	if cfg.ICIMSWorkers == 0 {
		cfg.ICIMSWorkers = 8
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
		// A queue per kind of work rather than per customer: River's
		// queues are fixed per client and each polls on its own, which
		// hundreds of customers would multiply. Customers share the iCIMS
		// queue fairly because a write that must wait on its customer's
		// pace snoozes (with its slot reserved) instead of holding a
		// worker; see jobs.WritebackWorker.
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault:       {MaxWorkers: cfg.MaxWorkers},
			jobargs.QueueEmail:       {MaxWorkers: cfg.EmailWorkers},
			jobargs.QueueICIMSWrites: {MaxWorkers: cfg.ICIMSWorkers},
		}
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var (
		client workerClient
		in     *instance
		err    error
	)
	if db.Dialect() == storage.Postgres {
		// Several instances: a job left running by one that died is freed
		// by the living within seconds (instances.go); River's rescuer,
		// once a job has run past its timeout and this margin, stays as
		// the backstop for jobs no instance lock covers. The SQLite-only
		// orphan rescue would take jobs from the living.
		rc.RescueStuckJobsAfter = rc.JobTimeout + time.Minute
		if cfg.Workers != nil {
			in = newInstance(db.Postgres(), log)
			rc.ID = in.clientID
		}
		client, err = river.NewClient(riverpgxv5.New(db.Postgres()), rc)
	} else {
		client, err = river.NewClient(riversqlite.New(db.W), rc)
	}
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &Queue{client: client, db: db, log: log, working: cfg.Workers != nil, instance: in}, nil
}

// Start begins working jobs until Stop. On SQLite, jobs that a stopped
// process left running (a crash, a kill) run again first.
func (q *Queue) Start(ctx context.Context) error {
	if q.working && q.db.Dialect() == storage.SQLite {
		n, err := rescueOrphans(ctx, q.db.W)
		if err != nil {
			return err
		}
		if n > 0 {
			q.log.WarnContext(ctx, "jobs left running by a stopped process run again", "jobs", n)
		}
	}
	if q.instance != nil {
		if err := q.instance.start(ctx); err != nil {
			return err
		}
	}
	if err := q.client.Start(ctx); err != nil {
		if q.instance != nil {
			q.instance.close()
		}
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
	if q.instance != nil {
		q.instance.close()
	}
	return nil
}

// Insert queues a job on its own, outside any transaction.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("queue: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// AddPeriodic schedules a periodic job; on PostgreSQL only the elected
// leader among the instances runs it.
func (q *Queue) AddPeriodic(job *river.PeriodicJob) error {
	if _, err := q.client.PeriodicJobs().AddSafely(job); err != nil {
		return fmt.Errorf("queue: periodic job: %w", err)
	}
	return nil
}

// InJob reports whether ctx is a job's, worked by a queue's client.
func InJob(ctx context.Context) bool {
	if _, err := river.ClientFromContextSafely[*sql.Tx](ctx); err == nil {
		return true
	}
	_, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	return err == nil
}

// InsertFromJob queues jobs, outside any transaction, from inside a job
// (ctx is the job's), through the client working it.
func InsertFromJob(ctx context.Context, params []river.InsertManyParams) error {
	if c, err := river.ClientFromContextSafely[*sql.Tx](ctx); err == nil {
		_, err = c.InsertMany(ctx, params)
		return err
	}
	c, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	_, err = c.InsertMany(ctx, params)
	return err
}

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
