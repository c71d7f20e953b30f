package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/app"
	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/secrets"
)

// cliEnv runs operator commands against one data directory, the way an
// operator's shell would: settings in the environment, flags per command.
type cliEnv struct {
	t       *testing.T
	environ map[string]string
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	key, err := secrets.NewKey()
	require.NoError(t, err)
	return &cliEnv{t: t, environ: map[string]string{
		"JOBCANNON_DATA_DIR":   filepath.Join(t.TempDir(), "data"),
		"JOBCANNON_SECRET_KEY": key,
		"JOBCANNON_LOG_LEVEL":  "warn",
	}}
}

// run runs one command and returns its standard output and error.
func (c *cliEnv) run(stdin string, args ...string) (string, error) {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, env(c.environ), strings.NewReader(stdin), &stdout, &stderr)
	if err == nil {
		assert.Empty(c.t, stderr.String(), "a successful command is quiet on stderr")
	}
	return stdout.String(), err
}

// ok runs a command that must succeed.
func (c *cliEnv) ok(args ...string) string {
	c.t.Helper()
	out, err := c.run("", args...)
	require.NoError(c.t, err, "jobcannon %s", strings.Join(args, " "))
	return out
}

// json runs a command with --json and decodes its answer into v.
func (c *cliEnv) json(v any, args ...string) {
	c.t.Helper()
	out := c.ok(append(args, "--json")...)
	require.NoError(c.t, json.Unmarshal([]byte(out), v), out)
}

// operator opens the same database as the commands, as a running service
// would hold it open beside them.
func (c *cliEnv) operator() *operator {
	c.t.Helper()
	o, err := openOperator(context.Background(), operatorConfig{
		Storage:   app.Storage{DataDir: c.environ["JOBCANNON_DATA_DIR"], LogLevel: "warn"},
		SecretKey: c.environ["JOBCANNON_SECRET_KEY"],
	}, 0, io.Discard)
	require.NoError(c.t, err)
	c.t.Cleanup(func() { o.close() })
	return o
}

func keysOf(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestOperatorCommandsHaveHelp(t *testing.T) {
	commands := [][]string{
		{"tenant", "add"}, {"tenant", "list"}, {"tenant", "show"}, {"tenant", "remove"},
		{"tenant", "inbound-credentials"}, {"tenant", "region"}, {"admin", "create"},
	}
	for _, cmd := range commands {
		t.Run(strings.Join(cmd, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append(cmd, "--help"), env(nil), strings.NewReader(""), &out, io.Discard)
			assert.ErrorIs(t, err, flag.ErrHelp)
			assert.Contains(t, out.String(), "Usage: jobcannon "+strings.Join(cmd, " "))
			for _, fl := range []string{"--json", "--data-dir", "--database-url", "--secret-key", "JOBCANNON_SECRET_KEY"} {
				assert.Contains(t, out.String(), fl)
			}
		})
	}
	for _, group := range []string{"tenant", "admin"} {
		var out bytes.Buffer
		err := run(context.Background(), []string{group, "--help"}, env(nil), nil, &out, io.Discard)
		assert.ErrorIs(t, err, flag.ErrHelp)
		assert.Contains(t, out.String(), "Commands:")
		err = run(context.Background(), []string{group}, env(nil), nil, io.Discard, io.Discard)
		assert.ErrorContains(t, err, "which command?")
		err = run(context.Background(), []string{group, "frob"}, env(nil), nil, io.Discard, io.Discard)
		assert.ErrorContains(t, err, `unknown command "frob"`)
	}
	var out bytes.Buffer
	_ = run(context.Background(), []string{"--help"}, env(nil), nil, &out, io.Discard)
	assert.Contains(t, out.String(), "tenant ")
	assert.Contains(t, out.String(), "admin ")
}

func TestTenantAddListShowRemove(t *testing.T) {
	cli := newCLIEnv(t)

	out := cli.ok("tenant", "list")
	assert.Contains(t, out, "No tenants yet")
	var none []map[string]any
	cli.json(&none, "tenant", "list")
	assert.NotNil(t, none, "an empty list is [], not null")
	assert.Empty(t, none)

	out = cli.ok("tenant", "add", "--customer", "1234", "--name", "Acme", "--region", "us", "--auth", "basic",
		"--username", "api-acme", "--password", "outbound-pw-5d1f")
	assert.Contains(t, out, "Added tenant 1234 (Acme)")
	assert.NotContains(t, out, "outbound-pw-5d1f")

	var hmacTenant map[string]any
	cli.json(&hmacTenant, "tenant", "add", "--customer", "5678", "--region", "eu", "--auth", "hmac",
		"--hmac-user", "hm-user", "--hmac-key", "outbound-key-9a7c")
	assert.Equal(t, []string{"api_url", "auth", "created_at", "customer_id", "id", "installed_at", "missing_scopes",
		"name", "region", "scopes", "status", "status_reason", "updated_at"}, keysOf(hmacTenant))
	assert.Equal(t, "5678", hmacTenant["customer_id"])
	assert.Equal(t, "eu", hmacTenant["region"])
	assert.Equal(t, "hmac", hmacTenant["auth"])
	assert.Equal(t, "active", hmacTenant["status"])

	out = cli.ok("tenant", "add", "--customer", "9012", "--api-url", "https://icims.example.test/", "--auth", "client-credentials",
		"--client-id", "cc-id", "--client-secret", "outbound-secret-77e2", "--token-url", "https://login.example.test/oauth/token")
	assert.Contains(t, out, "OAuth client credentials, https://icims.example.test.")

	// Adding again updates the connection and keeps the tenant (in its
	// region: another region is refused, see TestTenantRegionIsAnOperatorAction).
	out = cli.ok("tenant", "add", "--customer", "1234", "--region", "us", "--auth", "basic",
		"--username", "api-acme", "--password", "outbound-pw-2nd")
	assert.Contains(t, out, "Updated tenant 1234 (Acme)")

	o := cli.operator()
	ctx := context.Background()
	for customer, want := range map[string]assessments.Credentials{
		"1234": {Username: "api-acme", Password: "outbound-pw-2nd"},
		"5678": {HMACUser: "hm-user", HMACKey: "outbound-key-9a7c"},
		"9012": {ClientID: "cc-id", ClientSecret: "outbound-secret-77e2", TokenURL: "https://login.example.test/oauth/token"},
	} {
		tn, err := o.tenants.TenantByCustomer(ctx, customer)
		require.NoError(t, err)
		got, err := o.tenants.Credentials(ctx, tn.ID)
		require.NoError(t, err)
		assert.Equal(t, want, got, "customer %s", customer)
	}

	out = cli.ok("tenant", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Regexp(t, `^CUSTOMER\s+NAME\s+REGION\s+AUTH\s+STATUS$`, lines[0])
	assert.Regexp(t, `^1234\s+Acme\s+us\s+basic\s+active$`, lines[1])
	assert.Regexp(t, `^9012\s+-\s+us\s+client-credentials\s+active$`, lines[3])
	var all []map[string]any
	cli.json(&all, "tenant", "list")
	require.Len(t, all, 3)
	assert.Equal(t, "client-credentials", all[2]["auth"])
	assert.Equal(t, "https://icims.example.test", all[2]["api_url"])

	cli.ok("tenant", "inbound-credentials", "--customer", "1234", "--mode", "basic")
	require.NoError(t, pipeAdmin(cli, "admin-pw-0123456", "--customer", "1234", "--email", "it@acme.test"))
	out = cli.ok("tenant", "show", "--customer", "1234")
	assert.Contains(t, out, "Tenant 1234 (Acme)")
	assert.Contains(t, out, "it@acme.test (never signed in)")
	assert.Regexp(t, `basic\s+jc-1234-\w{6}\s+created \d{4}-\d\d-\d\d \d\d:\d\d UTC\s+live`, out)
	var shown map[string]any
	cli.json(&shown, "tenant", "show", "--customer", "1234")
	assert.Contains(t, keysOf(shown), "admins")
	assert.Contains(t, keysOf(shown), "inbound_credentials")
	creds := shown["inbound_credentials"].([]any)
	require.Len(t, creds, 1)
	assert.Equal(t, []string{"created_at", "expires_at", "identifier", "live", "mode"}, keysOf(creds[0].(map[string]any)))
	admins := shown["admins"].([]any)
	require.Len(t, admins, 1)
	assert.Equal(t, "it@acme.test", admins[0].(map[string]any)["email"])

	out = cli.ok("tenant", "remove", "--customer", "1234")
	assert.Equal(t, "Removed tenant 1234 (Acme) with 1 admin and 1 inbound credential, and all its data.\n", out)
	var removed map[string]any
	cli.json(&removed, "tenant", "remove", "--customer", "5678")
	assert.Equal(t, "5678", removed["customer_id"])
	assert.Equal(t, []any{}, removed["admins"])

	_, err := cli.run("", "tenant", "show", "--customer", "1234")
	assert.ErrorContains(t, err, "no tenant with customer id 1234")
	cli.json(&all, "tenant", "list")
	assert.Len(t, all, 1)
}

func TestTenantAddRefusesBadFlags(t *testing.T) {
	cli := newCLIEnv(t)
	basic := []string{"--auth", "basic", "--username", "u", "--password", "p"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no customer", append([]string{"--region", "us"}, basic...), "--customer is required"},
		{"customer not digits", append([]string{"--customer", "acme", "--region", "us"}, basic...), "digits"},
		{"no region nor api url", append([]string{"--customer", "1"}, basic...), "--region us|eu"},
		{"unknown region", append([]string{"--customer", "1", "--region", "apac"}, basic...), `--region "apac"`},
		{"relative api url", append([]string{"--customer", "1", "--api-url", "icims.test"}, basic...), "absolute http(s) URL"},
		{"no auth", []string{"--customer", "1", "--region", "us"}, "--auth is required"},
		{"oauth auth", []string{"--customer", "1", "--region", "us", "--auth", "oauth"}, "Marketplace installs"},
		{"unknown auth", []string{"--customer", "1", "--region", "us", "--auth", "kerberos"}, `--auth "kerberos"`},
		{"basic without password", []string{"--customer", "1", "--region", "us", "--auth", "basic", "--username", "u"}, "password"},
		{"hmac without key", []string{"--customer", "1", "--region", "us", "--auth", "hmac", "--hmac-user", "u"}, "key"},
		{"client credentials without secret", []string{"--customer", "1", "--region", "us", "--auth", "client-credentials", "--client-id", "i"}, "client secret"},
		{"a flag of another mode", append([]string{"--customer", "1", "--region", "us", "--hmac-key", "k"}, basic...), "--hmac-key is only for --auth hmac"},
		{"a stray argument", append([]string{"--customer", "1", "--region", "us", "extra"}, basic...), "unexpected argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := cli.run("", append([]string{"tenant", "add"}, c.args...)...)
			assert.ErrorContains(t, err, c.want)
		})
	}
	var all []map[string]any
	cli.json(&all, "tenant", "list")
	assert.Empty(t, all, "a refused add changes nothing")
}

func TestCommandsOnAnUnknownCustomerSayHowToAddIt(t *testing.T) {
	cli := newCLIEnv(t)
	commands := [][]string{
		{"tenant", "show", "--customer", "999"},
		{"tenant", "remove", "--customer", "999"},
		{"tenant", "inbound-credentials", "--customer", "999", "--mode", "hmac"},
		{"admin", "create", "--customer", "999", "--email", "a@b.test", "--password-stdin"},
	}
	for _, cmd := range commands {
		t.Run(strings.Join(cmd[:2], " "), func(t *testing.T) {
			_, err := cli.run("a-long-password\n", cmd...)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "no tenant with customer id 999; add it with: jobcannon tenant add --customer 999 "), err.Error())
		})
	}
	_, err := cli.run("", "tenant", "show")
	assert.ErrorContains(t, err, "--customer is required")
}

func TestDomainErrorsReadAsSentences(t *testing.T) {
	err := cliMessage(assessments.Errorf(assessments.EINVALID, "Use at least 10 characters for the password."))
	assert.Equal(t, "Use at least 10 characters for the password.", err.Error())
	plain := errors.New("sqlite: open: disk full")
	assert.Equal(t, plain, cliMessage(plain))
	assert.NoError(t, cliMessage(nil))
}

// A tenant's region changes only by the operator's explicit command; the
// same change through tenant add (a connection save) is refused.
func TestTenantRegionIsAnOperatorAction(t *testing.T) {
	cli := newCLIEnv(t)
	cli.ok("tenant", "add", "--customer", "5678", "--region", "eu", "--auth", "basic", "--username", "u", "--password", "p")
	_, err := cli.run("", "tenant", "add", "--customer", "5678", "--region", "us", "--auth", "basic", "--username", "u", "--password", "p")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connected in the EU (api-eu.icims.com) region")

	_, err = cli.run("", "tenant", "region", "--customer", "5678", "--region", "us")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--confirm")
	out := cli.ok("tenant", "region", "--customer", "05678", "--region", "us", "--confirm")
	assert.Contains(t, out, "Tenant 5678 moved from EU (api-eu.icims.com) to US (api.icims.com).")
	var shown map[string]any
	cli.json(&shown, "tenant", "show", "--customer", "5678")
	assert.Equal(t, "us", shown["region"])
}
