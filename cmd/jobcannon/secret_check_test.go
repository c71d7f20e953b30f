package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/secrets"
)

// TestOperatorCommandsRefuseAnotherSecretKey: an operator command run with
// a key other than the database's would seal credentials the service
// cannot open; it stops before writing anything and says why.
func TestOperatorCommandsRefuseAnotherSecretKey(t *testing.T) {
	cli := newCLIEnv(t)
	cli.ok("tenant", "add", "--customer", "1234", "--name", "Acme", "--region", "us", "--auth", "basic",
		"--username", "api-acme", "--password", "outbound-pw-5d1f")

	other, err := secrets.NewKey()
	require.NoError(t, err)
	shared := cli.environ["JOBCANNON_SECRET_KEY"]
	cli.environ["JOBCANNON_SECRET_KEY"] = other
	_, err = cli.run("", "tenant", "add", "--customer", "5678", "--name", "Other", "--region", "us", "--auth", "basic",
		"--username", "api-other", "--password", "outbound-pw-9c2e")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Give every instance the same JOBCANNON_SECRET_KEY")

	cli.environ["JOBCANNON_SECRET_KEY"] = shared
	out := cli.ok("tenant", "list")
	assert.Contains(t, out, "1234")
	assert.NotContains(t, out, "5678", "the refused command added nothing")
}
