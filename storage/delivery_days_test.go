package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storetest"
)

// TestAFailedDeliveryDoesNotWaitForAGroupCommitsDayCount: the day's
// delivery counts are kept in shard rows. A group commit writes dozens of
// deliveries in one transaction, and with the shard taken from each
// delivery's id it held most of the day's shard rows until it committed:
// a delivery failed meanwhile on another connection waited for it (and,
// REPEATABLE READ, then could not serialize). With the shard taken from
// the writing connection, the two touch different rows and neither waits.
func TestAFailedDeliveryDoesNotWaitForAGroupCommitsDayCount(t *testing.T) {
	db := storetest.New(t).DB
	skipOnSQLite(t, db)
	ctx := context.Background()
	now := time.Now().UTC()
	_, err := db.W.ExecContext(ctx, `INSERT INTO tenants (customer_id, name, created_at, updated_at) VALUES ('1234', 'Acme', ?, ?)`, now, now)
	require.NoError(t, err)
	var tenantID, failing int64
	require.NoError(t, db.W.QueryRowContext(ctx, `SELECT id FROM tenants WHERE customer_id = '1234'`).Scan(&tenantID))
	require.NoError(t, db.W.QueryRowContext(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, created_at, updated_at)
		VALUES (?, 'earlier', 'inbound', 'status change', 'received', ?, ?) RETURNING id`, tenantID, now, now).Scan(&failing))

	// Two connections that count in different shards.
	commit, other := twoConnections(t, db.Postgres())

	tx, err := commit.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	for i := range 32 {
		_, err := tx.Exec(ctx, `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, created_at, updated_at)
			VALUES ($1, $2, 'inbound', 'status change', 'received', $3, $3)`, tenantID, fmt.Sprintf("batch-%d", i), now)
		require.NoError(t, err)
	}

	// The group commit is still open: the failure must not wait for it.
	_, err = other.Exec(ctx, `SET statement_timeout = '2s'`)
	require.NoError(t, err)
	start := time.Now()
	_, err = other.Exec(ctx, `UPDATE deliveries SET status = 'failed' WHERE id = $1`, failing)
	require.NoError(t, err, "failing a delivery waited for the open group commit's day counts")
	require.Less(t, time.Since(start), time.Second)
	require.NoError(t, tx.Commit(ctx))

	var total, failed int64
	require.NoError(t, db.R.QueryRowContext(ctx, `SELECT SUM(total), SUM(failed) FROM delivery_days WHERE tenant_id = ?`, tenantID).
		Scan(&total, &failed))
	require.Equal(t, int64(33), total, "every delivery counted once")
	require.Equal(t, int64(1), failed)
}

// twoConnections takes two connections of pool whose backends count in
// different day shards (pid modulo 16), held until the test ends.
func twoConnections(t *testing.T, pool *pgxpool.Pool) (*pgxpool.Conn, *pgxpool.Conn) {
	t.Helper()
	ctx := context.Background()
	var held []*pgxpool.Conn
	t.Cleanup(func() {
		for _, c := range held {
			c.Release()
		}
	})
	shards := map[int32]*pgxpool.Conn{}
	for range 12 {
		c, err := pool.Acquire(ctx)
		require.NoError(t, err)
		held = append(held, c)
		var pid int32
		require.NoError(t, c.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid))
		shards[pid%16] = c
		if len(shards) == 2 {
			var out []*pgxpool.Conn
			for _, c := range shards {
				out = append(out, c)
			}
			return out[0], out[1]
		}
	}
	t.Fatal("no two connections count in different shards")
	return nil, nil
}
