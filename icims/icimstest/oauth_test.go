package icimstest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestCodeFlowWithPKCE(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})

	t.Run("good verifier", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		assert.Equal(t, "vendor.example", loc.Host)
		assert.Equal(t, "st-123", loc.Query().Get("state"))
		status, tok := tokenCall(t, srv, codeForm(loc.Query().Get("code"), goodVerifier))
		require.Equal(t, http.StatusOK, status, "%v", tok)
		assert.Equal(t, "Bearer", tok["token_type"])
		assert.Equal(t, float64(63072000), tok["expires_in"])
		assert.Equal(t, icimstest.Scopes, tok["scope"])
		assert.Equal(t, "1234", tok["customer_id"])
		assert.NotEmpty(t, tok["refresh_token"])
		r := do(t, srv, bearer(tok["access_token"].(string)), "GET", api(us, "people/1001"), nil)
		assert.Equal(t, http.StatusOK, r.status)
	})
	t.Run("bad verifier", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		status, tok := tokenCall(t, srv, codeForm(loc.Query().Get("code"), strings.Repeat("x", 43)))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", tok["error"])
	})
	t.Run("reused code revokes what it issued", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		code := loc.Query().Get("code")
		status, tok := tokenCall(t, srv, codeForm(code, goodVerifier))
		require.Equal(t, http.StatusOK, status)
		status, again := tokenCall(t, srv, codeForm(code, goodVerifier))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", again["error"])
		r := do(t, srv, bearer(tok["access_token"].(string)), "GET", api(us, "people/1001"), nil)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	})
	t.Run("expired code", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		clock.Advance(10*time.Minute + time.Second)
		status, tok := tokenCall(t, srv, codeForm(loc.Query().Get("code"), goodVerifier))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", tok["error"])
	})
	t.Run("other redirect_uri", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		form := codeForm(loc.Query().Get("code"), goodVerifier)
		form.Set("redirect_uri", "https://evil.example/cb")
		status, tok := tokenCall(t, srv, form)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", tok["error"])
	})
	t.Run("wrong client secret", func(t *testing.T) {
		loc := consent(t, srv, us, "approve")
		form := codeForm(loc.Query().Get("code"), goodVerifier)
		form.Set("client_secret", "nope")
		status, tok := tokenCall(t, srv, form)
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.Equal(t, "invalid_client", tok["error"])
	})
	t.Run("denied consent", func(t *testing.T) {
		loc := consent(t, srv, us, "deny")
		assert.Equal(t, "access_denied", loc.Query().Get("error"))
		assert.Equal(t, "st-123", loc.Query().Get("state"))
		assert.Empty(t, loc.Query().Get("code"))
	})
	t.Run("unticked scope is not granted", func(t *testing.T) {
		tok := install(t, srv, us, icimstest.ScopeScorecardWrite)
		assert.Equal(t, "candidate_profile:read candidate_profile:write assessment_delivery:write", tok["scope"])
		b := bearer(tok["access_token"].(string))
		r := do(t, srv, b, "PATCH", api(us, "people/1001"), map[string]any{"rcf3001": 50})
		assert.Equal(t, http.StatusForbidden, r.status)
		assert.Equal(t, "3:Insufficient scope: scorecard:write", r.header.Get("X-Error"))
		r = do(t, srv, b, "PATCH", api(us, "people/1001"), map[string]any{"firstname": "Avery"})
		assert.Equal(t, http.StatusNoContent, r.status)
	})
	t.Run("the access token expires after two years", func(t *testing.T) {
		tok := install(t, srv, us)
		clock.Advance(63072000 * time.Second)
		r := do(t, srv, bearer(tok["access_token"].(string)), "GET", api(us, "people/1001"), nil)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	})
}

func TestAuthorizeRefusals(t *testing.T) {
	srv := icimstest.Start(t)
	base := url.Values{
		"response_type": {"code"}, "client_id": {icimstest.ClientID}, "redirect_uri": {redirectURI},
		"state": {"s"}, "code_challenge": {challengeOf(goodVerifier)}, "code_challenge_method": {"S256"},
		"scope": {icimstest.Scopes}, "customer_id": {us},
	}
	cases := []struct {
		name      string
		change    func(url.Values)
		status    int
		wantError string // error= on the redirect, for redirects
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "other") }, http.StatusBadRequest, ""},
		{"relative redirect", func(v url.Values) { v.Set("redirect_uri", "/cb") }, http.StatusBadRequest, ""},
		{"no PKCE", func(v url.Values) { v.Del("code_challenge") }, http.StatusFound, "invalid_request"},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, http.StatusFound, "invalid_request"},
		{"token response type", func(v url.Values) { v.Set("response_type", "token") }, http.StatusFound, "unsupported_response_type"},
		{"unknown scope", func(v url.Values) { v.Set("scope", "admin:all") }, http.StatusFound, "invalid_scope"},
		{"unknown customer", func(v url.Values) { v.Set("customer_id", "999") }, http.StatusFound, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = append([]string(nil), v...)
			}
			tc.change(q)
			resp, err := noRedirectClient().Get(srv.AuthorizeURL() + "?" + q.Encode())
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.wantError != "" {
				loc, err := url.Parse(resp.Header.Get("Location"))
				require.NoError(t, err)
				assert.Equal(t, tc.wantError, loc.Query().Get("error"))
				assert.Equal(t, "s", loc.Query().Get("state"))
			}
		})
	}
	t.Run("a consent request is answered once", func(t *testing.T) {
		resp, err := noRedirectClient().Get(srv.AuthorizeURL() + "?" + base.Encode())
		require.NoError(t, err)
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := strings.SplitN(strings.SplitN(string(page), `name="request" value="`, 2)[1], `"`, 2)[0]
		form := url.Values{"request": {id}, "decision": {"approve"}, "scope": {icimstest.ScopeProfileRead}}
		resp, err = noRedirectClient().PostForm(srv.AuthorizeURL(), form)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		resp, err = noRedirectClient().PostForm(srv.AuthorizeURL(), form)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}

func TestRefreshAndRevoke(t *testing.T) {
	srv := icimstest.Start(t)
	tok := install(t, srv, us)
	refresh := tok["refresh_token"].(string)

	status, fresh := tokenCall(t, srv, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {icimstest.ClientID}, "client_secret": {icimstest.ClientSecret},
	})
	require.Equal(t, http.StatusOK, status, "%v", fresh)
	assert.NotEqual(t, tok["access_token"], fresh["access_token"])
	assert.Equal(t, icimstest.Scopes, fresh["scope"])
	assert.Equal(t, float64(icimstest.CodeTokenLifetime), fresh["expires_in"])
	assert.Equal(t, http.StatusOK, do(t, srv, bearer(fresh["access_token"].(string)), "GET", api(us, "people/1001"), nil).status)

	revoke := func(token string) {
		resp, err := http.PostForm(srv.RevokeURL(), url.Values{"token": {token}})
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	revoke(tok["access_token"].(string))
	assert.Equal(t, http.StatusUnauthorized, do(t, srv, bearer(tok["access_token"].(string)), "GET", api(us, "people/1001"), nil).status)
	assert.Equal(t, http.StatusOK, do(t, srv, bearer(fresh["access_token"].(string)), "GET", api(us, "people/1001"), nil).status,
		"revoking one access token leaves the others")

	revoke(refresh)
	assert.Equal(t, http.StatusUnauthorized, do(t, srv, bearer(fresh["access_token"].(string)), "GET", api(us, "people/1001"), nil).status,
		"revoking the refresh token revokes its grant")
	status, again := tokenCall(t, srv, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {icimstest.ClientID}, "client_secret": {icimstest.ClientSecret},
	})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", again["error"])

	revoke("never-issued")
}

func TestClientCredentials(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	good := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {icimstest.CCClientID(us)},
		"client_secret": {icimstest.CCClientSecret(us)}, "audience": {icimstest.Audience},
	}
	status, tok := tokenCall(t, srv, good)
	require.Equal(t, http.StatusOK, status, "%v", tok)
	assert.Equal(t, float64(86400), tok["expires_in"])
	assert.Equal(t, "Bearer", tok["token_type"])
	b := bearer(tok["access_token"].(string))
	assert.Equal(t, http.StatusOK, do(t, srv, b, "GET", api(us, "people/1001"), nil).status)

	cases := []struct {
		name   string
		key    string
		value  string
		status int
		err    string
	}{
		{"wrong audience", "audience", "https://api.icims.com/", http.StatusBadRequest, "invalid_request"},
		{"wrong secret", "client_secret", "nope", http.StatusUnauthorized, "invalid_client"},
		{"unknown client", "client_id", "cc-9999", http.StatusUnauthorized, "invalid_client"},
		{"unknown grant", "grant_type", "password", http.StatusBadRequest, "unsupported_grant_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tc.key, tc.value)
			status, m := tokenCall(t, srv, form)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.err, m["error"])
		})
	}

	clock.Advance(86400 * time.Second)
	assert.Equal(t, http.StatusUnauthorized, do(t, srv, b, "GET", api(us, "people/1001"), nil).status, "expired after 24 h")
}

func TestClientCredentialsThrottle(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {icimstest.CCClientID(us)},
		"client_secret": {icimstest.CCClientSecret(us)}, "audience": {icimstest.Audience},
	}
	for i := range 500 {
		status, _ := tokenCall(t, srv, form)
		require.Equal(t, http.StatusOK, status, "token %d", i)
	}
	status, m := tokenCall(t, srv, form)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "too_many_requests", m["error"])
	clock.Advance(10 * time.Minute)
	status, _ = tokenCall(t, srv, form)
	assert.Equal(t, http.StatusOK, status)
}

func TestTokenClientAuthInHeader(t *testing.T) {
	srv := icimstest.Start(t)
	form := url.Values{"grant_type": {"client_credentials"}, "audience": {icimstest.Audience}}
	req, err := http.NewRequest("POST", srv.TokenURL(), strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(icimstest.CCClientID(eu)), url.QueryEscape(icimstest.CCClientSecret(eu)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), `"customer_id":"5678"`)
}
