package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onPostgresOnly skips tb unless this run's stores are PostgreSQL's: the
// databases a test process keeps exist only there.
func onPostgresOnly(tb testing.TB) *databases {
	tb.Helper()
	if !OnPostgres() {
		tb.Skipf("storetest: the kept databases are PostgreSQL's (set %s=postgres)", StoreEnv)
	}
	return serverDatabases(tb)
}

// databaseOID is the database's OID, which a rename keeps: it tells a
// reused database from a new one.
func databaseOID(t *testing.T, pool *pgxpool.Pool) uint32 {
	t.Helper()
	var oid uint32
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT oid FROM pg_database WHERE datname = current_database()`).Scan(&oid))
	return oid
}

// dirty writes a row in a table of the store's, in each of River's and in
// the session store's, and returns the tenant's id.
func dirty(t *testing.T, env *Env) int64 {
	t.Helper()
	ctx := context.Background()
	pool := env.DB.Postgres()
	var tenant int64
	require.NoError(t, pool.QueryRow(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at)
		VALUES ('1234', now(), now()) RETURNING id`).Scan(&tenant))
	for _, stmt := range []string{
		`INSERT INTO packages (tenant_id, name, assessment_type_id, created_at, updated_at) VALUES (` + fmt.Sprint(tenant) + `, 'p', 'a', now(), now())`,
		`INSERT INTO river_job (args, kind) VALUES ('{}', 'test')`,
		`INSERT INTO river_queue (name, updated_at) VALUES ('q', now())`,
		`INSERT INTO river_leader (elected_at, expires_at, leader_id) VALUES (now(), now(), 'me')`,
		`INSERT INTO sessions (token, data, expiry) VALUES ('t', '\x00', now())`,
	} {
		_, err := pool.Exec(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	return tenant
}

// TestAGivenBackDatabaseIsAsNew: the next test gets the same database
// (same OID) under a new name, with no row of the last test's in any table,
// River's and the sessions' included, and ids that start again at 1.
func TestAGivenBackDatabaseIsAsNew(t *testing.T) {
	d := onPostgresOnly(t)
	ctx := context.Background()
	var firstOID uint32
	var firstURL string
	t.Run("first", func(t *testing.T) {
		env := New(t)
		firstOID, firstURL = databaseOID(t, env.DB.Postgres()), env.URL
		_, err := env.DB.Postgres().Exec(context.Background(), `INSERT INTO tenants (customer_id, created_at, updated_at)
			VALUES ('9999', now(), now())`)
		require.NoError(t, err)
		require.Equal(t, int64(2), dirty(t, env), "the second tenant's id")
	})
	d.mu.Lock()
	made := d.made
	d.mu.Unlock()

	env := New(t)
	pool := env.DB.Postgres()
	require.Equal(t, firstOID, databaseOID(t, pool), "the database was reused")
	assert.NotEqual(t, firstURL, env.URL, "under a new name")
	d.mu.Lock()
	assert.Equal(t, made, d.made, "no copy of the template was made")
	d.mu.Unlock()

	rows, err := pool.Query(ctx, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)
	require.NoError(t, err)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Contains(t, tables, "river_job")
	for _, table := range tables {
		var n int
		require.NoError(t, pool.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n))
		switch table {
		case "goose_db_version", "river_migration":
			assert.NotZero(t, n, "%s keeps the migrations", table)
		default:
			assert.Zero(t, n, "%s is empty", table)
		}
	}
	require.NoError(t, env.DB.Ready(ctx), "still migrated")
	assert.Equal(t, int64(1), dirty(t, env), "ids start again")
	var job int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT id FROM river_job`).Scan(&job))
	assert.Equal(t, int64(1), job, "River's ids start again")
}

// TestADatabaseWhoseSchemaChangedIsDropped: a test that adds a trigger,
// renames a table or unrecords a migration leaves a database no other
// test may get; it is dropped rather than emptied.
func TestADatabaseWhoseSchemaChangedIsDropped(t *testing.T) {
	d := onPostgresOnly(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, change string }{
		{"trigger", `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
			CREATE TRIGGER refuse BEFORE INSERT ON river_job FOR EACH ROW EXECUTE FUNCTION refuse()`},
		{"renamed table", `ALTER TABLE river_job RENAME TO river_job_away`},
		{"migration unrecorded", `DELETE FROM goose_db_version WHERE version_id = 2`},
		{"new column", `ALTER TABLE tenants ADD COLUMN extra TEXT`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var oid uint32
			t.Run("change", func(t *testing.T) {
				env := New(t)
				oid = databaseOID(t, env.DB.Postgres())
				_, err := env.DB.Postgres().Exec(ctx, tc.change)
				require.NoError(t, err)
			})
			var n int
			require.NoError(t, d.admin.QueryRow(ctx, `SELECT COUNT(*) FROM pg_database WHERE oid = $1`, oid).Scan(&n))
			assert.Zero(t, n, "dropped")
		})
	}
}

// TestALeftoverSessionCannotReachTheNextTest: a connection the ended test
// left open (a worker that outlived it) is ended, and its database's old
// name leads nowhere, so it cannot write into the next test's rows.
func TestALeftoverSessionCannotReachTheNextTest(t *testing.T) {
	onPostgresOnly(t)
	ctx := context.Background()
	var leftover *pgx.Conn
	var oldURL string
	t.Run("first", func(t *testing.T) {
		env := New(t)
		oldURL = env.URL
		var err error
		leftover, err = pgx.Connect(ctx, env.URL)
		require.NoError(t, err)
	})
	defer leftover.Close(ctx)
	env := New(t)
	_, err := leftover.Exec(ctx, `INSERT INTO tenants (customer_id, created_at, updated_at) VALUES ('1', now(), now())`)
	assert.Error(t, err, "the leftover session was ended")
	_, err = pgx.Connect(ctx, oldURL)
	assert.Error(t, err, "the old name is gone")
	var n int
	require.NoError(t, env.DB.Postgres().QueryRow(ctx, `SELECT COUNT(*) FROM tenants`).Scan(&n))
	assert.Zero(t, n)
}

// TestAStartingProcessDropsWhatEndedOnesLeft: a database whose mark no
// live process holds is dropped when a test process starts; one whose mark
// a live process holds is left alone.
func TestAStartingProcessDropsWhatEndedOnesLeft(t *testing.T) {
	d := onPostgresOnly(t)
	ctx := context.Background()
	live, err := pgx.Connect(ctx, d.server)
	require.NoError(t, err)
	defer live.Close(ctx)
	const liveMark, deadMark = uint32(0x7fff0001), uint32(0x7fff0002)
	var got bool
	require.NoError(t, live.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, markLock, int32(liveMark)).Scan(&got))
	require.True(t, got)
	liveDB, deadDB := fmt.Sprintf("jc_test_%08x_1", liveMark), fmt.Sprintf("jc_test_%08x_1", deadMark)
	for _, name := range []string{liveDB, deadDB} {
		_, err := d.admin.Exec(ctx, "CREATE DATABASE "+name)
		require.NoError(t, err)
		t.Cleanup(func() { d.drop(t, name) })
	}

	started, err := openDatabases(d.server)
	require.NoError(t, err)
	started.admin.Close()
	started.alive.Close(ctx)

	exists := func(name string) bool {
		var n int
		require.NoError(t, d.admin.QueryRow(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n))
		return n == 1
	}
	assert.False(t, exists(deadDB), "an ended process's database is dropped")
	assert.True(t, exists(liveDB), "a live process's database is kept")
}
