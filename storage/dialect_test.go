package storage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jobcannon/jobcannon/storage"
)

func TestPostgresSQL(t *testing.T) {
	cases := []struct{ name, in, want string }{
		// Placeholders.
		{"bare placeholders in order", `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{"numbered placeholders", `UPDATE t SET a = ?2 WHERE id = ?1 OR id = ?1`, `UPDATE t SET a = $2 WHERE id = $1 OR id = $1`},
		{"numbered above ten", `SELECT ?10, ?11, ?9`, `SELECT $10, $11, $9`},
		{"bare after numbered takes the next free", `SELECT ?3, ?`, `SELECT $3, $4`},
		{"numbered after bare", `SELECT ?, ?, ?1`, `SELECT $1, $2, $1`},
		{"placeholder against a paren", `IN (?,?)`, `IN ($1,$2)`},
		{"no placeholders", `SELECT 1`, `SELECT 1`},

		// Literals, quoted names and comments are left alone.
		{"question mark in a literal", `SELECT '?' , ?`, `SELECT '?' , $1`},
		{"doubled quote in a literal", `SELECT 'it''s ? like max(a, b)', ?`, `SELECT 'it''s ? like max(a, b)', $1`},
		{"quoted name", `SELECT "like", "max"(a, b) FROM t WHERE x = ?`, `SELECT "like", "max"(a, b) FROM t WHERE x = $1`},
		{"line comment", "SELECT a -- like ? and max(a, b)\nFROM t WHERE b = ?", "SELECT a -- like ? and max(a, b)\nFROM t WHERE b = $1"},
		{"comment at the end", `SELECT ? -- why?`, `SELECT $1 -- why?`},
		{"unterminated literal", `SELECT 'like ?`, `SELECT 'like ?`},

		// LIKE ignores case in SQLite, so ILIKE in PostgreSQL.
		{"LIKE", `WHERE email LIKE ? ESCAPE '\'`, `WHERE email ILIKE $1 ESCAPE '\'`},
		{"like in lower case", `WHERE a like ?`, `WHERE a ILIKE $1`},
		{"NOT LIKE", `WHERE a NOT LIKE 'x%'`, `WHERE a NOT ILIKE 'x%'`},
		{"LIKE inside a longer word", `SELECT likely, unlike_x, t.like FROM t`, `SELECT likely, unlike_x, t.like FROM t`},

		// MAX and MIN: scalar with two or more arguments, aggregate with one.
		{"scalar MAX", `SELECT MAX(a, b)`, `SELECT GREATEST(a, b)`},
		{"scalar min in lower case", `SELECT min(a, ?, c)`, `SELECT LEAST(a, $1, c)`},
		{"space before the parenthesis", `SELECT MAX (a, b)`, `SELECT GREATEST (a, b)`},
		{"aggregate MAX", `SELECT MAX(id) FROM t`, `SELECT MAX(id) FROM t`},
		{"aggregate MIN", `SELECT MIN(created_at) FROM t`, `SELECT MIN(created_at) FROM t`},
		{"aggregate over a call with commas", `SELECT MAX(COALESCE(a, b)) FROM t`, `SELECT MAX(COALESCE(a, b)) FROM t`},
		{"scalar over nested calls", `SELECT MAX(COALESCE(a, b), f(c, d))`, `SELECT GREATEST(COALESCE(a, b), f(c, d))`},
		{"scalar inside an aggregate", `SELECT MAX(MIN(a, b)) FROM t`, `SELECT MAX(LEAST(a, b)) FROM t`},
		{"aggregate inside a scalar", `SELECT MAX((SELECT MAX(x) FROM u), ?)`, `SELECT GREATEST((SELECT MAX(x) FROM u), $1)`},
		{"comma in a literal is not an argument", `SELECT MAX(a || ',') FROM t`, `SELECT MAX(a || ',') FROM t`},
		{"a column named max", `SELECT t.max, max_id FROM t`, `SELECT t.max, max_id FROM t`},

		// SQLite's planner hint has no PostgreSQL counterpart.
		{"INDEXED BY", "SELECT id FROM t INDEXED BY t_idx\n\tWHERE a = ?", "SELECT id FROM t \n\tWHERE a = $1"},
		{"indexed by in lower case", `FROM t indexed  by t_idx WHERE`, `FROM t  WHERE`},
		{"a column named indexed", `SELECT indexed, indexed_by FROM t`, `SELECT indexed, indexed_by FROM t`},

		// Statements written for PostgreSQL pass unchanged.
		{"dollar placeholders", `SELECT * FROM river_job WHERE kind LIKE $1 AND x = MAX(a, b) AND y = ?`, `SELECT * FROM river_job WHERE kind LIKE $1 AND x = MAX(a, b) AND y = ?`},
		{"a dollar in a literal is not a placeholder", `SELECT '$1' WHERE a LIKE ?`, `SELECT '$1' WHERE a ILIKE $1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, storage.PostgresSQL(c.in))
		})
	}
}
