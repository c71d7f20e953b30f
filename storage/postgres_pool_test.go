package storage_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestStoreQueriesLeaveThePoolToRiver: on PostgreSQL the store (through
// database/sql) and River and the sessions (through pgx) share one pool.
// Connections the store has finished with go back to it: when
// database/sql kept them idle for itself, a burst of store queries took
// every connection and River could not fetch, complete or lead again,
// which stopped every instance's jobs.
func TestStoreQueriesLeaveThePoolToRiver(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("PostgreSQL only: SQLite has no pool shared with pgx")
	}
	ctx := context.Background()
	db := smallPool(t, 2)

	// Two store queries at once open both connections.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, err := db.W.ExecContext(ctx, `SELECT pg_sleep(0.2)`)
			require.NoError(t, err)
		})
	}
	wg.Wait()

	acquire, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := db.Postgres().Acquire(acquire)
	require.NoError(t, err, "pgx users get a connection once the store's queries are done")
	conn.Release()
}

// TestReadsInsideATransactionNeverWaitForIt: a store method that reads
// through R while it holds a transaction on W (the e-mail worker reads the
// package in the transaction that records a send) gets its read even when
// every writer connection is in such a transaction. With R and W one pool,
// a few sends at once held every connection, each waiting for one more.
func TestReadsInsideATransactionNeverWaitForIt(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("PostgreSQL only: on SQLite R is its own read-only pool already")
	}
	ctx := context.Background()
	db := smallPool(t, 1)

	tx, err := db.W.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `SELECT 1`)
	require.NoError(t, err)

	read, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var n int
	require.NoError(t, db.R.QueryRowContext(read, `SELECT 1`).Scan(&n), "a read while every writer connection is in a transaction")
}

// smallPool opens a fresh test database with at most n connections in
// pgx's pool.
func smallPool(t *testing.T, n int) *storage.DB {
	t.Helper()
	url := storetest.New(t).URL
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	db, err := storage.Open(context.Background(), url+sep+"pool_max_conns="+strconv.Itoa(n), "")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}
