package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openCachingSQLite opens a one-connection pool on a new file through the
// caching connector, as openSQLite does.
func openCachingSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db := sql.OpenDB(newSQLiteConnector(dsn(filepath.Join(t.TempDir(), "t.db"))))
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	_, err := db.Exec(`CREATE TABLE t (x INTEGER PRIMARY KEY)`)
	require.NoError(t, err)
	return db
}

// cachedCount is how many statements the pool's one connection keeps.
func cachedCount(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	require.NoError(t, err)
	defer conn.Close()
	n := -1
	require.NoError(t, conn.Raw(func(dc any) error {
		c := dc.(*sqliteConn)
		c.mu.Lock()
		defer c.mu.Unlock()
		n = len(c.cached)
		return nil
	}))
	return n
}

func TestSQLiteStatementsAreCompiledOnce(t *testing.T) {
	db := openCachingSQLite(t)
	before := cachedCount(t, db)
	for i := range 50 {
		_, err := db.Exec(`INSERT INTO t (x) VALUES (?)`, i)
		require.NoError(t, err)
		var got int
		require.NoError(t, db.QueryRow(`SELECT x FROM t WHERE x = ?`, i).Scan(&got))
		assert.Equal(t, i, got)
	}
	assert.Equal(t, before+2, cachedCount(t, db), "one compiled statement per text, however often it runs")
}

// A query run again inside the loop over its own rows must not disturb
// the outer run, which still holds its statement.
func TestSQLiteStatementRunInsideItsOwnRows(t *testing.T) {
	db := openCachingSQLite(t)
	for i := 1; i <= 3; i++ {
		_, err := db.Exec(`INSERT INTO t (x) VALUES (?)`, i)
		require.NoError(t, err)
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	const q = `SELECT x FROM t ORDER BY x`
	warm, err := tx.Query(q) // cached, so that the outer run below takes it
	require.NoError(t, err)
	require.NoError(t, warm.Close())
	rows, err := tx.Query(q)
	require.NoError(t, err)
	var outer []int
	for rows.Next() {
		var x int
		require.NoError(t, rows.Scan(&x))
		outer = append(outer, x)
		require.LessOrEqual(t, len(outer), 3, "the outer run started over: the inner one reset its statement")
		inner, err := tx.Query(q)
		require.NoError(t, err)
		n := 0
		for inner.Next() {
			n++
		}
		require.NoError(t, inner.Close())
		assert.Equal(t, 3, n)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	assert.Equal(t, []int{1, 2, 3}, outer)
}

func TestSQLiteCachedStatementsFollowTheSchemaAndFailures(t *testing.T) {
	db := openCachingSQLite(t)
	_, err := db.Exec(`INSERT INTO t (x) VALUES (1)`)
	require.NoError(t, err)
	cols := func() []string {
		rows, err := db.Query(`SELECT * FROM t`)
		require.NoError(t, err)
		defer rows.Close()
		c, err := rows.Columns()
		require.NoError(t, err)
		return c
	}
	assert.Equal(t, []string{"x"}, cols())
	_, err = db.Exec(`ALTER TABLE t ADD COLUMN y INTEGER NOT NULL DEFAULT 7`)
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "y"}, cols(), "a cached statement is compiled again after the schema changed")

	const insert = `INSERT INTO t (x) VALUES (?)`
	_, err = db.Exec(insert, 1)
	require.Error(t, err, "unique violation")
	_, err = db.Exec(insert, 2)
	require.NoError(t, err, "the same text runs again after a failed run")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = db.QueryContext(ctx, `SELECT x FROM t`)
	require.Error(t, err)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM t`).Scan(&n))
	assert.Equal(t, 2, n)
}

func TestSQLiteStatementCacheIsBounded(t *testing.T) {
	db := openCachingSQLite(t)
	for i := range maxCachedStatements + 20 {
		var got int
		require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT %d`, i)).Scan(&got))
		require.Equal(t, i, got)
	}
	assert.Equal(t, maxCachedStatements, cachedCount(t, db))
	var got int
	require.NoError(t, db.QueryRow(`SELECT 0`).Scan(&got), "an evicted text is compiled again")
}
