package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// kept are the tables a copy of the template keeps as they are: they say
// which migrations it holds. A test that changes them changes the
// fingerprint, and its database is dropped.
var kept = []string{"goose_db_version", "river_migration"}

// cleaner empties a used copy of the template. DELETE rather than
// TRUNCATE: a TRUNCATE of the ~40 tables makes new files for each table
// and index and takes about a second on a busy machine, where deleting the
// few rows a test wrote takes milliseconds.
type cleaner struct {
	// fingerprint is the template's schema and migration rows.
	fingerprint string
	// statement deletes every row of every table but the kept ones, those
	// that refer to a table before it, and restarts every sequence the
	// test moved.
	statement string
}

// newCleaner learns the schema from conn, a fresh copy of the template.
func newCleaner(ctx context.Context, conn *pgx.Conn) (*cleaner, error) {
	fp, err := fingerprint(ctx, conn)
	if err != nil {
		return nil, err
	}
	tables, err := deleteOrder(ctx, conn)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `
		SELECT format('%I.%I', n.nspname, s.relname)
		FROM pg_class s
		JOIN pg_namespace n ON n.oid = s.relnamespace
		LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
			AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
		LEFT JOIN pg_class t ON t.oid = d.refobjid
		WHERE s.relkind = 'S' AND n.nspname = 'public' AND (t.relname IS NULL OR NOT t.relname = ANY ($1))
		ORDER BY 1`, kept)
	if err != nil {
		return nil, err
	}
	sequences, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("BEGIN;\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "DELETE FROM %s;\n", pgx.Identifier{"public", t}.Sanitize())
	}
	if len(sequences) > 0 {
		fmt.Fprintf(&b, `SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s
			WHERE s.seqrelid = ANY ('{%s}'::regclass[]) AND pg_sequence_last_value(s.seqrelid) IS NOT NULL;`+"\n",
			strings.Join(sequences, ","))
	}
	b.WriteString("COMMIT;")
	return &cleaner{fingerprint: fp, statement: b.String()}, nil
}

// clean empties the database conn is on, if its schema is still the
// template's; otherwise it fails and the database must be dropped.
func (c *cleaner) clean(ctx context.Context, conn *pgx.Conn) error {
	fp, err := fingerprint(ctx, conn)
	if err != nil {
		return err
	}
	if fp != c.fingerprint {
		return errors.New("storetest: the test changed the schema")
	}
	_, err = conn.Exec(ctx, c.statement)
	return err
}

// deleteOrder lists the tables to empty, every table after those whose
// foreign keys refer to it, so that each DELETE meets no row that still
// refers to it.
func deleteOrder(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace
		AND relkind IN ('r', 'p') AND NOT relispartition AND NOT relname = ANY ($1) ORDER BY relname`, kept)
	if err != nil {
		return nil, err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	rows, err = conn.Query(ctx, `SELECT c.relname, p.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
		WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace AND c.oid <> p.oid
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	referrers := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return nil, err
		}
		referrers[parent] = append(referrers[parent], child)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		for _, child := range referrers[t] {
			visit(child)
		}
		order = append(order, t)
	}
	for _, t := range tables {
		visit(t)
	}
	return order, nil
}

// fingerprint sums up what a test must leave as it found: the schemas,
// relations, columns, constraints, triggers, functions and types, and the
// rows that say which migrations are applied.
func fingerprint(ctx context.Context, conn *pgx.Conn) (string, error) {
	var fp string
	err := conn.QueryRow(ctx, `
		WITH ns AS (SELECT oid, nspname FROM pg_namespace
			WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema')
		SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
			SELECT 'schema ' || nspname FROM ns
			UNION ALL
			SELECT format('rel %s %s %s', c.oid::regclass, c.relkind, c.relpersistence)
			FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('col %s %s %s %s %s', a.attrelid::regclass, a.attname,
				format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid))
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			WHERE c.relnamespace IN (SELECT oid FROM ns) AND a.attnum > 0 AND NOT a.attisdropped
			UNION ALL
			SELECT format('index %s %s', indexrelid::regclass, pg_get_indexdef(indexrelid))
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
			FROM pg_constraint WHERE connamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('trigger %s %s %s %s', tgrelid::regclass, tgname, tgenabled, tgfoid::regproc) FROM pg_trigger
			UNION ALL
			SELECT format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
			FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('type %s', t.oid::regtype) FROM pg_type t WHERE t.typnamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('enum %s %s', enumtypid::regtype, enumlabel) FROM pg_enum
			UNION ALL
			SELECT format('rule %s %s', ev_class::regclass, rulename) FROM pg_rewrite r
			JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace IN (SELECT oid FROM ns)
			UNION ALL
			SELECT format('policy %s %s', polrelid::regclass, polname) FROM pg_policy
			UNION ALL
			SELECT format('goose %s %s %s', id, version_id, is_applied) FROM goose_db_version
			UNION ALL
			SELECT format('river %s %s', line, version) FROM river_migration
		) f(x)`).Scan(&fp)
	return fp, err
}
