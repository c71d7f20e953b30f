package storage_test

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestStoreLeavesPgxPoolConnectionsForRiver: the store's database/sql and
// River's workers share pgx's pool. After a burst that used every
// connection through database/sql, River (pgx itself) must still get one:
// connections idle in database/sql must go back to pgx's pool, or River's
// producer, completer and leader election time out and no job runs.
func TestStoreLeavesPgxPoolConnectionsForRiver(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("PostgreSQL only: on SQLite River uses database/sql itself")
	}
	ctx := context.Background()
	u, err := url.Parse(storetest.PostgresDatabase(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	db, err := storage.Open(ctx, u.String(), "")
	require.NoError(t, err)
	defer db.Close()

	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.W.ExecContext(ctx, `SELECT pg_sleep(0.2)`)
			require.NoError(t, err)
		}()
	}
	wg.Wait()

	actx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := db.Postgres().Acquire(actx)
	require.NoError(t, err, "database/sql kept every connection of pgx's pool")
	conn.Release()
}
