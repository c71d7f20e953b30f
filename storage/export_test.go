package storage

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jobcannon/jobcannon/assessments"
)

// The store's tests live in package sqlite_test so that they can open their
// database through storetest (which imports this package); this file lends
// them the few internals they pin.

// RulesTTL is rulesTTL.
const RulesTTL = rulesTTL

// LogQuery is logQuery.
func LogQuery(tenantID int64, f assessments.LogFilter) (string, []any) {
	return logQuery(tenantID, f)
}

// Tx is (*DB).tx.
func (db *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error { return db.tx(ctx, fn) }

// RetryWith is (*WritebackStore).retry with the job step given, so a test
// can pin which job a retry keeps without a queue.
func (s *WritebackStore) RetryWith(ctx context.Context, tenantID, invitationID int64,
	ensure func(ctx context.Context, tx *sql.Tx, tenantID, invitationID, jobID int64) (int64, error)) error {
	return s.retry(ctx, tenantID, invitationID, ensure)
}

// PostgresSQL is postgresSQL.
func PostgresSQL(q string) string { return postgresSQL(q) }

// IsUniqueOn is isUniqueOn: tests assert what a violation means, not how
// one database words it.
func IsUniqueOn(err error, column string) bool { return isUniqueOn(err, column) }

// IsForeignKeyViolation reports whether err is a foreign key violated:
// PostgreSQL's SQLSTATE 23503, SQLite's "FOREIGN KEY constraint failed".
func IsForeignKeyViolation(err error) bool {
	if pe, ok := pgError(err); ok {
		return pe.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
