// Package storage keeps JobCannon's data in SQL: a SQLite file through
// modernc.org/sqlite (no cgo) for one machine, or PostgreSQL through pgx for
// several instances on one database. The stores' SQL is written once, in
// the SQLite dialect with `?` placeholders; on PostgreSQL one rewrite
// (postgresSQL, dialect.go) turns it into PostgreSQL's, so every difference
// between the two lives in one place.
//
// On SQLite writes go through a single connection, since SQLite has one
// writer anyway and queueing in Go beats SQLITE_BUSY; reads use a separate
// pool that can run beside the writer thanks to WAL. On PostgreSQL writes
// and reads have a pool each, and write transactions run at REPEATABLE
// READ, run again from the start when PostgreSQL reports that another
// transaction changed a row they change (see tx). With the unique indexes
// that guard every "one of" rule (one live invitation per workflow and
// package, one delivery per dedupe key) and ON CONFLICT where two writers
// may insert the same row, that keeps what the single SQLite writer gave
// the stores: no lost update, no duplicate.
//
// Not SERIALIZABLE: measured with the bench, its predicate locks made
// different candidates' page saves fail each other ("read/write
// dependencies among transactions") faster than retries could absorb.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/jobcannon/jobcannon/migrations"
)

// Dialect names the database a DB speaks.
type Dialect string

// The databases the store runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: a writer and a reader pool.
type DB struct {
	// W is the pool that writes: one connection on SQLite. Hold its
	// transactions short.
	W *sql.DB
	// R is a pool for reads: read-only connections on SQLite, a pool of
	// its own on PostgreSQL.
	R *sql.DB

	dialect Dialect
	// name is what logs call the database: the SQLite file's path, or the
	// PostgreSQL URL without its password.
	name string
	// path is the SQLite file; "" on PostgreSQL.
	path string
	// pool is pgx's pool under W on PostgreSQL (River and the sessions
	// use it too), readPool the one under R; nil on SQLite.
	pool, readPool *pgxpool.Pool
	// jobs queues River jobs in the writer's transactions (see Jobs).
	jobs *JobClient
	// shares counts each customer's recent jobs, to choose their priority
	// (see jobShares).
	shares jobShares
}

// Open opens the database that dbURL names: "postgres://…" (or
// "postgresql://…") for PostgreSQL; "sqlite:///abs/path.db", a "file:"
// URL or a plain path for a SQLite file (created if needed); "" for
// dataDir/jobcannon.db. It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL, dataDir string) (*DB, error) {
	if isPostgresURL(dbURL) {
		return openPostgres(ctx, dbURL)
	}
	path, err := PathFromURL(dbURL, dataDir)
	if err != nil {
		return nil, err
	}
	return openSQLite(ctx, path)
}

// Dialect is the database this DB speaks.
func (db *DB) Dialect() Dialect { return db.dialect }

// Name is how logs and messages name the database: the SQLite file's path
// or the PostgreSQL URL without its password.
func (db *DB) Name() string { return db.name }

// Path is the SQLite database file's path; "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Postgres is pgx's pool on PostgreSQL, for the parts that speak pgx
// directly (River's workers, the session store); nil on SQLite.
func (db *DB) Postgres() *pgxpool.Pool { return db.pool }

// Close closes the readers and then the writer (on SQLite this
// checkpoints the WAL).
func (db *DB) Close() error {
	err := errors.Join(db.R.Close(), db.W.Close())
	if db.dialect == Postgres {
		db.readPool.Close()
		db.pool.Close()
	}
	return err
}

// Migrate applies every pending migration and returns the ones it applied,
// then brings River's job tables up to date (they are not listed). Running
// it again applies nothing. On PostgreSQL instances that start together
// migrate once: goose holds PostgreSQL's session lock while it migrates and
// River's tables are migrated under a lock of their own.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	p, err := db.migrator()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: migrate: %w", err)
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	if err := db.migrateJobs(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// migrator is goose's provider for this database's migrations folder.
func (db *DB) migrator() (*goose.Provider, error) {
	if db.dialect == Postgres {
		return postgresMigrator(db.W)
	}
	return sqliteMigrator(db.W)
}

// Ready returns nil when the database answers and every embedded migration
// is applied. It reads goose's version table on the read pool, so a
// readiness probe never queues behind the writer.
func (db *DB) Ready(ctx context.Context) error {
	want, err := embeddedMigrations(db.migrations())
	if err != nil {
		return err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0`)
	if err != nil && isMissingTable(err) {
		return errors.New("storage: database not migrated; run: jobcannon migrate")
	} else if err != nil {
		return fmt.Errorf("storage: check migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("storage: check migrations: %w", err)
		}
		delete(want, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: check migrations: %w", err)
	}
	for v := range want {
		return fmt.Errorf("storage: migration %d is not applied (%d pending); run: jobcannon migrate", v, len(want))
	}
	return nil
}

// embeddedMigrations is the set of versions among the embedded
// migrations, read from their NNNNN_ file name prefixes.
func embeddedMigrations(files fs.FS) (map[int64]bool, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, fmt.Errorf("storage: list migrations: %w", err)
	}
	versions := map[int64]bool{}
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("storage: migration %s: name must start with a number", e.Name())
		}
		versions[v] = true
	}
	return versions, nil
}

// txAttempts is how many times a write transaction runs before a
// conflict is reported: PostgreSQL refuses a REPEATABLE READ transaction
// that changes a row another changed since it began, and running it again
// on a fresh snapshot is the fix.
const txAttempts = 10

// tx runs fn in a write transaction, committing when it returns nil. On
// PostgreSQL, when the transaction lost a race with another (a
// serialization failure or a deadlock) it runs fn again from the start,
// so fn must only change the database and variables it sets afresh.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	var opts *sql.TxOptions
	if db.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead}
	}
	for attempt := 1; ; attempt++ {
		err := db.txOnce(ctx, opts, fn)
		if err == nil || !isSerializationFailure(err) || attempt == txAttempts {
			return err
		}
		// A short, growing, random pause lets the transaction that won
		// finish and keeps the losers from meeting again.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(rand.Int64N(int64(attempt) * int64(2*time.Millisecond)))):
		}
	}
}

func (db *DB) txOnce(ctx context.Context, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// migrations is this database's migrations folder.
func (db *DB) migrations() fs.FS {
	if db.dialect == Postgres {
		return migrations.Postgres
	}
	return migrations.SQLite
}
