package jobs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storage"
)

// parkWritebacks makes every write-back job inserted from now on wait
// until the year 2999, until the returned func is called. SQLite's
// trigger holds its body; PostgreSQL's calls a function.
func parkWritebacks(t *testing.T, db *storage.DB) (unpark func()) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER park_writebacks AFTER INSERT ON river_job WHEN NEW.kind = 'icims_writeback'
		BEGIN UPDATE river_job SET state = 'scheduled', scheduled_at = '2999-01-01 00:00:00' WHERE id = NEW.id; END`}
	drop := []string{`DROP TRIGGER park_writebacks`}
	if db.Dialect() == storage.Postgres {
		stmts = []string{`CREATE FUNCTION park_writebacks() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				UPDATE river_job SET state = 'scheduled', scheduled_at = '2999-01-01 00:00:00+00' WHERE id = NEW.id;
				RETURN NULL;
			END $$`,
			`CREATE TRIGGER park_writebacks AFTER INSERT ON river_job FOR EACH ROW
				WHEN (NEW.kind = 'icims_writeback') EXECUTE FUNCTION park_writebacks()`}
		drop = []string{`DROP TRIGGER park_writebacks ON river_job`, `DROP FUNCTION park_writebacks()`}
	}
	for _, s := range stmts {
		_, err := db.W.Exec(s)
		require.NoError(t, err)
	}
	return func() {
		t.Helper()
		for _, s := range drop {
			_, err := db.W.Exec(s)
			require.NoError(t, err)
		}
	}
}

// lastJobErrors is the errors River recorded on the newest job, as text,
// "" for none: a JSON array on SQLite, an array of JSONB on PostgreSQL.
func lastJobErrors(t *testing.T, db *storage.DB) string {
	t.Helper()
	col := `COALESCE(errors, '')`
	if db.Dialect() == storage.Postgres {
		col = `COALESCE(array_to_string(errors, ','), '')`
	}
	var errs string
	require.NoError(t, db.R.QueryRow(`SELECT `+col+` FROM river_job WHERE id = (SELECT MAX(id) FROM river_job)`).Scan(&errs))
	return errs
}
