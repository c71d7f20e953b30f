package icimstest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

const redirectURI = "https://vendor.example/icims/oauth-callback"

func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// goodVerifier is a 43-character RFC 7636 verifier.
const goodVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func noRedirectClient() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// consent opens the authorize page for customer cid and answers it,
// ticking every requested scope except untick; it returns the redirect.
func consent(t *testing.T, srv *icimstest.Server, cid, decision string, untick ...string) *url.URL {
	t.Helper()
	q := url.Values{
		"response_type": {"code"}, "client_id": {icimstest.ClientID}, "redirect_uri": {redirectURI},
		"state": {"st-123"}, "code_challenge": {challengeOf(goodVerifier)}, "code_challenge_method": {"S256"},
		"scope": {icimstest.Scopes}, "customer_id": {cid},
	}
	resp, err := noRedirectClient().Get(srv.AuthorizeURL() + "?" + q.Encode())
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", page)
	for _, sc := range strings.Fields(icimstest.Scopes) {
		require.Contains(t, string(page), `name="scope" value="`+sc+`" checked`, "every scope is a ticked checkbox")
	}
	m := regexp.MustCompile(`name="request" value="([^"]+)"`).FindSubmatch(page)
	require.NotNil(t, m, "consent page carries the request id")
	form := url.Values{"request": {string(m[1])}, "decision": {decision}}
	for _, sc := range strings.Fields(icimstest.Scopes) {
		if !slices.Contains(untick, sc) {
			form.Add("scope", sc)
		}
	}
	resp, err = noRedirectClient().PostForm(srv.AuthorizeURL(), form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return loc
}

// tokenCall posts a form to the token endpoint and decodes the JSON.
func tokenCall(t *testing.T, srv *icimstest.Server, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(srv.TokenURL(), form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return resp.StatusCode, m
}

func codeForm(code, verifier string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {icimstest.ClientID}, "client_secret": {icimstest.ClientSecret}, "code_verifier": {verifier},
	}
}

// install runs the whole code flow and returns the token response.
func install(t *testing.T, srv *icimstest.Server, cid string, untick ...string) map[string]any {
	t.Helper()
	loc := consent(t, srv, cid, "approve", untick...)
	status, tok := tokenCall(t, srv, codeForm(loc.Query().Get("code"), goodVerifier))
	require.Equal(t, http.StatusOK, status, "%v", tok)
	return tok
}

// ccToken gets a client-credentials token for customer cid.
func ccToken(t *testing.T, srv *icimstest.Server, cid string) string {
	t.Helper()
	status, tok := tokenCall(t, srv, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {icimstest.CCClientID(cid)},
		"client_secret": {icimstest.CCClientSecret(cid)}, "audience": {icimstest.Audience},
	})
	require.Equal(t, http.StatusOK, status, "%v", tok)
	return tok["access_token"].(string)
}
