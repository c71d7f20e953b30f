// Package storetest opens the store that the tests of every package run
// against: a migrated database of its own, a keyring to seal credentials
// with, the built-in instruments and a fake clock. It is the one place a
// test's database is made, so that running the same tests on another
// database (PostgreSQL) changes this package and not the tests.
//
// It imports only the store, the domain and the secrets, so that the tests
// of jobs, handlers and the app can use it.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
)

// Env is what a store test starts from.
type Env struct {
	// DB is a migrated database that lives as long as the test.
	DB *storage.DB
	// URL names DB the way the service's --database-url does, for a
	// whole-service test that starts the app on the same database.
	URL string
	// Keyring seals credentials and signs links; its key is random, so
	// nothing a test seals can be opened by another test's keyring.
	Keyring *secrets.Keyring
	// Library is the built-in instruments.
	Library *assessments.Library
	// Clock is the fake clock the test hands to the stores it builds.
	Clock *clocktest.Clock
}

// Option changes what New makes.
type Option func(*options)

type options struct {
	start time.Time
}

// At starts the Env's clock at start instead of New's default.
func At(start time.Time) Option { return func(o *options) { o.start = start } }

// DefaultStart is when an Env's clock starts unless At says otherwise: a
// fixed time, so that a test's stored times are the same on every run.
func DefaultStart() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

// New opens a migrated database of tb's own, closed when tb ends: a SQLite
// file in tb's temporary directory, or when StoreEnv says so a PostgreSQL
// database on the test server, emptied for another test when tb ends; with
// a fresh keyring, the built-in instruments and a clock at DefaultStart (or
// At's time). It fails tb at once if any of them cannot be
// made, since no test can go on without its store.
func New(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	o := options{start: DefaultStart()}
	for _, opt := range opts {
		opt(&o)
	}
	ctx := context.Background()
	url := "sqlite://" + filepath.ToSlash(filepath.Join(tb.TempDir(), "test.db"))
	if OnPostgres() {
		url = migratedPostgresDatabase(tb)
	}
	db, err := storage.Open(ctx, url, "")
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	// A PostgreSQL database is a copy of a template named for this build's
	// migrations, so it is migrated already.
	if !OnPostgres() {
		if _, err := db.Migrate(ctx); err != nil {
			tb.Fatalf("storetest: migrate: %v", err)
		}
	}
	return &Env{DB: db, URL: url, Keyring: NewKeyring(tb), Library: library(tb), Clock: clocktest.New(o.start)}
}

// NewKeyring returns a keyring with one fresh random key, for a test that
// needs a second, unrelated keyring beside its Env's.
func NewKeyring(tb testing.TB) *secrets.Keyring {
	tb.Helper()
	key, err := secrets.NewKey()
	if err != nil {
		tb.Fatalf("storetest: key: %v", err)
	}
	keys, err := secrets.ParseKeys(key)
	if err != nil {
		tb.Fatalf("storetest: parse key: %v", err)
	}
	kr, err := secrets.NewKeyring(keys...)
	if err != nil {
		tb.Fatalf("storetest: keyring: %v", err)
	}
	return kr
}

func library(tb testing.TB) *assessments.Library {
	tb.Helper()
	lib, err := assessments.BuiltinInstruments()
	if err != nil {
		tb.Fatalf("storetest: instruments: %v", err)
	}
	return lib
}

// Reopen opens the Env's database again, as another instance of the
// service on the same database would; closed when tb ends.
func (e *Env) Reopen(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), e.URL, "")
	if err != nil {
		tb.Fatalf("storetest: reopen: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}
