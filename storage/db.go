// Package sqlite stores JobCannon's data in a SQLite file through
// modernc.org/sqlite (no cgo). Writes go through a single connection, since
// SQLite has one writer anyway and queueing in Go beats SQLITE_BUSY; reads
// use a separate pool that can run beside the writer thanks to WAL.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/jobcannon/jobcannon/migrations"
)

// DB is an open database: one writer connection and a read-only pool.
type DB struct {
	// W is the only connection that writes. Hold its transactions short.
	W *sql.DB
	// R is a pool of read-only connections.
	R *sql.DB

	path string
	// jobs queues River jobs in the writer's transactions (see Jobs).
	jobs *JobClient
}

// PathFromURL turns the --database-url setting into a file path. It accepts
// "sqlite:///abs/path.db", "sqlite://rel/path.db", "file:path.db" and a plain
// path; an empty URL means dataDir/jobcannon.db.
func PathFromURL(dbURL, dataDir string) (string, error) {
	switch {
	case dbURL == "":
		return filepath.Join(dataDir, "jobcannon.db"), nil
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return "", errors.New("database url: PostgreSQL is not supported yet; use a sqlite:// URL or a file path")
	case strings.HasPrefix(dbURL, "sqlite://"):
		p := strings.TrimPrefix(dbURL, "sqlite://")
		if p == "" {
			return "", errors.New("database url: sqlite:// needs a file path, e.g. sqlite:///var/lib/jobcannon/jobcannon.db")
		}
		return p, nil
	case strings.HasPrefix(dbURL, "file:"):
		return strings.TrimPrefix(dbURL, "file:"), nil
	case strings.Contains(dbURL, "://"):
		return "", fmt.Errorf("database url %q: unknown scheme; use sqlite:// or a file path", dbURL)
	}
	return dbURL, nil
}

// Open opens (creating if needed) the database file at path. It does not
// migrate; call Migrate.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: create directory: %w", err)
		}
	}
	// Candidate data lives here: only this user may read the file. SQLite
	// gives the WAL and shared-memory files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("sqlite: create %s: %w", path, err)
	} else {
		f.Close()
	}
	// _txlock=immediate: a write transaction takes the write lock when it
	// begins, so two writers never deadlock upgrading from a read lock.
	w, err := sql.Open("sqlite", dsn(path, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer creates the file and switches it to WAL before any reader
	// connects, so readers never see a rollback-journal database.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	jobs, err := newJobClient(w)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return &DB{W: w, R: r, path: path, jobs: jobs}, nil
}

func dsn(path string, extra ...string) string {
	params := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		// NORMAL in WAL mode is safe against process crashes (the WAL is in
		// the OS page cache); only an OS crash or power cut can drop the last
		// commits. FULL costs an fsync per commit.
		"_pragma=synchronous(NORMAL)",
		"_time_format=sqlite",
	}
	params = append(params, extra...)
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + strings.Join(params, "&")
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the readers and then the writer, which checkpoints the WAL.
func (db *DB) Close() error {
	return errors.Join(db.R.Close(), db.W.Close())
}

func migrator(conn *sql.DB) (*goose.Provider, error) {
	// Out of order: each area of the product owns a block of numbers, so a
	// database migrated on a branch can meet a lower number later.
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, migrations.SQLite, goose.WithAllowOutofOrder(true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration and returns the ones it applied,
// then brings River's job tables up to date (they are not listed). Running
// it again applies nothing.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	p, err := migrator(db.W)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrate: %w", err)
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	if err := migrateJobs(ctx, db.W); err != nil {
		return applied, err
	}
	return applied, nil
}

// Ready returns nil when the database answers and every embedded migration
// is applied. It reads goose's version table on the read pool, so a
// readiness probe never queues behind the writer.
func (db *DB) Ready(ctx context.Context) error {
	want, err := embeddedMigrations()
	if err != nil {
		return err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0`)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return errors.New("sqlite: database not migrated; run: jobcannon migrate")
	} else if err != nil {
		return fmt.Errorf("sqlite: check migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("sqlite: check migrations: %w", err)
		}
		delete(want, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: check migrations: %w", err)
	}
	for v := range want {
		return fmt.Errorf("sqlite: migration %d is not applied (%d pending); run: jobcannon migrate", v, len(want))
	}
	return nil
}

// embeddedMigrations is the set of versions among the embedded
// migrations, read from their NNNNN_ file name prefixes.
func embeddedMigrations() (map[int64]bool, error) {
	entries, err := fs.ReadDir(migrations.SQLite, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlite: list migrations: %w", err)
	}
	versions := map[int64]bool{}
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("sqlite: migration %s: name must start with a number", e.Name())
		}
		versions[v] = true
	}
	return versions, nil
}

// tx runs fn in a write transaction, committing when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}
