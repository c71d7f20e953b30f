// Package migrations holds the numbered SQL files that build the schema,
// embedded in the binary so a fresh machine needs nothing else. Each
// database has its own folder with the same numbers: a change to the schema
// is one file in each, written in that database's own SQL.
//
// sqlite/ and postgres/ hold the same file names, and both must end in the
// same schema: the same tables, columns (in the same order, with the same
// NOT NULL and defaults), keys, CHECKs, indexes by name and triggers.
// PostgreSQL's files use its own types: identity keys, BIGINT, TIMESTAMPTZ,
// BYTEA, and BOOLEAN for every column Go reads or writes as a bool (SQLite
// keeps 0 and 1 there). Where SQLite rebuilds a table to change it,
// PostgreSQL alters it in place. TestSameSchema applies both folders to
// real databases and says what is missing where, so a migration added to
// one folder only fails the tests.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql
var sqliteFiles embed.FS

//go:embed postgres/*.sql
var postgresFiles embed.FS

// SQLite holds the SQLite migrations, named NNNNN_what.sql, in goose's
// format.
var SQLite = sub(sqliteFiles, "sqlite")

// Postgres holds the PostgreSQL 15 migrations, with the same file names as
// SQLite's and in goose's format.
var Postgres = sub(postgresFiles, "postgres")

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		// fs.Sub fails only on an invalid path, and dir is a constant.
		panic(err)
	}
	return s
}
