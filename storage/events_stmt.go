package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache prepares each query once per pool and reuses it. The intake
// runs the same few statements for every event; without this, SQLite
// spends a third of the CPU parsing them again each time.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// get returns the prepared statement for query, preparing it on first use.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	c.m[query] = st
	return st, nil
}

// queryRow runs a cached read.
func (c *stmtCache) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// query runs a cached read that returns rows.
func (c *stmtCache) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// warm prepares queries that will run inside transactions. It must be
// called outside any transaction on the pool: the writer pool has a single
// connection, which a transaction holds until it ends.
func (c *stmtCache) warm(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := c.get(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// txStmt returns the statement for query bound to tx: the cached one when
// warm prepared it (reused, since the writer pool has one connection),
// otherwise one prepared in tx for this transaction only. It never asks the
// pool for a connection, which a transaction on the writer would wait for
// forever.
func (c *stmtCache) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st), nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return st, nil
}
