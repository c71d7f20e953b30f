package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime/debug"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jobcannon/jobcannon/migrations"
	"github.com/jobcannon/jobcannon/storage"
)

// makeTemplate returns the name of the migrated template database for
// this build's migrations, making it when the server does not have it.
// Copying it is far quicker than migrating each test's database; it is
// made once per version of the migrations and River, by whichever test
// process gets there first, and kept on the server for the next run.
func makeTemplate(server string) (string, error) {
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
	if err := dropDatabase(ctx, admin, building); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	u, err := databaseURL(server, building)
	if err != nil {
		return "", err
	}
	db, err := storage.Open(ctx, u, "")
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
// Because the name changes with them, a copy of the template is migrated
// already and storetest.New skips Migrate on PostgreSQL.
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
