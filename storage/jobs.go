package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
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

// newJobClient returns the store's insert-only River client: River's
// SQLite driver, or on PostgreSQL its database/sql driver, since the
// stores' transactions are database/sql's (the workers use pgx's driver,
// see the queue package). MaxAttempts is stored with each job, so it must
// match the worker client's.
func newJobClient(d Dialect, w *sql.DB) (*JobClient, error) {
	var driver riverdriver.Driver[*sql.Tx] = riversqlite.New(w)
	if d == Postgres {
		driver = riverdatabasesql.New(w)
	}
	c, err := river.NewClient(driver, &river.Config{MaxAttempts: jobargs.MaxAttempts})
	if err != nil {
		return nil, fmt.Errorf("storage: job client: %w", err)
	}
	return c, nil
}

// Jobs is the store's insert-only River client, for the few jobs queued
// outside a store method (reminders and expiry, a wake-up) and for reading
// a job's state.
func (db *DB) Jobs() *JobClient { return db.jobs }

// migrateJobs brings River's own tables up to date; the stores queue jobs
// in them, so they are part of the schema. It is idempotent. On
// PostgreSQL it holds an advisory lock of its own meanwhile, so that
// instances starting together migrate River's tables once.
func (db *DB) migrateJobs(ctx context.Context) error {
	if db.dialect != Postgres {
		return migrateJobsWith(ctx, riversqlite.New(db.W))
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("storage: job tables: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, jobTablesLock); err != nil {
		return fmt.Errorf("storage: job tables: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, jobTablesLock) //nolint:errcheck // the lock also ends with the session
	return migrateJobsWith(ctx, riverpgxv5.New(db.pool))
}

// jobTablesLock is the advisory lock key held while River's tables are
// migrated on PostgreSQL (goose holds another for the store's own).
const jobTablesLock int64 = 0x4a6f6243616e6e // "JobCann"

func migrateJobsWith[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return fmt.Errorf("storage: job tables: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("storage: migrate job tables: %w", err)
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
