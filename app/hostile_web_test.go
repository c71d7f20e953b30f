package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// loginFrom posts one sign-in attempt with the given X-Forwarded-For (none
// when empty) and returns the status.
func loginFrom(t *testing.T, app *testApp, email, forwardedFor string) int {
	t.Helper()
	b := newBrowser(t)
	form := b.get(app.URL + "/admin/login")
	fields := url.Values{"_csrf": {csrfOf(t, form)}, "email": {email}, "password": {"guess"}}
	req, err := http.NewRequest(http.MethodPost, app.URL+"/admin/login", strings.NewReader(fields.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	return b.do(req).Status
}

// TestHostileLoginLimitIgnoresForgedForwardedFor sprays passwords over
// many accounts from one machine, each attempt claiming another client
// address: without a trusted proxy the header is not believed, so the
// per-IP limit holds.
func TestHostileLoginLimitIgnoresForgedForwardedFor(t *testing.T) {
	app := newTestApp(t)
	var got []int
	for i := range 8 {
		got = append(got, loginFrom(t, app, fmt.Sprintf("user%d@acme.example", i), fmt.Sprintf("198.51.100.%d", i+1)))
	}
	assert.Equal(t, []int{401, 401, 401, 401, 401, 429, 429, 429}, got, "the connection's address is the client's")
}

// TestHostileLoginLimitBehindATrustedProxy: behind a configured proxy the
// header names the client, read from the right, so a client cannot escape
// the limit by putting addresses of its own in front.
func TestHostileLoginLimitBehindATrustedProxy(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.TrustedProxies = "127.0.0.0/8, ::1" })
	var got []int
	for i := range 6 {
		got = append(got, loginFrom(t, app, fmt.Sprintf("user%d@acme.example", i), fmt.Sprintf("192.0.2.%d, 203.0.113.7", i+1)))
	}
	assert.Equal(t, []int{401, 401, 401, 401, 401, 429}, got, "203.0.113.7 is limited, whatever it prepends")
	assert.Equal(t, http.StatusUnauthorized, loginFrom(t, app, "other@acme.example", "203.0.113.8"), "another client behind the proxy is not")
}

// TestHostileCSRFTokenIsBoundToTheSession plants a CSRF cookie (as a
// sibling subdomain could) and posts the same value as the form's token:
// the token must match the one kept in the admin's server-side session.
func TestHostileCSRFTokenIsBoundToTheSession(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	u, err := url.Parse(app.URL)
	require.NoError(t, err)
	const planted = "planted-token-planted-token-0123"
	for _, name := range []string{"jc_csrf", "__Host-jc_csrf", "_csrf"} {
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: planted, Path: "/"}})
	}
	p := b.post(app.URL+"/admin/company", url.Values{"_csrf": {planted}, "company": {"Hijacked"}})
	assert.Equal(t, http.StatusForbidden, p.Status, "%.300s", p.Body)
	tenant, err := app.tenants.TenantByCustomer(context.Background(), icimstest.CustomerUS)
	require.NoError(t, err)
	assert.NotEqual(t, "Hijacked", tenant.Name)

	// Another session's token (the attacker's own) is refused too.
	theirs := csrfOf(t, newBrowser(t).get(app.URL+"/admin/login"))
	p = b.post(app.URL+"/admin/company", url.Values{"_csrf": {theirs}, "company": {"Hijacked"}})
	assert.Equal(t, http.StatusForbidden, p.Status, "%.300s", p.Body)

	// The session's own token works, in the form and in htmx's header.
	p = b.post(app.URL+"/admin/company", url.Values{"_csrf": {csrfOf(t, b.get(app.URL+"/admin/connection"))}, "company": {"Acme Two"}})
	assert.Equal(t, http.StatusOK, p.Status, "%.300s", p.Body)
	assert.Contains(t, p.Body, "Company name saved.")
}

// TestHostileCSRFTokenRotatesOnLogin: a token seen before signing in (a
// fixated one) is worthless afterwards.
func TestHostileCSRFTokenRotatesOnLogin(t *testing.T) {
	app := newTestApp(t)
	installAndSignIn(t, app, "ops@acme.example")
	b := newBrowser(t)
	form := b.get(app.URL + "/admin/login")
	before := csrfOf(t, form)
	p := b.submit(form, "/admin/login", url.Values{"email": {"ops@acme.example"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)
	after := csrfOf(t, b.get(app.URL+"/admin/connection"))
	assert.NotEqual(t, before, after, "signing in issues a new token")
	p = b.post(app.URL+"/admin/company", url.Values{"_csrf": {before}, "company": {"Hijacked"}})
	assert.Equal(t, http.StatusForbidden, p.Status, "%.300s", p.Body)
}

// TestHostileCookiesUseTheHostPrefixOverHTTPS: with an https base URL every
// cookie is __Host- (Secure, Path=/, no Domain), so no sibling subdomain
// can set or shadow it.
func TestHostileCookiesUseTheHostPrefixOverHTTPS(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.BaseURL = "https://jobs.example.com" })
	plain := strings.Replace(app.URL, "https://", "http://", 1)
	res, err := http.Get(plain + "/admin/login")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	cookies := res.Cookies()
	require.NotEmpty(t, cookies, "the sign-in page starts a session for its CSRF token")

	// The install binds the OAuth round trip to the browser with a cookie.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = noRedirect.Get(plain + "/oauth/authorize?customer_id=" + icimstest.CustomerUS + "&region=us")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode, "the install goes to iCIMS")
	require.NotEmpty(t, res.Cookies(), "the install sets its browser cookie")
	cookies = append(cookies, res.Cookies()...)

	for _, ck := range cookies {
		assert.True(t, strings.HasPrefix(ck.Name, "__Host-"), "cookie %s", ck.Name)
		assert.True(t, ck.Secure, "cookie %s", ck.Name)
		assert.Equal(t, "/", ck.Path, "cookie %s", ck.Name)
		assert.Empty(t, ck.Domain, "cookie %s", ck.Name)
	}
}

// TestHostileSessionTokensAreStoredHashed: a copy of the database (a
// backup, a stolen file) holds no session token a browser could present.
func TestHostileSessionTokensAreStoredHashed(t *testing.T) {
	app := newTestApp(t)
	b, _ := installAndSignIn(t, app, "ops@acme.example")
	u, err := url.Parse(app.URL)
	require.NoError(t, err)
	var cookie string
	for _, ck := range b.client.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "jc_session") {
			cookie = ck.Value
		}
	}
	require.NotEmpty(t, cookie, "signed in")
	rows, err := app.DB.R.Query(`SELECT token FROM sessions`)
	require.NoError(t, err)
	var tokens []string
	for rows.Next() {
		var tok string
		require.NoError(t, rows.Scan(&tok))
		tokens = append(tokens, tok)
	}
	require.NoError(t, rows.Err())
	rows.Close()
	require.NotEmpty(t, tokens)
	assert.NotContains(t, tokens, cookie, "the raw session token is not stored")
	sum := sha256.Sum256([]byte(cookie))
	assert.Contains(t, tokens, hex.EncodeToString(sum[:]), "its SHA-256 is")
	assert.Equal(t, "/admin", b.get(app.URL+"/admin").URL.Path, "the session still works")
	p := b.submit(b.get(app.URL+"/admin"), "/admin/logout", nil)
	assert.Equal(t, "/admin/login", p.URL.Path)
	var n int
	require.NoError(t, app.DB.R.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token = ?`, hex.EncodeToString(sum[:])).Scan(&n))
	assert.Zero(t, n, "signing out deletes the hashed row")
}

// TestHeadersAdminAnswersAreNeverCached sweeps every admin route, signed
// in and not: each answer, page or error, says no-store, since admin pages
// show candidates' names, answers and scores.
func TestHeadersAdminAnswersAreNeverCached(t *testing.T) {
	app := newTestApp(t)
	b, _ := signInAdmin(t, app, "ops@acme.example")
	token := csrfOf(t, b.get(app.URL+"/admin/connection"))
	var routes []string
	for _, r := range app.server.Echo.Routes() {
		if strings.HasPrefix(r.Path, "/admin") && (r.Method == http.MethodGet || r.Method == http.MethodPost) {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	slices.Sort(routes)
	routes = slices.Compact(routes)
	require.Greater(t, len(routes), 40)
	noRedirect := func(c *http.Client) *http.Client {
		cc := *c
		cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return &cc
	}
	signedOut := newBrowser(t)
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if path == "/admin/logout" || path == "/admin/uninstall" {
			continue // they would end the sweep's session
		}
		target := app.URL + strings.NewReplacer(":id", "999999", ":token", "not-a-token", ":n", "1").Replace(path)
		for who, c := range map[string]*http.Client{"signed in": b.client, "signed out": signedOut.client} {
			var body io.Reader
			if method == http.MethodPost {
				body = strings.NewReader(url.Values{"_csrf": {token}}.Encode())
			}
			req, err := http.NewRequest(method, target, body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := noRedirect(c).Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			assert.Contains(t, strings.Join(res.Header.Values("Cache-Control"), ", "), "no-store", "%s %s (%s): answered %d", method, path, who, res.StatusCode)
		}
	}
}

// TestHeadersCandidateAnswersAreNeverCached: the candidate's pages (their
// answers), the recruiter's report, the confirm page and the dev mailbox
// say no-store too, even when they refuse.
func TestHeadersCandidateAnswersAreNeverCached(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{"/a/not-a-real-token-at-all-000000", "/a/not-a-real-token-at-all-000000/step/1",
		"/a/not-a-real-token-at-all-000000/review", "/r/not-a-real-report-token", "/icims/confirm/not-a-real-token", "/sandbox/mailbox"} {
		res, err := http.Get(app.URL + path)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		assert.Contains(t, strings.Join(res.Header.Values("Cache-Control"), ", "), "no-store", "%s answered %d", path, res.StatusCode)
	}
}

// TestSandboxBannerOnEveryPage: while the sandbox is on, every page says
// so, candidates' pages included; without it, none does.
func TestSandboxBannerOnEveryPage(t *testing.T) {
	on := newTestApp(t)
	for _, path := range []string{"/", "/admin/login", "/sandbox/mailbox", "/a/not-a-real-token-at-all-000000"} {
		p := newBrowser(t).get(on.URL + path)
		assert.Contains(t, p.Body, `class="sandbox-banner"`, path)
		assert.Contains(t, p.Body, "dev mailbox", path)
	}
	off := newTestApp(t, func(c *Config) { c.Sandbox = false })
	for _, path := range []string{"/", "/admin/login"} {
		assert.NotContains(t, newBrowser(t).get(off.URL+path).Body, "sandbox-banner", path)
	}
}
