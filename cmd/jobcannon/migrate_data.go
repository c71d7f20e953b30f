package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jobcannon/jobcannon/storage"
)

const migrateDataUsage = `Usage: jobcannon migrate-data --from sqlite:///path/jobcannon.db --to postgres://user:pass@host/db

Copies a SQLite deployment's data into an empty PostgreSQL database: every
table row for row (tenants, credentials, rules, invitations, results, logs)
and the jobs still to run. Stop the service first. Both databases are
migrated to the current schema before the copy; the copy is one
transaction, so a failure leaves the PostgreSQL database empty. Start the
instances on PostgreSQL with the same JOBCANNON_SECRET_KEY: the copied
credentials are sealed with it.`

func migrateData(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var from, to, dataDir string
	f := newFlagSet("migrate-data", migrateDataUsage, getenv, stdout)
	f.String(&from, "from", "", "", "the SQLite database: sqlite:///path/to/file.db or a file path")
	f.String(&to, "to", "", "", "the PostgreSQL database: postgres://user:pass@host:5432/db (empty of data)")
	f.String(&dataDir, "data-dir", "JOBCANNON_DATA_DIR", "./data", "directory --from is relative to when it is empty")
	if err := f.parse(args); err != nil {
		return err
	}
	if to == "" {
		return errors.New("migrate-data: --to is required: the PostgreSQL database to copy into (see: jobcannon migrate-data --help)")
	}
	src, err := openMigrated(ctx, from, dataDir)
	if err != nil {
		return fmt.Errorf("migrate-data: --from: %w", err)
	}
	defer src.Close()
	dst, err := openMigrated(ctx, to, dataDir)
	if err != nil {
		return fmt.Errorf("migrate-data: --to: %w", err)
	}
	defer dst.Close()
	rep, err := src.CopyTo(ctx, dst)
	if err != nil {
		return fmt.Errorf("migrate-data: %w", err)
	}
	rows := 0
	for _, t := range rep.Tables {
		rows += t.Rows
		if t.Rows > 0 {
			fmt.Fprintf(stdout, "%-28s %8d\n", t.Table, t.Rows)
		}
	}
	fmt.Fprintf(stdout, "%-28s %8d\n", "queued jobs", rep.Jobs)
	for _, s := range rep.Skipped {
		fmt.Fprintf(stdout, "not copied: %s\n", s)
	}
	fmt.Fprintf(stdout, "copied %d rows in %d tables and %d queued jobs from %s to %s\n", rows, len(rep.Tables), rep.Jobs, src.Name(), dst.Name())
	return nil
}

// openMigrated opens the database dbURL names and brings its schema up to
// date, so that both sides of a copy have the same tables.
func openMigrated(ctx context.Context, dbURL, dataDir string) (*storage.DB, error) {
	db, err := storage.Open(ctx, dbURL, dataDir)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
