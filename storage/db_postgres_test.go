package storage_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// skipOnPostgres skips a test of SQLite-only machinery when the store is
// PostgreSQL, saying why.
func skipOnPostgres(t *testing.T, db *storage.DB, why string) {
	t.Helper()
	if db.Dialect() == storage.Postgres {
		t.Skip("SQLite only: " + why)
	}
}

// skipOnSQLite skips a test of PostgreSQL's counterpart of SQLite
// machinery when the store is SQLite.
func skipOnSQLite(t *testing.T, db *storage.DB) {
	t.Helper()
	if db.Dialect() != storage.Postgres {
		t.Skip("PostgreSQL only: run with " + storetest.StoreEnv + "=postgres")
	}
}

// TestWriteTransactionsAreSerializable is TestPragmas' counterpart: on
// PostgreSQL the one-writer guarantee the stores were written for comes
// from SERIALIZABLE write transactions.
func TestWriteTransactionsAreSerializable(t *testing.T) {
	db := storetest.New(t).DB
	skipOnSQLite(t, db)
	var level string
	require.NoError(t, db.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRow(`SHOW transaction_isolation`).Scan(&level)
	}))
	assert.Equal(t, "serializable", level)
}

// TestTimesRoundTripInUTCOnPostgres is TestTimesRoundTripInUTC's
// counterpart: times are TIMESTAMPTZ, keep their microseconds and come
// back in UTC whatever the session's zone.
func TestTimesRoundTripInUTCOnPostgres(t *testing.T) {
	db := storetest.New(t).DB
	skipOnSQLite(t, db)
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 14, 30, 0, 123456000, time.UTC)
	_, err := db.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1234', ?, ?)`,
		at.In(time.FixedZone("UTC+5", 5*3600)), at)
	require.NoError(t, err)
	var typ string
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT pg_typeof(created_at)::text FROM tenants`).Scan(&typ))
	assert.Equal(t, "timestamp with time zone", typ)
	var got time.Time
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT created_at FROM tenants`).Scan(&got))
	assert.True(t, at.Equal(got), "%v", got)
	assert.Equal(t, time.UTC, got.Location())
}
