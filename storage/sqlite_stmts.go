package storage

import (
	"context"
	"database/sql/driver"
	"reflect"
	"sync"

	"modernc.org/sqlite"
)

// SQLite compiles every statement it runs. database/sql prepares a
// statement only when asked to (sql.DB.Prepare), so each ExecContext and
// QueryContext of ours, River's and goose's compiled its SQL again: a
// seventh of the intake's CPU went to SQLite's parser, a good part of it
// inside the one write transaction every event waits for. sqliteConn
// keeps each connection's compiled statements by their text and runs the
// next statement with the same text on one of them; pgx does the same for
// PostgreSQL on its own.

// maxCachedStatements bounds each connection's cache: the stores run a
// few hundred distinct statements; a statement built with a varying
// number of placeholders is compiled again when it falls out.
const maxCachedStatements = 512

// maxCachedSQL is the longest SQL kept compiled: longer texts are scripts
// (migrations), run once.
const maxCachedSQL = 8 << 10

// sqliteConnector opens modernc's connections wrapped in sqliteConn.
type sqliteConnector struct {
	dsn string
	drv *sqlite.Driver
}

func newSQLiteConnector(dsn string) sqliteConnector {
	return sqliteConnector{dsn: dsn, drv: &sqlite.Driver{}}
}

// Connect implements driver.Connector.
func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{modernConn: conn.(modernConn), cached: map[string]*cachedStmt{}}, nil
}

// Driver implements driver.Connector.
func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// modernConn is what modernc's connection offers database/sql.
type modernConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// sqliteConn is a modernc connection whose ExecContext and QueryContext
// run on statements compiled once. A statement is taken out of the cache
// while it runs (a query's until its rows close), so a statement run
// again before the first run ends, a query inside the loop over its own
// rows, gets one of its own.
type sqliteConn struct {
	modernConn
	mu sync.Mutex
	// cached holds a statement per text; its stmt is nil while it runs.
	cached map[string]*cachedStmt
	order  []string // cached's keys, oldest first, for eviction
	closed bool
}

type cachedStmt struct{ stmt driver.Stmt }

// ExecContext implements driver.ExecerContext.
func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	c.give(query, st, err)
	return res, err
}

// QueryContext implements driver.QueryerContext.
func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.give(query, st, err)
		return nil, err
	}
	return &sqliteRows{modernRows: rows.(modernRows), done: func(err error) { c.give(query, st, err) }}, nil
}

// Close implements driver.Conn: the cached statements first.
func (c *sqliteConn) Close() error {
	c.mu.Lock()
	for _, e := range c.cached {
		if e.stmt != nil {
			_ = e.stmt.Close()
		}
	}
	c.cached, c.order, c.closed = nil, nil, true
	c.mu.Unlock()
	return c.modernConn.Close()
}

// take returns a compiled statement for query: the cached one, taken out
// of the cache, or a new one.
func (c *sqliteConn) take(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	if e, ok := c.cached[query]; ok && e.stmt != nil {
		st := e.stmt
		e.stmt = nil
		c.mu.Unlock()
		return st, nil
	}
	c.mu.Unlock()
	return c.modernConn.PrepareContext(ctx, query)
}

// give puts a statement back after its run. It is closed instead when the
// run failed (its state is then not worth trusting), the text is a
// script, or another statement for the same text is back already.
func (c *sqliteConn) give(query string, st driver.Stmt, runErr error) {
	var discard []driver.Stmt
	c.mu.Lock()
	e, ok := c.cached[query]
	switch {
	case runErr != nil || c.closed || len(query) > maxCachedSQL || ok && e.stmt != nil:
		discard = append(discard, st)
	case ok:
		e.stmt = st
	default:
		if len(c.order) == maxCachedStatements {
			oldest := c.order[0]
			c.order = c.order[1:]
			if old := c.cached[oldest]; old.stmt != nil {
				discard = append(discard, old.stmt)
			}
			delete(c.cached, oldest)
		}
		c.cached[query] = &cachedStmt{stmt: st}
		c.order = append(c.order, query)
	}
	c.mu.Unlock()
	for _, st := range discard {
		_ = st.Close()
	}
}

// modernRows is what modernc's rows offer database/sql.
type modernRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	ColumnTypeScanType(index int) reflect.Type
}

// sqliteRows gives its statement back when it is closed.
type sqliteRows struct {
	modernRows
	done   func(error)
	closed bool
}

// Close implements driver.Rows.
func (r *sqliteRows) Close() error {
	err := r.modernRows.Close()
	if !r.closed {
		r.closed = true
		r.done(err)
	}
	return err
}
