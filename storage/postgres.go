package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/jobcannon/jobcannon/migrations"
)

// isPostgresURL reports whether dbURL names a PostgreSQL server.
func isPostgresURL(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://")
}

// openPostgres connects to the PostgreSQL database dbURL names. pgx's pool
// is the one pool of connections: the store reaches it through
// database/sql (with its SQL rewritten, see postgresSQL), River's workers
// and the session store through pgx itself.
func openPostgres(ctx context.Context, dbURL string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("storage: database url: %w", errors.Unwrap(err))
	}
	// Times come back in UTC, as they are stored; pgx would give them in
	// the machine's local zone.
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", redactURL(dbURL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("storage: open %s: %w", redactURL(dbURL), err)
	}
	db := sql.OpenDB(postgresConnector{stdlib.GetPoolConnector(pool)})
	db.SetMaxOpenConns(int(cfg.MaxConns))
	// A connection idle in database/sql still holds its pgx connection, so
	// idle ones go straight back to pgx's pool (which keeps them open):
	// else a burst of store queries leaves River's workers none.
	db.SetMaxIdleConns(0)
	jobs, err := newJobClient(Postgres, db)
	if err != nil {
		db.Close()
		pool.Close()
		return nil, err
	}
	return &DB{W: db, R: db, dialect: Postgres, name: redactURL(dbURL), pool: pool, jobs: jobs}, nil
}

// redactURL is dbURL without its password, for logs.
func redactURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "postgres://(unreadable url)"
	}
	return u.Redacted()
}

func postgresMigrator(conn *sql.DB) (*goose.Provider, error) {
	// goose's session locker holds a PostgreSQL advisory lock while it
	// migrates, so instances that start together migrate once: the others
	// wait, then find nothing to apply.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("storage: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, conn, migrations.Postgres,
		goose.WithAllowOutofOrder(true), goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("storage: migrations: %w", err)
	}
	return p, nil
}

// postgresConnector hands database/sql pgx's pooled connections with the
// store's SQL rewritten for PostgreSQL.
type postgresConnector struct{ driver.Connector }

// Connect implements driver.Connector.
func (c postgresConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return postgresConn{conn.(*stdlib.Conn)}, nil
}

// postgresConn is pgx's connection; only the text of each statement
// changes on its way (postgresSQL).
type postgresConn struct{ *stdlib.Conn }

// Prepare implements driver.Conn.
func (c postgresConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(postgresSQL(query))
}

// PrepareContext implements driver.ConnPrepareContext.
func (c postgresConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, postgresSQL(query))
}

// ExecContext implements driver.ExecerContext.
func (c postgresConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, postgresSQL(query), args)
}

// QueryContext implements driver.QueryerContext.
func (c postgresConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, postgresSQL(query), args)
}

// pgError is err's PostgreSQL error, if it is one.
func pgError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	ok := errors.As(err, &pe)
	return pe, ok
}
