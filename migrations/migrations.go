// Package migrations holds the numbered SQL files that build the schema,
// embedded in the binary so a fresh machine needs nothing else.
package migrations

import "embed"

// FS holds every migration, named NNNNN_what.sql, in goose's format.
//
//go:embed *.sql
var FS embed.FS
