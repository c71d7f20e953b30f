package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

// pipeAdmin runs admin create with the password on stdin.
func pipeAdmin(cli *cliEnv, password string, args ...string) error {
	_, err := cli.run(password+"\n", append([]string{"admin", "create", "--password-stdin"}, args...)...)
	return err
}

func TestAdminCreate(t *testing.T) {
	cli := newCLIEnv(t)
	cli.ok("tenant", "add", "--customer", "1234", "--name", "Acme", "--region", "us", "--auth", "basic", "--username", "u", "--password", "p")

	out, err := cli.run("correct horse battery\r\n", "admin", "create", "--customer", "1234", "--email", " IT@Acme.test ", "--password-stdin")
	require.NoError(t, err)
	assert.Equal(t, "Created admin it@acme.test for tenant 1234 (Acme). They sign in at /admin/login.\n", out)

	out, err = cli.run("another long password", "admin", "create", "--customer", "1234", "--email", "hr@acme.test",
		"--name", "Hannah", "--password-stdin", "--json")
	require.NoError(t, err)
	var created map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &created), out)
	assert.Equal(t, []string{"created_at", "customer_id", "email", "has_password", "id", "last_login_at", "name"}, keysOf(created))
	assert.Equal(t, "hr@acme.test", created["email"])
	assert.Equal(t, "Hannah", created["name"])
	assert.Equal(t, "1234", created["customer_id"])
	assert.Equal(t, true, created["has_password"])
	assert.NotContains(t, out, "another long password")

	// The password works for signing in, and only the hash is stored.
	o := cli.operator()
	admins, hashes, err := o.admins.LoginCandidates(context.Background(), "it@acme.test")
	require.NoError(t, err)
	require.Len(t, admins, 1)
	assert.True(t, assessments.CheckPassword(hashes[0], "correct horse battery"), "the trailing CR LF is not part of the password")
	assert.NotEqual(t, "correct horse battery", hashes[0])
}

func TestAdminCreateRefusals(t *testing.T) {
	cli := newCLIEnv(t)
	cli.ok("tenant", "add", "--customer", "1234", "--region", "us", "--auth", "basic", "--username", "u", "--password", "p")
	require.NoError(t, pipeAdmin(cli, "a-long-password", "--customer", "1234", "--email", "it@acme.test"))

	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"an admin twice", "a-long-password\n", []string{"--customer", "1234", "--email", "it@acme.test", "--password-stdin"}, "it@acme.test is already an admin"},
		{"a short password", "short\n", []string{"--customer", "1234", "--email", "new@acme.test", "--password-stdin"}, "Use at least 10 characters"},
		{"empty stdin", "", []string{"--customer", "1234", "--email", "new@acme.test", "--password-stdin"}, "standard input is empty"},
		{"no terminal to ask on", "", []string{"--customer", "1234", "--email", "new@acme.test"}, "pipe it in with --password-stdin"},
		{"a bad e-mail", "a-long-password\n", []string{"--customer", "1234", "--email", "not-an-address", "--password-stdin"}, "--email: Enter an e-mail address"},
		{"no e-mail", "a-long-password\n", []string{"--customer", "1234", "--password-stdin"}, "--email is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := cli.run(c.stdin, append([]string{"admin", "create"}, c.args...)...)
			assert.ErrorContains(t, err, c.want)
		})
	}
	o := cli.operator()
	tn, err := o.tenants.TenantByCustomer(context.Background(), "1234")
	require.NoError(t, err)
	admins, err := o.admins.Admins(context.Background(), tn.ID)
	require.NoError(t, err)
	assert.Len(t, admins, 1, "refusals create nothing")
}

func TestReadPasswordNeedsATerminalOrStdin(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	require.NoError(t, err)
	defer f.Close()
	_, err = readPassword(f, nil, false, "a@b.test")
	assert.ErrorContains(t, err, "not a terminal", "a regular file is not a terminal to ask on")
}
