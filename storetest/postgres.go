package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the PostgreSQL server the tests may use, as a URL whose
// user may create databases. When it is empty the tests look for the local
// server that .ci/run starts (LocalPostgres).
const PostgresEnv = "JOBCANNON_TEST_DATABASE_URL"

// LocalPostgres is the server scripts/postgres sets up on this machine: a
// role that may create databases, on the loopback address.
const LocalPostgres = "postgres://jobcannon:jobcannon@127.0.0.1:5432/jobcannon?sslmode=disable"

// PostgresServer returns the URL of the PostgreSQL server that tests may
// create databases on: PostgresEnv's, else LocalPostgres when something
// answers on its port; "" when there is none.
func PostgresServer() string {
	if u := os.Getenv(PostgresEnv); u != "" {
		return u
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:5432", 200*time.Millisecond)
	if err != nil {
		return ""
	}
	c.Close()
	return LocalPostgres
}

// PostgresDatabase creates an empty database of tb's own on the test
// server and returns its URL; the database is dropped when tb ends. With no
// server tb is skipped, unless CI is set: there a missing server is a
// failure, since CI starts one.
func PostgresDatabase(tb testing.TB) string {
	tb.Helper()
	return postgresDatabase(tb, "")
}

// postgresDatabase is PostgresDatabase copying template when it is not "".
func postgresDatabase(tb testing.TB, template string) string {
	tb.Helper()
	server := PostgresServer()
	if server == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("storetest: no PostgreSQL server: set %s or start the local one (scripts/postgres)", PostgresEnv)
		}
		tb.Skipf("storetest: no PostgreSQL server (set %s or run scripts/postgres)", PostgresEnv)
	}
	name := "jc_test_" + randomHex(tb, 8)
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	adminExec(tb, server, stmt)
	tb.Cleanup(func() { adminExec(tb, server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return withDatabase(tb, server, name)
}

// adminExec runs one statement on the server's own database.
func adminExec(tb testing.TB, server, stmt string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("storetest: connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		tb.Fatalf("storetest: %s: %v", stmt, err)
	}
}

// withDatabase is server's URL naming database name instead.
func withDatabase(tb testing.TB, server, name string) string {
	tb.Helper()
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("storetest: random: %v", err)
	}
	return hex.EncodeToString(b)
}
