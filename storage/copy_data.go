package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// CopyReport is what CopyTo copied: rows per table, in the order copied.
type CopyReport struct {
	Tables []TableCopy
	// Jobs is how many queued River jobs moved (finished ones stay behind:
	// River would delete them soon anyway).
	Jobs int
	// Skipped names what was not copied, and why.
	Skipped []string
}

// TableCopy is one table's copy.
type TableCopy struct {
	Table string
	Rows  int
}

// copySkipped says why CopyTo leaves table out, or "" when it copies it:
// the target's migrations and River's bookkeeping are its own, and
// sessions are short-lived (their SQLite expiry is a Julian day number):
// admins sign in again.
func copySkipped(table string) string {
	switch table {
	case "goose_db_version":
		return "the target's migrations are its own"
	case "river_migration":
		return "the target's River migrations are its own"
	case "river_leader":
		return "River elects a leader on the target"
	case "river_queue":
		return "River records its queues on the target"
	case "river_client", "river_client_queue":
		return "River records its clients on the target"
	case "river_notification":
		return "River's notification outbox is per database"
	case "sessions":
		return "sessions: admins sign in again"
	}
	return ""
}

// CopyTo copies everything db holds (a SQLite database) into dst (a
// PostgreSQL database), the way an operator moves a one-machine deployment
// to several instances: every table of the schema row for row, ids kept
// (and each id sequence moved past them), and the River jobs still to run.
// Both must be migrated to the same schema and dst must hold no data. It
// runs in one PostgreSQL transaction, so a failure leaves dst empty, and
// it checks each table's row count before it commits. Stop the service
// first: rows written to db meanwhile would be left behind.
func (db *DB) CopyTo(ctx context.Context, dst *DB) (CopyReport, error) {
	var rep CopyReport
	if db.dialect != SQLite || dst.dialect != Postgres {
		return rep, errors.New("storage: copy goes from a SQLite database to a PostgreSQL one")
	}
	if err := db.Ready(ctx); err != nil {
		return rep, fmt.Errorf("storage: copy from %s: %w", db.name, err)
	}
	if err := dst.Ready(ctx); err != nil {
		return rep, fmt.Errorf("storage: copy to %s: %w", dst.name, err)
	}
	tx, err := dst.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return rep, fmt.Errorf("storage: copy: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it does nothing
	tables, err := copyOrder(ctx, tx, &rep)
	if err != nil {
		return rep, err
	}
	for _, t := range tables {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			return rep, fmt.Errorf("storage: copy: %s: %w", t, err)
		}
		if n > 0 {
			return rep, fmt.Errorf("storage: copy: %s already holds data (%d rows in %s); copy into an empty database", dst.name, n, t)
		}
	}
	// The target's triggers (the logs page's per-day counts) would count
	// each delivery again: the counts are copied as they are.
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` DISABLE TRIGGER USER`); err != nil {
			return rep, fmt.Errorf("storage: copy: %s: %w", t, err)
		}
	}
	for _, t := range tables {
		n, err := db.copyTable(ctx, tx, t)
		if err != nil {
			return rep, err
		}
		rep.Tables = append(rep.Tables, TableCopy{Table: t, Rows: n})
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` ENABLE TRIGGER USER`); err != nil {
			return rep, fmt.Errorf("storage: copy: %s: %w", t, err)
		}
	}
	if rep.Jobs, err = db.copyJobs(ctx, tx); err != nil {
		return rep, err
	}
	if err := moveSequences(ctx, tx); err != nil {
		return rep, err
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, fmt.Errorf("storage: copy: commit: %w", err)
	}
	return rep, nil
}

// copyOrder lists the schema's tables (River's jobs and the skipped
// ones aside, noted in rep) with every table after the tables its foreign keys point at.
func copyOrder(ctx context.Context, tx pgx.Tx, rep *CopyReport) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname,
			COALESCE(ARRAY(SELECT DISTINCT r.relname FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
				WHERE k.conrelid = c.oid AND k.contype = 'f' AND r.oid <> c.oid), '{}')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("storage: copy: list tables: %w", err)
	}
	deps := map[string][]string{}
	var names []string
	for rows.Next() {
		var name string
		var refs []string
		if err := rows.Scan(&name, &refs); err != nil {
			return nil, fmt.Errorf("storage: copy: list tables: %w", err)
		}
		if why := copySkipped(name); why != "" {
			rep.Skipped = append(rep.Skipped, name+": "+why)
			continue
		}
		if name == "river_job" {
			continue
		}
		names = append(names, name)
		deps[name] = refs
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: copy: list tables: %w", err)
	}
	var order []string
	done := map[string]bool{}
	var visit func(string, int) error
	visit = func(t string, depth int) error {
		if done[t] {
			return nil
		}
		if depth > len(names) {
			return fmt.Errorf("storage: copy: foreign keys of %s go round in a circle", t)
		}
		for _, r := range deps[t] {
			if err := visit(r, depth+1); err != nil {
				return err
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t, 0); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// copyTable copies table t's rows with pgx's COPY, each value converted
// to its PostgreSQL column's type, and returns how many it copied after
// checking the target holds as many.
func (db *DB) copyTable(ctx context.Context, tx pgx.Tx, t string) (int, error) {
	cols, types, err := targetColumns(ctx, tx, t)
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c + `"`
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+t+`"`)
	if err != nil {
		return 0, fmt.Errorf("storage: copy: read %s: %w", t, err)
	}
	defer rows.Close()
	var batch [][]any
	for rows.Next() {
		raw := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, fmt.Errorf("storage: copy: read %s: %w", t, err)
		}
		for i := range raw {
			if raw[i], err = toPostgres(raw[i], types[i]); err != nil {
				return 0, fmt.Errorf("storage: copy: %s.%s: %w", t, cols[i], err)
			}
		}
		batch = append(batch, raw)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("storage: copy: read %s: %w", t, err)
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t}, cols, pgx.CopyFromRows(batch))
	if err != nil {
		return 0, fmt.Errorf("storage: copy: write %s: %w", t, err)
	}
	if int(n) != len(batch) {
		return 0, fmt.Errorf("storage: copy: %s: read %d rows, wrote %d", t, len(batch), n)
	}
	return len(batch), nil
}

// targetColumns are t's columns on PostgreSQL with their types.
func targetColumns(ctx context.Context, tx pgx.Tx, t string) (cols, types []string, err error) {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, t)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: copy: columns of %s: %w", t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			return nil, nil, fmt.Errorf("storage: copy: columns of %s: %w", t, err)
		}
		cols, types = append(cols, c), append(types, ty)
	}
	return cols, types, rows.Err()
}

// toPostgres converts a value read from SQLite to what pgx writes into a
// PostgreSQL column of type ty: SQLite keeps booleans as 0 and 1, and
// times as text unless the column was declared a timestamp.
func toPostgres(v any, ty string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch ty {
	case "boolean":
		switch b := v.(type) {
		case int64:
			return b != 0, nil
		case bool:
			return b, nil
		}
	case "timestamp with time zone":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			return parseSQLiteTime(x)
		case []byte:
			return parseSQLiteTime(string(x))
		}
	case "bigint", "integer", "smallint":
		if i, ok := v.(int64); ok {
			return i, nil
		}
	case "double precision":
		switch f := v.(type) {
		case float64:
			return f, nil
		case int64:
			return float64(f), nil
		}
	case "text":
		switch s := v.(type) {
		case string:
			return s, nil
		case []byte:
			return string(s), nil
		case int64, float64:
			return fmt.Sprint(s), nil
		}
	case "bytea":
		switch b := v.(type) {
		case []byte:
			return b, nil
		case string:
			return []byte(b), nil
		}
	}
	return nil, fmt.Errorf("cannot store %T as %s", v, ty)
}

// sqliteTimeLayouts are the ways a time may be written in the SQLite file:
// the driver's own (_time_format=sqlite) and RFC 3339.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"}

func parseSQLiteTime(s string) (time.Time, error) {
	for _, l := range sqliteTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// copyJobs moves the River jobs still to run (available, scheduled,
// retryable, pending; a running one was cut off by the stop and runs
// again), keeping their ids, arguments, attempts, errors and unique keys,
// so a job queued on SQLite runs once on PostgreSQL and a unique job stays
// unique.
func (db *DB) copyJobs(ctx context.Context, tx pgx.Tx) (int, error) {
	// json() gives River's JSON columns as text whether SQLite holds them
	// as text or in its binary JSONB.
	rows, err := db.R.QueryContext(ctx, `SELECT id, state, attempt, max_attempts, attempted_at, created_at,
			scheduled_at, priority, json(args), json(attempted_by), json(errors), kind, json(metadata), queue, json(tags),
			unique_key, unique_states
		FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'pending', 'running') ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("storage: copy: read jobs: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			id, attempt, maxAttempts, priority int64
			state, args, kind, metadata, queue string
			attemptedAt                        sql.NullTime
			createdAt, scheduledAt             time.Time
			attemptedBy, errs, tags            sql.NullString
			uniqueKey                          []byte
			uniqueStates                       sql.NullInt64
		)
		if err := rows.Scan(&id, &state, &attempt, &maxAttempts, &attemptedAt, &createdAt, &scheduledAt, &priority,
			&args, &attemptedBy, &errs, &kind, &metadata, &queue, &tags, &uniqueKey, &uniqueStates); err != nil {
			return n, fmt.Errorf("storage: copy: read jobs: %w", err)
		}
		if state == "running" {
			state = "available"
		}
		var bits pgtype.Bits
		if uniqueStates.Valid {
			// SQLite's bitmask has the first state in its lowest bit;
			// PostgreSQL's bit(8) reads the same bits as written.
			bits = pgtype.Bits{Bytes: []byte{byte(uniqueStates.Int64)}, Len: 8, Valid: true}
		}
		var at *time.Time
		if attemptedAt.Valid {
			t := attemptedAt.Time.UTC()
			at = &t
		}
		if _, err := tx.Exec(ctx, `INSERT INTO river_job (id, state, attempt, max_attempts, attempted_at, created_at,
				scheduled_at, priority, args, attempted_by, errors, kind, metadata, queue, tags, unique_key, unique_states)
			VALUES ($1, $2::river_job_state, $3, $4, $5, $6, $7, $8, $9::jsonb,
				ARRAY(SELECT jsonb_array_elements_text(COALESCE($10::jsonb, '[]'))),
				ARRAY(SELECT jsonb_array_elements(COALESCE($11::jsonb, '[]'))),
				$12, $13::jsonb, $14,
				ARRAY(SELECT jsonb_array_elements_text(COALESCE($15::jsonb, '[]')))::varchar(255)[],
				$16, $17)`,
			id, state, attempt, maxAttempts, at, createdAt.UTC(), scheduledAt.UTC(), priority, json.RawMessage(args),
			nullJSON(attemptedBy), nullJSON(errs), kind, json.RawMessage(metadata), queue, nullJSON(tags), uniqueKey, bits); err != nil {
			return n, fmt.Errorf("storage: copy: job %d (%s): %w", id, kind, err)
		}
		n++
	}
	return n, rows.Err()
}

// nullJSON is a JSON column's text, or nil.
func nullJSON(s sql.NullString) any {
	if !s.Valid || s.String == "" {
		return nil
	}
	return s.String
}

// moveSequences moves every id sequence past the largest id copied, so
// the next row PostgreSQL numbers does not meet a copied one.
func moveSequences(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return fmt.Errorf("storage: copy: sequences: %w", err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			return fmt.Errorf("storage: copy: sequences: %w", err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: copy: sequences: %w", err)
	}
	for _, c := range cols {
		t, k := pgx.Identifier{c.table}.Sanitize(), pgx.Identifier{c.column}.Sanitize()
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(`+k+`) FROM `+t+`), 0) + 1, false)`,
			c.table, c.column); err != nil {
			return fmt.Errorf("storage: copy: sequence of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}
