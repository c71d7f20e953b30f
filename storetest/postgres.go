package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jobcannon/jobcannon/migrations"
	"github.com/jobcannon/jobcannon/storage"
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

// StoreEnv chooses the database storetest.New opens: "postgres" for a
// PostgreSQL database on the test server (PostgresServer), anything else
// for a SQLite file. scripts/test runs the store, queue, jobs and
// whole-service tests once with each.
const StoreEnv = "JOBCANNON_TEST_STORE"

// OnPostgres reports whether this test run's stores are PostgreSQL
// databases (StoreEnv).
func OnPostgres() bool { return os.Getenv(StoreEnv) == "postgres" }

// migratedPostgresDatabase creates a database of tb's own as a copy of a
// migrated template, which is far quicker than migrating each: the
// template is made once per version of the migrations and River, by
// whichever test process gets there first, and kept on the server for the
// next run.
func migratedPostgresDatabase(tb testing.TB) string {
	tb.Helper()
	template.once.Do(func() { template.name, template.err = makeTemplate() })
	if template.err != nil {
		tb.Fatalf("storetest: PostgreSQL template: %v", template.err)
	}
	return postgresDatabase(tb, template.name)
}

// template is this test process's migrated template database. Set once.
var template struct {
	once sync.Once
	name string
	err  error
}

// makeTemplate returns the name of the migrated template database for
// this build's migrations, making it when the server does not have it.
func makeTemplate() (string, error) {
	server := PostgresServer()
	if server == "" {
		return "", fmt.Errorf("no PostgreSQL server (set %s or run scripts/postgres)", PostgresEnv)
	}
	name := "jc_template_" + schemaVersion()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	// Test processes of several packages start together: one makes the
	// template, the others wait for it.
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(4242424242)`); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(4242424242)`) //nolint:errcheck // ends with the session anyway
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Built under another name and renamed when complete, so that a process
	// killed half-way leaves no half-migrated template behind.
	building := name + "_building"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + building
	db, err := storage.Open(ctx, u.String(), "")
	if err != nil {
		return "", err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

// schemaVersion names the schema a template holds: a hash of the
// PostgreSQL migrations and of the River version (River's own tables).
func schemaVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.Postgres, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.Postgres, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if strings.HasPrefix(m.Path, "github.com/riverqueue/river") {
				fmt.Fprintf(h, "%s %s\n", m.Path, m.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
