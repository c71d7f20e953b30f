package storage_test

import (
	"context"
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
	url := storetest.New(t).URL
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	db, err := storage.Open(ctx, url+sep+"pool_max_conns=2", "")
	require.NoError(t, err)
	defer db.Close()

	// Two store queries at once open both connections.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, err := db.R.ExecContext(ctx, `SELECT pg_sleep(0.2)`)
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
