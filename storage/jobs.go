package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/jobcannon/jobcannon/jobs/jobargs"
)

// JobClient is River's client on the writer connection, used only to
// queue jobs (and read or retry them) inside the stores' transactions: a
// change and the job that carries it on commit together or not at all. It
// never works jobs: it has no workers and is never started; the queue
// package's client does the work, on the same tables.
type JobClient = river.Client[*sql.Tx]

// newJobClient returns the store's insert-only River client. MaxAttempts
// is stored with each job, so it must match the worker client's.
func newJobClient(w *sql.DB) (*JobClient, error) {
	c, err := river.NewClient(riversqlite.New(w), &river.Config{MaxAttempts: jobargs.MaxAttempts})
	if err != nil {
		return nil, fmt.Errorf("sqlite: job client: %w", err)
	}
	return c, nil
}

// Jobs is the store's insert-only River client, for the few jobs queued
// outside a store method (reminders and expiry, a wake-up) and for reading
// a job's state.
func (db *DB) Jobs() *JobClient { return db.jobs }

// migrateJobs brings River's own tables up to date; the stores queue jobs
// in them, so they are part of the schema. It is idempotent.
func migrateJobs(ctx context.Context, w *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(w), nil)
	if err != nil {
		return fmt.Errorf("sqlite: job tables: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: migrate job tables: %w", err)
	}
	return nil
}

// insertJobsTx queues jobs in the caller's transaction.
func (db *DB) insertJobsTx(ctx context.Context, tx *sql.Tx, params ...river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	if _, err := db.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("queue %s: %w", params[0].Args.Kind(), err)
	}
	return nil
}
