package migrations_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/jobcannon/jobcannon/migrations"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestSameFiles: every migration has its twin, under the same name, in the
// other database's folder.
func TestSameFiles(t *testing.T) {
	lite, pg := fileNames(t, migrations.SQLite), fileNames(t, migrations.Postgres)
	require.NotEmpty(t, lite)
	for _, name := range lite {
		assert.Contains(t, pg, name, "add migrations/postgres/%s: the PostgreSQL version of migrations/sqlite/%s", name, name)
	}
	for _, name := range pg {
		assert.Contains(t, lite, name, "add migrations/sqlite/%s: the SQLite version of migrations/postgres/%s", name, name)
	}
	for _, names := range [][]string{lite, pg} {
		seen := map[int64]string{}
		for _, name := range names {
			v, err := goose.NumericComponent(name)
			require.NoError(t, err, name)
			assert.Empty(t, seen[v], "%s and %s have the same number", seen[v], name)
			seen[v] = name
		}
	}
}

// TestPostgresUpDownUp: goose applies every PostgreSQL migration, undoes
// them all, leaving nothing of the schema behind, and applies them again
// to the same schema.
func TestPostgresUpDownUp(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	p := provider(t, goose.DialectPostgres, db, migrations.Postgres)

	_, err := p.Up(ctx)
	require.NoError(t, err, "up")
	first := postgresSchema(t, db)
	require.NotEmpty(t, first)

	_, err = p.DownTo(ctx, 0)
	require.NoError(t, err, "down to 0")
	assert.Empty(t, postgresSchema(t, db), "down to 0 left these behind: drop them in the Down sections")
	var functions int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = current_schema()`).Scan(&functions))
	assert.Zero(t, functions, "down to 0 left trigger functions behind: drop them in the Down sections")

	_, err = p.Up(ctx)
	require.NoError(t, err, "up again")
	assert.Equal(t, first, postgresSchema(t, db), "up, down, up must give the first schema again")
}

// TestSameSchema: both folders end in the same tables, columns (order,
// NOT NULL, kind of type, whether there is a default), keys with their
// ON DELETE, number of CHECKs per table, indexes and triggers. Each difference
// names the migration that made the object and the file to fix.
func TestSameSchema(t *testing.T) {
	liteDB, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "schema.db"))
	require.NoError(t, err)
	t.Cleanup(func() { liteDB.Close() })
	pgDB := openPostgres(t)

	lite, liteFrom := applyOneByOne(t, provider(t, goose.DialectSQLite3, liteDB, migrations.SQLite),
		func() map[string]string { return sqliteSchema(t, liteDB) })
	pg, pgFrom := applyOneByOne(t, provider(t, goose.DialectPostgres, pgDB, migrations.Postgres),
		func() map[string]string { return postgresSchema(t, pgDB) })
	require.NotEmpty(t, lite)

	for _, key := range sortedKeys(lite) {
		want, ok := pg[key]
		switch {
		case !ok:
			t.Errorf("%s (made by migrations/sqlite/%s) is missing on PostgreSQL: add it to migrations/postgres/%s",
				key, liteFrom[key], liteFrom[key])
		case want != lite[key]:
			t.Errorf("%s differs: SQLite has %q (migrations/sqlite/%s), PostgreSQL %q (migrations/postgres/%s): make them agree",
				key, lite[key], liteFrom[key], want, pgFrom[key])
		}
	}
	for _, key := range sortedKeys(pg) {
		if _, ok := lite[key]; !ok {
			t.Errorf("%s (made by migrations/postgres/%s) is missing on SQLite: add it to migrations/sqlite/%s, or remove it",
				key, pgFrom[key], pgFrom[key])
		}
	}
}

// TestPostgresDeliveryDays: the triggers written in PL/pgSQL keep
// delivery_days as SQLite's do: a delivery counts on the UTC day it was
// created, whatever the session's time zone, and a change into or out of
// failed moves the failed count.
func TestPostgresDeliveryDays(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	_, err := provider(t, goose.DialectPostgres, db, migrations.Postgres).Up(ctx)
	require.NoError(t, err)
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	exec := func(query string, args ...any) {
		t.Helper()
		_, err := conn.ExecContext(ctx, query, args...)
		require.NoError(t, err, query)
	}
	exec(`SET TIME ZONE 'America/New_York'`)
	exec(`INSERT INTO tenants (id, customer_id, created_at, updated_at) VALUES (1, 'c1', now(), now())`)
	insert := `INSERT INTO deliveries (tenant_id, public_id, direction, kind, status, created_at, updated_at)
		VALUES (1, $1, 'inbound', 'statusChange', $2, $3, $3)`
	// 23:30 in New York on 1 March is 04:30 UTC on 2 March.
	exec(insert, "a", "received", "2026-03-01T23:30:00-05:00")
	exec(insert, "b", "failed", "2026-03-01T23:45:00-05:00")
	exec(insert, "c", "processed", "2026-03-01T12:00:00-05:00")
	exec(`UPDATE deliveries SET status = 'failed' WHERE public_id = 'a'`)
	exec(`UPDATE deliveries SET status = 'processed' WHERE public_id = 'b'`)
	exec(`UPDATE deliveries SET status = 'failed' WHERE public_id = 'c'`)
	exec(`UPDATE deliveries SET status = 'failed', message = 'again' WHERE public_id = 'c'`)

	rows, err := conn.QueryContext(ctx, `SELECT day, SUM(total), SUM(failed) FROM delivery_days WHERE tenant_id = 1 GROUP BY day ORDER BY day`)
	require.NoError(t, err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var day string
		var total, failed int
		require.NoError(t, rows.Scan(&day, &total, &failed))
		got = append(got, fmt.Sprintf("%s total=%d failed=%d", day, total, failed))
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"2026-03-01 total=1 failed=1", "2026-03-02 total=2 failed=1"}, got)
}

// TestSchemaReadersSeeDifferences: the schema comparison above is only as
// good as what the readers see, so a column's NOT NULL, an index's
// uniqueness and a foreign key's ON DELETE must each change what they
// return.
func TestSchemaReadersSeeDifferences(t *testing.T) {
	liteDB, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "probe.db"))
	require.NoError(t, err)
	t.Cleanup(func() { liteDB.Close() })
	pgDB := openPostgres(t)
	for name, db := range map[string]*sql.DB{"sqlite": liteDB, "postgres": pgDB} {
		read := func() map[string]string {
			if name == "sqlite" {
				return sqliteSchema(t, db)
			}
			return postgresSchema(t, db)
		}
		for _, stmt := range []string{
			`CREATE TABLE p (id INTEGER PRIMARY KEY)`,
			`CREATE TABLE c (a INTEGER NOT NULL REFERENCES p (id) ON DELETE CASCADE, b TEXT DEFAULT 'x' CHECK (b <> ''), UNIQUE (a, b))`,
			`CREATE UNIQUE INDEX c_b ON c (b) WHERE b IS NOT NULL`,
		} {
			_, err := db.Exec(stmt)
			require.NoError(t, err, "%s: %s", name, stmt)
		}
		assert.Equal(t, map[string]string{
			"table p":                  "",
			"column p.id":              "#1 NOT NULL integer",
			"primary key of p":         "(id)",
			"table c":                  "",
			"column c.a":               "#1 NOT NULL integer",
			"column c.b":               "#2 NULL text DEFAULT",
			"checks on c":              "1",
			"foreign key c(a)":         "references p(id) ON DELETE CASCADE",
			"unique constraint c(a,b)": "",
			"index c_b":                "UNIQUE on c(b) WHERE …",
		}, read(), name)
	}
}

func openPostgres(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", storetest.PostgresDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func provider(t *testing.T, dialect goose.Dialect, db *sql.DB, files fs.FS) *goose.Provider {
	t.Helper()
	p, err := goose.NewProvider(dialect, db, files, goose.WithAllowOutofOrder(true))
	require.NoError(t, err)
	return p
}

func fileNames(t *testing.T, files fs.FS) []string {
	t.Helper()
	names, err := fs.Glob(files, "*.sql")
	require.NoError(t, err)
	return names
}

// applyOneByOne applies p's migrations one at a time and returns the
// schema at the end, and for each of its objects the file that made it.
func applyOneByOne(t *testing.T, p *goose.Provider, read func() map[string]string) (map[string]string, map[string]string) {
	t.Helper()
	from := map[string]string{}
	for _, s := range p.ListSources() {
		_, err := p.UpByOne(context.Background())
		require.NoError(t, err, "apply %s", s.Path)
		for key := range read() {
			if _, ok := from[key]; !ok {
				from[key] = filepath.Base(s.Path)
			}
		}
	}
	return read(), from
}

// The schemas are flat maps from an object ("column tenants.name") to
// what must agree about it. Types are compared by kind, since each
// database spells them its own way.
var (
	sqliteKinds = map[string]string{"INTEGER": "integer", "TEXT": "text", "TIMESTAMP": "timestamp", "REAL": "real",
		"BLOB": "blob"}
	postgresKinds = map[string]string{"bigint": "integer", "integer": "integer", "smallint": "integer",
		"boolean": "integer", "text": "text", "timestamp with time zone": "timestamp", "double precision": "real",
		"bytea": "blob"}
	// Columns whose kinds differ on purpose.
	kindExceptions = map[string]string{
		// scs's sqlite3store keeps a Julian day, its pgxstore a timestamp.
		"sessions.expiry": "timestamp",
	}
)

func columnValue(table, column string, position int, notNull bool, kind string, hasDefault bool) string {
	if k, ok := kindExceptions[table+"."+column]; ok {
		kind = k
	}
	v := fmt.Sprintf("#%d NULL %s", position, kind)
	if notNull {
		v = fmt.Sprintf("#%d NOT NULL %s", position, kind)
	}
	if hasDefault {
		v += " DEFAULT"
	}
	return v
}

var (
	// sqliteCheck finds the CHECK constraints in a table's CREATE TABLE
	// text, which SQLite keeps up to date as columns are added.
	sqliteCheck = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	// sqliteBoolCheck is a CHECK that makes an INTEGER a boolean; on
	// PostgreSQL the column is BOOLEAN instead.
	sqliteBoolCheck = regexp.MustCompile(`(?i)\bCHECK\s*\(\s*\w+\s+IN\s*\(\s*0\s*,\s*1\s*\)\s*\)`)
)

func indexValue(table, columns string, unique, partial bool) string {
	v := fmt.Sprintf("on %s(%s)", table, columns)
	if unique {
		v = "UNIQUE " + v
	}
	if partial {
		v += " WHERE …"
	}
	return v
}

func sqliteSchema(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	tables := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'goose_db_version' ORDER BY name`)
	for _, table := range tables {
		out["table "+table] = ""
		var create string
		require.NoError(t, db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&create))
		if n := len(sqliteCheck.FindAllString(create, -1)) - len(sqliteBoolCheck.FindAllString(create, -1)); n > 0 {
			out["checks on "+table] = fmt.Sprint(n)
		}
		rows, err := db.Query(`SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		require.NoError(t, err)
		var pk []string
		pkAt := map[string]int{}
		for i := 1; rows.Next(); i++ {
			var name, typ string
			var notNull, hasDefault bool
			var pkPos int
			require.NoError(t, rows.Scan(&name, &typ, &notNull, &hasDefault, &pkPos))
			kind, ok := sqliteKinds[strings.ToUpper(typ)]
			require.True(t, ok, "column %s.%s has type %q, which this test does not know", table, name, typ)
			if pkPos > 0 {
				// A key column cannot be NULL on PostgreSQL; SQLite's
				// INTEGER PRIMARY KEY cannot either, and no key here
				// holds a NULL.
				notNull = true
				pk = append(pk, name)
				pkAt[name] = pkPos
			}
			out["column "+table+"."+name] = columnValue(table, name, i, notNull, kind, hasDefault)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		if len(pk) > 0 {
			sort.Slice(pk, func(i, j int) bool { return pkAt[pk[i]] < pkAt[pk[j]] })
			out["primary key of "+table] = "(" + strings.Join(pk, ",") + ")"
		}

		rows, err = db.Query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, table)
		require.NoError(t, err)
		type index struct {
			name, origin    string
			unique, partial bool
		}
		var indexes []index
		for rows.Next() {
			var ix index
			require.NoError(t, rows.Scan(&ix.name, &ix.unique, &ix.origin, &ix.partial))
			indexes = append(indexes, ix)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		for _, ix := range indexes {
			columns := strings.Join(queryStrings(t, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.name), ",")
			switch ix.origin {
			case "c":
				out["index "+ix.name] = indexValue(table, columns, ix.unique, ix.partial)
			case "u":
				out["unique constraint "+table+"("+columns+")"] = ""
			}
		}

		rows, err = db.Query(`SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
		require.NoError(t, err)
		type fk struct {
			parent, onDelete string
			from, to         []string
		}
		fks := map[int]*fk{}
		var ids []int
		for rows.Next() {
			var id int
			var parent, from, to, onDelete string
			require.NoError(t, rows.Scan(&id, &parent, &from, &to, &onDelete))
			if fks[id] == nil {
				fks[id] = &fk{parent: parent, onDelete: onDelete}
				ids = append(ids, id)
			}
			fks[id].from = append(fks[id].from, from)
			fks[id].to = append(fks[id].to, to)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		for _, id := range ids {
			f := fks[id]
			out["foreign key "+table+"("+strings.Join(f.from, ",")+")"] = fmt.Sprintf("references %s(%s) ON DELETE %s",
				f.parent, strings.Join(f.to, ","), f.onDelete)
		}
	}
	rows, err := db.Query(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var name, table string
		require.NoError(t, rows.Scan(&name, &table))
		out["trigger "+name] = "on " + table
	}
	require.NoError(t, rows.Err())
	return out
}

func postgresSchema(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	rows, err := db.Query(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO',
			c.column_default IS NOT NULL
		FROM information_schema.columns c JOIN information_schema.tables t
			ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'goose_db_version'
		ORDER BY c.table_name, c.ordinal_position`)
	require.NoError(t, err)
	position := map[string]int{}
	for rows.Next() {
		var table, column, typ string
		var notNull, hasDefault bool
		require.NoError(t, rows.Scan(&table, &column, &typ, &notNull, &hasDefault))
		kind, ok := postgresKinds[typ]
		require.True(t, ok, "column %s.%s has type %q, which this test does not know", table, column, typ)
		out["table "+table] = ""
		position[table]++
		out["column "+table+"."+column] = columnValue(table, column, position[table], notNull, kind, hasDefault)
	}
	require.NoError(t, rows.Err())
	rows.Close()

	// Keys: primary, unique and foreign, with their columns in key order.
	rows, err = db.Query(`SELECT con.contype, t.relname,
			(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
				JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
			COALESCE(p.relname, ''),
			COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n)
				JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), ''),
			con.confdeltype
		FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
			JOIN pg_namespace ns ON ns.oid = t.relnamespace LEFT JOIN pg_class p ON p.oid = con.confrelid
		WHERE ns.nspname = current_schema() AND con.contype IN ('p', 'u', 'f') AND t.relname <> 'goose_db_version'`)
	require.NoError(t, err)
	onDelete := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	for rows.Next() {
		var kind, table, columns, parent, parentColumns, del string
		require.NoError(t, rows.Scan(&kind, &table, &columns, &parent, &parentColumns, &del))
		switch kind {
		case "p":
			out["primary key of "+table] = "(" + columns + ")"
		case "u":
			out["unique constraint "+table+"("+columns+")"] = ""
		case "f":
			out["foreign key "+table+"("+columns+")"] = fmt.Sprintf("references %s(%s) ON DELETE %s",
				parent, parentColumns, onDelete[del])
		}
	}
	require.NoError(t, rows.Err())
	rows.Close()

	rows, err = db.Query(`SELECT t.relname, COUNT(*) FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
			JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = current_schema() AND con.contype = 'c' GROUP BY t.relname`)
	require.NoError(t, err)
	for rows.Next() {
		var table, n string
		require.NoError(t, rows.Scan(&table, &n))
		out["checks on "+table] = n
	}
	require.NoError(t, rows.Err())
	rows.Close()

	// Indexes made by CREATE INDEX, not those behind a key.
	rows, err = db.Query(`SELECT ix.indexname, ix.tablename, i.indisunique, i.indpred IS NOT NULL,
			(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
		FROM pg_indexes ix JOIN pg_class c ON c.relname = ix.indexname
			JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = ix.schemaname
			JOIN pg_index i ON i.indexrelid = c.oid
		WHERE ix.schemaname = current_schema() AND ix.tablename <> 'goose_db_version'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = c.oid AND con.contype IN ('p', 'u'))`)
	require.NoError(t, err)
	for rows.Next() {
		var name, table, columns string
		var unique, partial bool
		require.NoError(t, rows.Scan(&name, &table, &unique, &partial, &columns))
		out["index "+name] = indexValue(table, columns, unique, partial)
	}
	require.NoError(t, rows.Err())
	rows.Close()

	rows, err = db.Query(`SELECT tg.tgname, t.relname FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = current_schema() AND NOT tg.tgisinternal`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var name, table string
		require.NoError(t, rows.Scan(&name, &table))
		out["trigger "+name] = "on " + table
	}
	require.NoError(t, rows.Err())
	return out
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
