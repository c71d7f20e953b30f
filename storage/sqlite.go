package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/jobcannon/jobcannon/migrations"
)

// PathFromURL turns the --database-url setting into a file path. It accepts
// "sqlite:///abs/path.db", "sqlite://rel/path.db", "file:path.db" and a plain
// path; an empty URL means dataDir/jobcannon.db.
func PathFromURL(dbURL, dataDir string) (string, error) {
	switch {
	case dbURL == "":
		return filepath.Join(dataDir, "jobcannon.db"), nil
	case isPostgresURL(dbURL):
		return "", errors.New("database url: a PostgreSQL URL names no file")
	case strings.HasPrefix(dbURL, "sqlite://"):
		p := strings.TrimPrefix(dbURL, "sqlite://")
		if p == "" {
			return "", errors.New("database url: sqlite:// needs a file path, e.g. sqlite:///var/lib/jobcannon/jobcannon.db")
		}
		return p, nil
	case strings.HasPrefix(dbURL, "file:"):
		return strings.TrimPrefix(dbURL, "file:"), nil
	case strings.Contains(dbURL, "://"):
		return "", fmt.Errorf("database url %q: unknown scheme; use postgres://, sqlite:// or a file path", dbURL)
	}
	return dbURL, nil
}

// openSQLite opens (creating if needed) the database file at path.
func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("storage: create directory: %w", err)
		}
	}
	// Candidate data lives here: only this user may read the file. SQLite
	// gives the WAL and shared-memory files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", path, err)
	} else {
		f.Close()
	}
	// _txlock=immediate: a write transaction takes the write lock when it
	// begins, so two writers never deadlock upgrading from a read lock.
	w := sql.OpenDB(newSQLiteConnector(dsn(path, "_txlock=immediate")))
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer creates the file and switches it to WAL before any reader
	// connects, so readers never see a rollback-journal database.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	r := sql.OpenDB(newSQLiteConnector(dsn(path, "_pragma=query_only(1)")))
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("storage: open readers: %w", err)
	}
	jobs, err := newJobClient(SQLite, w)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return &DB{W: w, R: r, dialect: SQLite, name: path, path: path, jobs: jobs}, nil
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
		"_pragma=temp_store(MEMORY)",
		"_time_format=sqlite",
	}
	params = append(params, extra...)
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + strings.Join(params, "&")
}

func sqliteMigrator(conn *sql.DB) (*goose.Provider, error) {
	// Out of order: each area of the product owns a block of numbers, so a
	// database migrated on a branch can meet a lower number later.
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, migrations.SQLite, goose.WithAllowOutofOrder(true))
	if err != nil {
		return nil, fmt.Errorf("storage: migrations: %w", err)
	}
	return p, nil
}
