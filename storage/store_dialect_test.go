package storage_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// The tests' own probes and set-up that the two databases spell
// differently: each helper does the same thing on either.

// onDialect is the query of a test's probe for db's database.
func onDialect(db *storage.DB, sqlite, postgres string) string {
	if db.Dialect() == storage.Postgres {
		return postgres
	}
	return sqlite
}

// failInserts makes every insert into table fail with message, as a
// trigger on either database, so a test can see what rolls back with it.
func failInserts(t *testing.T, db *storage.DB, table, message string) {
	t.Helper()
	require.NotContains(t, message, "'")
	stmts := []string{`CREATE TRIGGER fail_` + table + ` BEFORE INSERT ON ` + table +
		` BEGIN SELECT RAISE(ABORT, '` + message + `'); END`}
	if db.Dialect() == storage.Postgres {
		stmts = []string{
			`CREATE FUNCTION fail_` + table + `() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION '` + message + `'; END $f$`,
			`CREATE TRIGGER fail_` + table + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION fail_` + table + `()`,
		}
	}
	for _, s := range stmts {
		_, err := db.W.Exec(s)
		require.NoError(t, err, strings.SplitN(s, "(", 2)[0])
	}
}
