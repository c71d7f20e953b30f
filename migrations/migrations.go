// Package migrations holds the numbered SQL files that build the schema,
// embedded in the binary so a fresh machine needs nothing else. Each
// database has its own folder with the same numbers: a change to the schema
// is one file in each, written in that database's own SQL.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql
var sqliteFiles embed.FS

// SQLite holds the SQLite migrations, named NNNNN_what.sql, in goose's
// format.
var SQLite = sub(sqliteFiles, "sqlite")

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		// fs.Sub fails only on an invalid path, and dir is a constant.
		panic(err)
	}
	return s
}
