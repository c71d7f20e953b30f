package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/storetest"
)

// TestMigrateDataMovesADeploymentToPostgres: an operator's SQLite
// deployment (a tenant and an admin made with the CLI) is copied with
// `jobcannon migrate-data`, and the same commands then find them on
// PostgreSQL; copying again is refused and changes nothing.
func TestMigrateDataMovesADeploymentToPostgres(t *testing.T) {
	pg := storetest.PostgresDatabase(t)
	cli := newCLIEnv(t)
	cli.ok("tenant", "add", "--customer", "1234", "--name", "Acme", "--region", "us", "--auth", "basic", "--username", "u", "--password", "p")
	_, err := cli.run("correct horse battery\n", "admin", "create", "--customer", "1234", "--email", "ops@acme.test", "--password-stdin")
	require.NoError(t, err)

	out := cli.ok("migrate-data", "--to", pg)
	assert.Contains(t, out, "tenants")
	assert.Contains(t, out, "admins")
	assert.Contains(t, out, "not copied: sessions")
	assert.Regexp(t, `copied \d+ rows in \d+ tables and \d+ queued jobs from .*jobcannon\.db to postgres://jobcannon:xxxxx@`, out,
		"names both databases, never the password")

	cli.environ["JOBCANNON_DATABASE_URL"] = pg
	list := cli.ok("tenant", "list")
	assert.Contains(t, list, "1234")
	assert.Contains(t, list, "Acme")

	delete(cli.environ, "JOBCANNON_DATABASE_URL")
	_, err = cli.run("", "migrate-data", "--to", pg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already holds data")

	_, err = cli.run("", "migrate-data")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--to is required")
}
