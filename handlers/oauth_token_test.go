package handlers

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

type tokenFixture struct {
	e      *echo.Echo
	store  *storage.InboundStore
	client assessments.IssuedCredential
	basic  assessments.IssuedCredential
	// env is the database and clock under the fixture.
	env *storetest.Env
}

func newTokenFixture(t *testing.T) tokenFixture {
	t.Helper()
	ctx := context.Background()
	env := storetest.New(t, storetest.At(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	db, kr, clock := env.DB, env.Keyring, env.Clock

	tenant, err := storage.NewTenantStore(db, kr, clock).Connect(ctx, assessments.Connection{
		CustomerID: "1234", Region: assessments.RegionUS, AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: "u", Password: "p"},
	})
	require.NoError(t, err)
	store := storage.NewInboundStore(db, kr, clock, rand.Reader, 0)
	client, err := store.Issue(ctx, tenant.ID, assessments.InboundOAuth)
	require.NoError(t, err)
	basic, err := store.Issue(ctx, tenant.ID, assessments.InboundBasic)
	require.NoError(t, err)

	h := &Install{
		Shared:        &Shared{Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		InboundTokens: assessments.NewInboundTokenIssuer(store, storage.NewRateLimits(db, kr), clock),
	}
	e := echo.New()
	e.POST("/oauth/token", h.OAuthToken)
	return tokenFixture{e: e, store: store, client: client, basic: basic, env: env}
}

type tokenRequest struct {
	query  string
	form   url.Values
	raw    string // a body used as is, when set
	ctype  string
	user   string // HTTP Basic, when set
	secret string
}

func (f tokenFixture) post(t *testing.T, tr tokenRequest) *httptest.ResponseRecorder {
	t.Helper()
	body := tr.form.Encode()
	if tr.raw != "" {
		body = tr.raw
	}
	target := "/oauth/token"
	if tr.query != "" {
		target += "?" + tr.query
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	ctype := tr.ctype
	if ctype == "" {
		ctype = "application/x-www-form-urlencoded"
	}
	req.Header.Set("Content-Type", ctype)
	if tr.user != "" {
		req.SetBasicAuth(url.QueryEscape(tr.user), url.QueryEscape(tr.secret))
	}
	rec := httptest.NewRecorder()
	f.e.ServeHTTP(rec, req)
	return rec
}

func TestOAuthTokenIssuesABearerToken(t *testing.T) {
	f := newTokenFixture(t)
	cases := map[string]tokenRequest{
		"client secret in the body": {form: url.Values{"grant_type": {"client_credentials"},
			"client_id": {f.client.Identifier}, "client_secret": {f.client.Secret}}},
		"HTTP Basic": {form: url.Values{"grant_type": {"client_credentials"}}, user: f.client.Identifier, secret: f.client.Secret},
		"HTTP Basic with client_id repeated in the body, and an audience": {form: url.Values{"grant_type": {"client_credentials"},
			"client_id": {f.client.Identifier}, "audience": {"https://api.icims.com/v1/"}}, user: f.client.Identifier, secret: f.client.Secret},
	}
	for name, tr := range cases {
		t.Run(name, func(t *testing.T) {
			rec := f.post(t, tr)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Contains(t, rec.Header().Get("Content-Type"), "application/json")
			var body map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, "Bearer", body["token_type"])
			assert.Equal(t, float64(86400), body["expires_in"])
			assert.Len(t, body, 3, "exactly access_token, token_type and expires_in")
			token, _ := body["access_token"].(string)
			require.NotEmpty(t, token)

			user, found, err := f.store.Token(context.Background(), token)
			require.NoError(t, err)
			assert.True(t, found, "the token is stored and resolves")
			assert.Equal(t, f.client.Identifier, user)
		})
	}
}

func TestOAuthTokenErrors(t *testing.T) {
	f := newTokenFixture(t)
	grant := func(extra ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Add(extra[i], extra[i+1])
		}
		return v
	}
	id, secret := f.client.Identifier, f.client.Secret
	cases := []struct {
		name   string
		req    tokenRequest
		status int
		code   string
	}{
		{"wrong secret", tokenRequest{form: grant("client_id", id, "client_secret", f.basic.Secret)}, 401, "invalid_client"},
		{"unknown client", tokenRequest{form: grant("client_id", "jc-1234-zzzzzz", "client_secret", secret)}, 401, "invalid_client"},
		{"a basic credential is no client", tokenRequest{form: grant("client_id", f.basic.Identifier, "client_secret", f.basic.Secret)}, 401, "invalid_client"},
		{"wrong secret by HTTP Basic", tokenRequest{form: grant(), user: id, secret: "nope"}, 401, "invalid_client"},
		{"no client authentication", tokenRequest{form: grant()}, 401, "invalid_client"},
		{"client id without secret", tokenRequest{form: grant("client_id", id)}, 401, "invalid_client"},
		{"unsupported grant", tokenRequest{form: url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}}, 400, "unsupported_grant_type"},
		{"authorization code grant", tokenRequest{form: url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}}, 400, "unsupported_grant_type"},
		{"missing grant", tokenRequest{form: url.Values{"client_id": {id}, "client_secret": {secret}}}, 400, "invalid_request"},
		{"JSON body", tokenRequest{raw: `{"grant_type":"client_credentials"}`, ctype: "application/json"}, 400, "invalid_request"},
		{"secret in the URL", tokenRequest{query: "client_secret=" + secret, form: grant("client_id", id)}, 400, "invalid_request"},
		{"repeated parameter", tokenRequest{form: grant("client_id", id, "client_secret", secret, "client_secret", secret)}, 400, "invalid_request"},
		{"two authentication methods", tokenRequest{form: grant("client_secret", secret), user: id, secret: secret}, 400, "invalid_request"},
		{"two different client ids", tokenRequest{form: grant("client_id", "jc-9-other"), user: id, secret: secret}, 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := f.post(t, c.req)
			assert.Equal(t, c.status, rec.Code, rec.Body.String())
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			var body struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
				Token       string `json:"access_token"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
			assert.Equal(t, c.code, body.Error)
			assert.NotEmpty(t, body.Description)
			assert.Empty(t, body.Token)
			if c.status == http.StatusUnauthorized {
				assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "Basic")
			}
			assert.NotContains(t, rec.Body.String(), secret, "errors never echo a secret")
		})
	}
}

func TestOAuthTokenLimitsFailedAttempts(t *testing.T) {
	f := newTokenFixture(t)
	bad := tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, user: f.client.Identifier, secret: "wrong"}
	var rec *httptest.ResponseRecorder
	for range 20 {
		if rec = f.post(t, bad); rec.Code != http.StatusUnauthorized {
			break
		}
	}
	require.Equal(t, http.StatusTooManyRequests, rec.Code, "repeated failures are limited")
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Contains(t, rec.Body.String(), `"error":"invalid_client"`)

	good := tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, user: f.client.Identifier, secret: f.client.Secret}
	assert.Equal(t, http.StatusTooManyRequests, f.post(t, good).Code, "the limit holds for the client id, whatever the secret")
}
