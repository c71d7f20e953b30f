package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

func TestMigrateFromEmptyAndAgain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jc.db")
	db, err := storage.Open(ctx, path, "")
	require.NoError(t, err)

	assert.Error(t, db.Ready(ctx), "an unmigrated database is not ready")

	applied, err := db.Migrate(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, applied)
	require.NoError(t, db.Ready(ctx))

	schema := func() string {
		var s string
		require.NoError(t, db.R.QueryRowContext(ctx,
			`SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name)`).Scan(&s))
		return s
	}
	before := schema()
	again, err := db.Migrate(ctx)
	require.NoError(t, err)
	assert.Empty(t, again, "a second run applies nothing")
	assert.Equal(t, before, schema())
	require.NoError(t, db.Close())

	// Reopening the same file finds it migrated.
	db, err = storage.Open(ctx, path, "")
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Ready(ctx))
}

func TestPragmas(t *testing.T) {
	db := storetest.New(t).DB
	skipOnPostgres(t, db, "PRAGMAs and the single-connection writer are SQLite's; TestWriteTransactionsAreSerializable is PostgreSQL's counterpart")
	ctx := context.Background()
	var mode string
	require.NoError(t, db.W.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var fk, busy int
	require.NoError(t, db.R.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	assert.Equal(t, 1, fk)
	require.NoError(t, db.R.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
	assert.Equal(t, 10000, busy)
	assert.Equal(t, 1, db.W.Stats().MaxOpenConnections)
}

func TestReadPoolCannotWrite(t *testing.T) {
	db := storetest.New(t).DB
	skipOnPostgres(t, db, "the read-only pool is SQLite's; on PostgreSQL R and W are the one pool")
	_, err := db.R.Exec(`INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1', ?, ?)`, time.Now(), time.Now())
	assert.Error(t, err)
}

func TestTimesRoundTripInUTC(t *testing.T) {
	db := storetest.New(t).DB
	skipOnPostgres(t, db, "times as sortable text are SQLite's; TestTimesRoundTripInUTCOnPostgres is PostgreSQL's counterpart")
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 14, 30, 0, 123456000, time.UTC)
	_, err := db.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1234', ?, ?)`, at, at)
	require.NoError(t, err)
	var raw string
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT CAST(created_at AS TEXT) FROM tenants`).Scan(&raw))
	assert.Equal(t, "2026-11-22 14:30:00.123456+00:00", raw, "stored as sortable UTC text")
	var got time.Time
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT created_at FROM tenants`).Scan(&got))
	assert.True(t, at.Equal(got))
}

func TestForeignKeysAreEnforced(t *testing.T) {
	db := storetest.New(t).DB
	ctx := context.Background()
	_, err := db.W.ExecContext(ctx, `CREATE TABLE child (tenant_id INTEGER NOT NULL REFERENCES tenants(id))`)
	require.NoError(t, err)
	_, err = db.W.ExecContext(ctx, `INSERT INTO child (tenant_id) VALUES (999)`)
	assert.True(t, storage.IsForeignKeyViolation(err), "a foreign key violation: %v", err)
}

func TestPathFromURL(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{"", "data/jobcannon.db", ""},
		{"sqlite:///var/lib/jc.db", "/var/lib/jc.db", ""},
		{"sqlite://rel/jc.db", "rel/jc.db", ""},
		{"file:x.db", "x.db", ""},
		{"plain.db", "plain.db", ""},
		{"postgres://u@h/db", "", "names no file"},
		{"mysql://x", "", "unknown scheme"},
		{"sqlite://", "", "needs a file path"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := storage.PathFromURL(c.in, "data")
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestDatabaseFileIsPrivate(t *testing.T) {
	db := storetest.New(t).DB
	skipOnPostgres(t, db, "a PostgreSQL database is no file of ours")
	st, err := os.Stat(db.Path())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

func TestReadyNoticesAMissingLowerMigration(t *testing.T) {
	db := storetest.New(t).DB
	ctx := context.Background()
	require.NoError(t, db.Ready(ctx))
	_, err := db.W.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = 2`)
	require.NoError(t, err)
	assert.ErrorContains(t, db.Ready(ctx), "migration 2 is not applied")
}
