package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
)

func addBasicTenant(cli *cliEnv, customer string) {
	cli.t.Helper()
	cli.ok("tenant", "add", "--customer", customer, "--region", "us", "--auth", "basic", "--username", "u", "--password", "p")
}

func TestInboundCredentialsJSONShapes(t *testing.T) {
	cli := newCLIEnv(t)
	addBasicTenant(cli, "1234")
	cases := []struct {
		mode string
		keys []string
	}{
		{"basic", []string{"mode", "password", "username"}},
		{"hmac", []string{"key", "mode", "user"}},
		{"oauth", []string{"client_id", "client_secret", "mode", "token_url"}},
	}
	var secrets []string
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			var got map[string]any
			cli.json(&got, "tenant", "inbound-credentials", "--customer", "1234", "--mode", c.mode, "--base-url", "https://jc.example.test/")
			assert.Equal(t, c.keys, keysOf(got))
			assert.Equal(t, c.mode, got["mode"])
			for _, k := range c.keys {
				v, _ := got[k].(string)
				assert.NotEmpty(t, v, k)
				if k == "password" || k == "key" || k == "client_secret" {
					assert.Len(t, v, 43, "256 random bits")
					secrets = append(secrets, v)
				}
				if k == "username" || k == "user" || k == "client_id" {
					assert.Regexp(t, `^jc-1234-\w{6}$`, v)
				}
			}
			if c.mode == "oauth" {
				assert.Equal(t, "https://jc.example.test/oauth/token", got["token_url"])
			}
		})
	}
	shown := cli.ok("tenant", "show", "--customer", "1234") + cli.ok("tenant", "show", "--customer", "1234", "--json") +
		cli.ok("tenant", "list", "--json")
	for _, s := range secrets {
		assert.NotContains(t, shown, s, "secrets are printed once, when issued")
	}
}

func TestInboundCredentialsHumanOutput(t *testing.T) {
	cli := newCLIEnv(t)
	addBasicTenant(cli, "1234")
	out := cli.ok("tenant", "inbound-credentials", "--customer", "1234", "--mode", "oauth", "--base-url", "https://jc.example.test")
	assert.Contains(t, out, "New OAuth client credentials for iCIMS customer 1234.")
	assert.Contains(t, out, "shown only this once")
	assert.Regexp(t, `client id\s+jc-1234-\w{6}\n`, out)
	assert.Regexp(t, `client secret\s+[\w-]{43}\n`, out)
	assert.Regexp(t, `token URL\s+https://jc.example.test/oauth/token\n`, out)
	assert.Contains(t, out, "had no OAuth client credentials before")

	out = cli.ok("tenant", "inbound-credentials", "--customer", "1234", "--mode", "oauth", "--base-url", "https://jc.example.test", "--grace", "2h")
	assert.Regexp(t, `The previous OAuth client credentials keep working until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.`, out)
	var shown tenantDetailJSON
	cli.json(&shown, "tenant", "show", "--customer", "1234")
	require.Len(t, shown.InboundCredentials, 2)
	old := shown.InboundCredentials[1]
	require.NotNil(t, old.ExpiresAt)
	assert.WithinDuration(t, time.Now().Add(2*time.Hour), *old.ExpiresAt, time.Minute, "--grace sets the grace")
	assert.True(t, old.Live)
	assert.Nil(t, shown.InboundCredentials[0].ExpiresAt)
}

func TestInboundCredentialsRefusals(t *testing.T) {
	cli := newCLIEnv(t)
	addBasicTenant(cli, "1234")
	cases := []struct {
		name    string
		args    []string
		environ map[string]string
		want    string
	}{
		{"no mode", []string{"--customer", "1234"}, nil, "--mode is required"},
		{"unknown mode", []string{"--customer", "1234", "--mode", "kerberos"}, nil, `--mode "kerberos": want basic, hmac or oauth`},
		{"oauth without a base url", []string{"--customer", "1234", "--mode", "oauth"}, nil, "give --base-url https://… or set JOBCANNON_BASE_URL"},
		{"a relative base url", []string{"--customer", "1234", "--mode", "oauth", "--base-url", "jc.example"}, nil, "absolute http(s) URL"},
		{"no grace", []string{"--customer", "1234", "--mode", "basic", "--grace", "0s"}, nil, "--grace must be positive"},
		{"a bad grace in the environment", []string{"--customer", "1234", "--mode", "basic"}, map[string]string{"JOBCANNON_INBOUND_GRACE": "a day"}, "JOBCANNON_INBOUND_GRACE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			saved := maps.Clone(cli.environ)
			defer func() { cli.environ = saved }()
			maps.Copy(cli.environ, c.environ)
			_, err := cli.run("", append([]string{"tenant", "inbound-credentials"}, c.args...)...)
			assert.ErrorContains(t, err, c.want)
		})
	}
	var shown tenantDetailJSON
	cli.json(&shown, "tenant", "show", "--customer", "1234")
	assert.Empty(t, shown.InboundCredentials, "a refused command issues nothing")

	// The base URL can come from the environment serve uses.
	cli.environ["JOBCANNON_BASE_URL"] = "https://env.example.test"
	var got oauthCredentialJSON
	cli.json(&got, "tenant", "inbound-credentials", "--customer", "1234", "--mode", "oauth")
	assert.Equal(t, "https://env.example.test/oauth/token", got.TokenURL)
}

// TestCLICredentialsAuthenticateEvents runs the service and the operator
// commands on one database, as in production: credentials the CLI issues
// must authenticate an event through icims.InboundAuth in every mode, the
// OAuth ones after a token from the running service's /oauth/token.
func TestCLICredentialsAuthenticateEvents(t *testing.T) {
	cli := newCLIEnv(t)
	serveEnv := maps.Clone(cli.environ)
	delete(serveEnv, "JOBCANNON_LOG_LEVEL") // startService waits for an info line
	base, _ := startService(t, nil, serveEnv)

	addBasicTenant(cli, "1234")
	addBasicTenant(cli, "5678")
	var basic basicCredentialJSON
	cli.json(&basic, "tenant", "inbound-credentials", "--customer", "1234", "--mode", "basic")
	var hmac hmacCredentialJSON
	cli.json(&hmac, "tenant", "inbound-credentials", "--customer", "1234", "--mode", "hmac")
	var client oauthCredentialJSON
	cli.json(&client, "tenant", "inbound-credentials", "--customer", "1234", "--mode", "oauth", "--base-url", base)
	require.Equal(t, base+"/oauth/token", client.TokenURL)
	var other basicCredentialJSON
	cli.json(&other, "tenant", "inbound-credentials", "--customer", "5678", "--mode", "basic")

	res, err := http.PostForm(client.TokenURL, url.Values{"grant_type": {"client_credentials"},
		"client_id": {client.ClientID}, "client_secret": {client.ClientSecret}})
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	var token struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&token))
	assert.Equal(t, "Bearer", token.TokenType)
	assert.Equal(t, 86400, token.ExpiresIn)

	o := cli.operator()
	auth := icims.InboundAuth{Password: o.inbound.Password, HMACKey: o.inbound.HMACKey, Token: o.inbound.Token}
	tenant, err := o.tenants.TenantByCustomer(context.Background(), "1234")
	require.NoError(t, err)
	body := []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"1234","systemId":"7"}`)
	event := func(sign func(r *http.Request)) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "https://jc.example.test/icims/events", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		sign(r)
		return r
	}
	now := time.Now()
	cases := []struct {
		name   string
		sign   func(r *http.Request)
		user   string
		scheme icims.InboundScheme
	}{
		{"basic", func(r *http.Request) { r.SetBasicAuth(basic.Username, basic.Password) }, basic.Username, icims.InboundBasic},
		{"hmac", func(r *http.Request) {
			require.NoError(t, icims.SignHMAC(r, body, hmac.User, []byte(hmac.Key), now))
		}, hmac.User, icims.InboundHMAC},
		{"oauth bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token.AccessToken) }, client.ClientID, icims.InboundBearer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := auth.Authenticate(event(c.sign), body, now)
			require.NoError(t, err)
			assert.Equal(t, c.scheme, got.Scheme)
			assert.Equal(t, c.user, got.User)
			owner, found, err := o.inbound.TenantOfIdentifier(context.Background(), got.User)
			require.NoError(t, err)
			assert.True(t, found)
			assert.Equal(t, tenant.ID, owner, "the credential belongs to the event's customer")
		})
	}

	refused := []struct {
		name string
		sign func(r *http.Request)
	}{
		{"wrong password", func(r *http.Request) { r.SetBasicAuth(basic.Username, hmac.Key) }},
		{"an hmac user as a basic user", func(r *http.Request) { r.SetBasicAuth(hmac.User, hmac.Key) }},
		{"hmac signed with another key", func(r *http.Request) {
			require.NoError(t, icims.SignHMAC(r, body, hmac.User, []byte(basic.Password), now))
		}},
		{"the client secret as a bearer token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+client.ClientSecret) }},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			_, err := auth.Authenticate(event(c.sign), body, now)
			var ae *icims.AuthError
			assert.True(t, errors.As(err, &ae), "refused as an AuthError, got %v", err)
		})
	}

	// Another customer's credential authenticates, but as that customer:
	// the event handler compares the owner with the event's customerId.
	got, err := auth.Authenticate(event(func(r *http.Request) { r.SetBasicAuth(other.Username, other.Password) }), body, now)
	require.NoError(t, err)
	owner, _, err := o.inbound.TenantOfIdentifier(context.Background(), got.User)
	require.NoError(t, err)
	assert.NotEqual(t, tenant.ID, owner)

	// Rotating through the CLI keeps the old password working for the grace.
	var rotated basicCredentialJSON
	cli.json(&rotated, "tenant", "inbound-credentials", "--customer", "1234", "--mode", "basic")
	for _, cred := range []basicCredentialJSON{basic, rotated} {
		_, err := auth.Authenticate(event(func(r *http.Request) { r.SetBasicAuth(cred.Username, cred.Password) }), body, now)
		assert.NoError(t, err, strings.TrimSpace(cred.Username))
	}
}
