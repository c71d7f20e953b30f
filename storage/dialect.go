package storage

import (
	"strconv"
	"strings"
)

// postgresSQL rewrites a statement of the store, written in SQLite's SQL,
// into PostgreSQL's. This is the one place the two dialects differ in the
// text of a query:
//
//   - placeholders: `?` becomes `$1`, `$2`, … in order, and `?N` becomes
//     `$N`;
//   - `LIKE` becomes `ILIKE`: SQLite's LIKE ignores the case of ASCII
//     letters, PostgreSQL's does not;
//   - `MAX(a, b)` and `MIN(a, b)` with two or more arguments (SQLite's
//     scalar forms) become `GREATEST` and `LEAST`; with one argument they
//     are the aggregates both databases share.
//   - `INDEXED BY name`, SQLite's order to its planner to use an index,
//     is dropped: PostgreSQL has no such hint and plans for itself.
//
// Words inside string literals, quoted names and comments are left alone.
// A statement that already uses `$N` placeholders was written for
// PostgreSQL (River's, goose's, the session store's) and passes unchanged.
// Everything else the stores write is SQL both databases read alike; the
// schemas differ only in their own migration folders.
func postgresSQL(q string) string {
	if !strings.ContainsAny(q, "?LlMmIi") || hasDollarPlaceholder(q) {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	next := 0 // the number the next bare `?` takes
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := skipQuoted(q, i)
			b.WriteString(q[i:j])
			i = j
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := next + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			next = max(next, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j
		case isWordStart(q, i):
			if end, ok := indexedBy(q, i); ok {
				i = end
				continue
			}
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			b.WriteString(postgresWord(q, q[i:j], j))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// postgresWord is the PostgreSQL spelling of the word w, which ends at
// q[end].
func postgresWord(q, w string, end int) string {
	switch strings.ToUpper(w) {
	case "LIKE":
		return "ILIKE"
	case "MAX", "MIN":
		if !hasTopLevelComma(q, end) {
			return w
		}
		if strings.EqualFold(w, "MAX") {
			return "GREATEST"
		}
		return "LEAST"
	}
	return w
}

// indexedBy reports whether `INDEXED BY name` starts at q[i] and where it
// ends.
func indexedBy(q string, i int) (int, bool) {
	j := i
	for _, kw := range []string{"INDEXED", "BY"} {
		if j > i {
			k := j
			for k < len(q) && isSpace(q[k]) {
				k++
			}
			if k == j {
				return 0, false
			}
			j = k
		}
		if len(q) < j+len(kw) || !strings.EqualFold(q[j:j+len(kw)], kw) || j+len(kw) < len(q) && isWordByte(q[j+len(kw)]) {
			return 0, false
		}
		j += len(kw)
	}
	k := j
	for k < len(q) && isSpace(q[k]) {
		k++
	}
	name := k
	for k < len(q) && isWordByte(q[k]) {
		k++
	}
	if k == name || name == j {
		return 0, false
	}
	return k, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// hasTopLevelComma reports whether the parenthesised list that opens at
// q[at] (after spaces) holds a comma of its own: `max(a, b)`, not
// `max(a)` nor `max(f(a, b))`.
func hasTopLevelComma(q string, at int) bool {
	for at < len(q) && q[at] == ' ' {
		at++
	}
	if at >= len(q) || q[at] != '(' {
		return false
	}
	depth := 0
	for i := at; i < len(q); i++ {
		switch q[i] {
		case '\'', '"':
			i = skipQuoted(q, i) - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return false
			}
		case ',':
			if depth == 1 {
				return true
			}
		}
	}
	return false
}

// skipQuoted returns the index just past the literal or quoted name that
// opens at q[i]; a doubled quote inside it is part of it.
func skipQuoted(q string, i int) int {
	quote := q[i]
	for j := i + 1; j < len(q); j++ {
		if q[j] == quote {
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isWordStart reports whether a word (a keyword or a name) starts at q[i].
func isWordStart(q string, i int) bool {
	c := q[i]
	if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	return i == 0 || !isWordByte(q[i-1]) && q[i-1] != '$' && q[i-1] != '.'
}

// hasDollarPlaceholder reports whether q uses PostgreSQL's `$N`
// placeholders outside its literals.
func hasDollarPlaceholder(q string) bool {
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '\'', '"':
			i = skipQuoted(q, i) - 1
		case '$':
			if i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
				return true
			}
		}
	}
	return false
}

// SQLSTATE codes the store acts on (PostgreSQL's Appendix A).
const (
	sqlstateUniqueViolation      = "23505"
	sqlstateSerializationFailure = "40001"
	sqlstateDeadlockDetected     = "40P01"
	sqlstateUndefinedTable       = "42P01"
)

// isUniqueOn reports whether err is a unique constraint violated on
// column, named "table.column": SQLite says so in its message,
// PostgreSQL by SQLSTATE 23505 with the table and the key's columns.
func isUniqueOn(err error, column string) bool {
	if err == nil {
		return false
	}
	if pe, ok := pgError(err); ok {
		if pe.Code != sqlstateUniqueViolation {
			return false
		}
		table, col, _ := strings.Cut(column, ".")
		return pe.TableName == table && keyNames(pe.Detail, col)
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed") && strings.Contains(err.Error(), column)
}

// keyNames reports whether PostgreSQL's detail of a unique violation,
// "Key (tenant_id, email)=(…) already exists.", names column.
func keyNames(detail, column string) bool {
	open := strings.Index(detail, "(")
	shut := strings.Index(detail, ")=")
	if open < 0 || shut < open {
		return false
	}
	for _, name := range strings.Split(detail[open+1:shut], ",") {
		if strings.TrimSpace(name) == column {
			return true
		}
	}
	return false
}

// isUniqueViolation reports whether err is any unique constraint violated.
func isUniqueViolation(err error) bool {
	if pe, ok := pgError(err); ok {
		return pe.Code == sqlstateUniqueViolation
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isSerializationFailure reports whether err is PostgreSQL refusing a
// transaction that raced another; running it again is the fix.
func isSerializationFailure(err error) bool {
	pe, ok := pgError(err)
	return ok && (pe.Code == sqlstateSerializationFailure || pe.Code == sqlstateDeadlockDetected)
}

// isMissingTable reports whether err says a table does not exist.
func isMissingTable(err error) bool {
	if pe, ok := pgError(err); ok {
		return pe.Code == sqlstateUndefinedTable
	}
	return err != nil && strings.Contains(err.Error(), "no such table")
}
