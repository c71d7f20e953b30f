package storage_test

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
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

// TestWriteTransactionsAreRepeatableRead is TestPragmas' counterpart: on
// PostgreSQL write transactions run at REPEATABLE READ (not SERIALIZABLE,
// whose predicate locks failed unrelated candidates' saves in the bench).
func TestWriteTransactionsAreRepeatableRead(t *testing.T) {
	db := storetest.New(t).DB
	skipOnSQLite(t, db)
	var level string
	require.NoError(t, db.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRow(`SHOW transaction_isolation`).Scan(&level)
	}))
	assert.Equal(t, "repeatable read", level)
}

// TestConcurrentReadModifyWriteLosesNoUpdate: what the one SQLite writer
// gave for free, every store's read-then-write transaction must keep on
// PostgreSQL: twenty writers each read a count and write it plus one, and
// the count ends at twenty (a transaction that lost the race runs again).
func TestConcurrentReadModifyWriteLosesNoUpdate(t *testing.T) {
	db := storetest.New(t).DB
	ctx := context.Background()
	_, err := db.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES ('1234', '0', ?, ?)`,
		time.Now(), time.Now())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			assert.NoError(t, db.Tx(ctx, func(tx *sql.Tx) error {
				var n int
				if err := tx.QueryRow(`SELECT CAST(name AS INTEGER) FROM tenants WHERE customer_id = '1234'`).Scan(&n); err != nil {
					return err
				}
				_, err := tx.Exec(`UPDATE tenants SET name = ? WHERE customer_id = '1234'`, strconv.Itoa(n+1))
				return err
			}))
		})
	}
	wg.Wait()
	var name string
	require.NoError(t, db.R.QueryRow(`SELECT name FROM tenants WHERE customer_id = '1234'`).Scan(&name))
	assert.Equal(t, "20", name)
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
