package storetest

import (
	"context"
	"net"
	"net/url"
	"os"
	"testing"
	"time"
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

// StoreEnv chooses the database storetest.New opens: "postgres" for a
// PostgreSQL database on the test server (PostgresServer), anything else
// for a SQLite file. scripts/test runs the store, queue, jobs and
// whole-service tests once with each.
const StoreEnv = "JOBCANNON_TEST_STORE"

// OnPostgres reports whether this test run's stores are PostgreSQL
// databases (StoreEnv).
func OnPostgres() bool { return os.Getenv(StoreEnv) == "postgres" }

// PostgresDatabase creates an empty database of tb's own on the test
// server and returns its URL; the database is dropped when tb ends. With no
// server tb is skipped, unless CI is set: there a missing server is a
// failure, since CI starts one.
func PostgresDatabase(tb testing.TB) string {
	tb.Helper()
	d := serverDatabases(tb)
	name := d.newName()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := d.admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("storetest: create database: %v", err)
	}
	tb.Cleanup(func() { d.drop(tb, name) })
	return d.url(tb, name)
}

// migratedPostgresDatabase hands tb a migrated database of its own: one
// that an earlier test of this process gave back emptied, else a new copy
// of the template. It comes back to the process when tb ends (see
// databases.giveBack).
func migratedPostgresDatabase(tb testing.TB) string {
	tb.Helper()
	d := serverDatabases(tb)
	name := d.take(tb)
	tb.Cleanup(func() { d.giveBack(tb, name) })
	return d.url(tb, name)
}

// databaseURL is server's URL naming database name instead.
func databaseURL(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
