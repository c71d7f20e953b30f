package icims_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// countingTransport counts the requests to one path: the simulator records
// API calls but not token requests, so the client side counts those.
type countingTransport struct {
	next http.RoundTripper
	path string

	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == c.path {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
	return c.next.RoundTrip(r)
}

func (c *countingTransport) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// tokenCounter returns an HTTP client for srv that counts token requests.
func tokenCounter(t *testing.T, srv *icimstest.Server) (*http.Client, *countingTransport) {
	t.Helper()
	u, err := url.Parse(srv.TokenURL())
	require.NoError(t, err)
	ct := &countingTransport{next: srv.Client().Transport, path: u.Path}
	return &http.Client{Transport: ct}, ct
}

func clientCredentials(t *testing.T, srv *icimstest.Server, cid string, hc *http.Client, clock icims.Clock) *icims.ClientCredentials {
	t.Helper()
	cc, err := icims.NewClientCredentials(icims.ClientCredentialsConfig{
		ClientID: icimstest.CCClientID(cid), ClientSecret: icimstest.CCClientSecret(cid),
		TokenURL: srv.TokenURL(), HTTPClient: hc, Clock: clock,
	})
	require.NoError(t, err)
	return cc
}

// marketplace is the install's OAuth app pointed at srv.
func marketplace(t *testing.T, srv *icimstest.Server) *icims.Marketplace {
	t.Helper()
	m, err := icims.NewMarketplace(icims.MarketplaceConfig{
		ClientID: icimstest.ClientID, ClientSecret: icimstest.ClientSecret,
		AuthorizeURL: srv.AuthorizeURL(), TokenURL: srv.TokenURL(),
		RedirectURL: "https://jobcannon.example.com/icims/oauth-callback",
		Scopes:      strings.Fields(icimstest.Scopes), HTTPClient: srv.Client(),
	})
	require.NoError(t, err)
	return m
}

// pkceVerifier is a fixed 43-character RFC 7636 verifier.
const pkceVerifier = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag"

var requestIDPattern = regexp.MustCompile(`name="request" value="([^"]+)"`)

// install runs the Marketplace install as a browser would, with plain HTTP:
// open the authorize URL the client builds, approve the consent form with
// every scope but untick, and exchange the code the redirect carries.
func install(t *testing.T, srv *icimstest.Server, m *icims.Marketplace, cid string, untick ...string) icims.Grant {
	t.Helper()
	browser := &http.Client{Transport: srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := browser.Get(m.AuthCodeURL("state-1", pkceVerifier, cid))
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "consent page: %s", page)
	match := requestIDPattern.FindSubmatch(page)
	require.NotNil(t, match, "the consent form carries its request id")

	form := url.Values{"request": {string(match[1])}, "decision": {"approve"}}
	for _, sc := range strings.Fields(icimstest.Scopes) {
		if !strings.Contains(" "+strings.Join(untick, " ")+" ", " "+sc+" ") {
			form.Add("scope", sc)
		}
	}
	resp, err = browser.PostForm(srv.AuthorizeURL(), form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "state-1", back.Query().Get("state"))
	require.NotEmpty(t, back.Query().Get("code"), "redirect: %s", back)

	g, err := m.Exchange(context.Background(), back.Query().Get("code"), pkceVerifier)
	require.NoError(t, err)
	return g
}

func tokenOf(g icims.Grant) *oauth2.Token {
	return &oauth2.Token{AccessToken: g.AccessToken, TokenType: "Bearer", RefreshToken: g.RefreshToken, Expiry: g.Expiry}
}

func TestSimEachAuthModeReadsAPerson(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	modes := []struct {
		name     string
		auth     func(t *testing.T) icims.Auth
		recorded string
	}{
		{"basic", func(*testing.T) icims.Auth { return basicAuth(us) }, "basic"},
		{"hmac", func(*testing.T) icims.Auth {
			return icims.HMAC{User: icimstest.HMACUser(us), Key: icimstest.HMACKey(us)}
		}, "hmac"},
		{"client credentials", func(t *testing.T) icims.Auth {
			return clientCredentials(t, srv, us, srv.Client(), nil)
		}, "bearer"},
		{"marketplace oauth", func(t *testing.T) icims.Auth {
			g := install(t, srv, marketplace(t, srv), us)
			return icims.NewOAuth(oauth2.StaticTokenSource(tokenOf(g)), tokenOf(g), nil)
		}, "bearer"},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			c := newClient(t, srv, us, mode.auth(t), nil)
			p, err := c.GetPerson(ctx, id(icimstest.USPerson4), nil)
			require.NoError(t, err)
			assert.Equal(t, "Devon", p.FirstName)
			// A write signs a body: HMAC covers it, the others carry it.
			_, err = c.PatchPerson(ctx, id(icimstest.USPerson4), map[string]any{icimstest.FieldAssessmentVerdict: mode.name})
			require.NoError(t, err)
			call := lastCall(t, srv, us)
			assert.Equal(t, mode.recorded, call.Auth)
			assert.Equal(t, http.StatusNoContent, call.Status)
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		c := newClient(t, srv, us, icims.Basic{User: icimstest.BasicUser(us), Password: "guess"}, nil)
		_, err := c.GetPerson(ctx, id(icimstest.USPerson4), nil)
		e := requireKind(t, err, icims.BadCredentials)
		assert.Equal(t, icims.CodeCredentials, e.Code)
		assert.Equal(t, "Invalid Username or Password credentials provided.", e.Message)
	})
	t.Run("wrong hmac key", func(t *testing.T) {
		c := newClient(t, srv, us, icims.HMAC{User: icimstest.HMACUser(us), Key: []byte("not-the-key")}, nil)
		_, err := c.GetPerson(ctx, id(icimstest.USPerson4), nil)
		requireKind(t, err, icims.BadCredentials)
	})
}

func TestSimClientCredentialsShareOneToken(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(time.Now().UTC())
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	hc, tokens := tokenCounter(t, srv)
	cc := clientCredentials(t, srv, us, hc, clock)
	// Two clients of the tenant, as two workers would hold, share the one
	// ClientCredentials.
	a := newClient(t, srv, us, cc, nil)
	b := newClient(t, srv, us, cc, nil)

	const calls = 12
	var wg sync.WaitGroup
	for i := range calls {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Go(func() {
			_, err := c.GetJob(ctx, id(icimstest.USJob1), nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, tokens.count(), "%d concurrent calls make one token request", calls)
	recorded := srv.Calls(us)
	require.Len(t, recorded, calls)
	for _, call := range recorded {
		assert.Equal(t, "bearer", call.Auth)
		assert.Equal(t, http.StatusOK, call.Status)
	}

	// A day later the token has expired at both ends: one new request.
	clock.Advance(icimstest.ClientCredentialsLifetime * time.Second)
	for range 3 {
		_, err := a.GetJob(ctx, id(icimstest.USJob1), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 2, tokens.count())

	t.Run("a wrong secret is bad credentials", func(t *testing.T) {
		bad, err := icims.NewClientCredentials(icims.ClientCredentialsConfig{
			ClientID: icimstest.CCClientID(us), ClientSecret: "wrong", TokenURL: srv.TokenURL(), HTTPClient: srv.Client(),
		})
		require.NoError(t, err)
		_, err = newClient(t, srv, us, bad, nil).GetJob(ctx, id(icimstest.USJob1), nil)
		e := requireKind(t, err, icims.BadCredentials)
		assert.Equal(t, http.StatusUnauthorized, e.HTTPStatus)
		assert.True(t, icims.NeedsReauthorization(err))
	})
}

// TestSimOAuthRefreshPersistsTheNewToken installs through the consent page,
// lets the access token expire, and checks that the refreshed token reaches
// NewOAuth's callback exactly once and is the one iCIMS then accepts.
func TestSimOAuthRefreshPersistsTheNewToken(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(time.Now().UTC())
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	m := marketplace(t, srv)

	g := install(t, srv, m, us)
	assert.Equal(t, us, g.CustomerID)
	assert.ElementsMatch(t, strings.Fields(icimstest.Scopes), g.Scopes)
	require.NotEmpty(t, g.RefreshToken)
	assert.WithinDuration(t, time.Now().Add(icimstest.CodeTokenLifetime*time.Second), g.Expiry, time.Hour)

	// Two years and a day later the simulator refuses the access token.
	clock.Advance(icimstest.CodeTokenLifetime*time.Second + 24*time.Hour)
	stale := newClient(t, srv, us, icims.NewOAuth(oauth2.StaticTokenSource(tokenOf(g)), tokenOf(g), nil), nil)
	_, err := stale.GetPerson(ctx, id(icimstest.USPerson1), nil)
	requireKind(t, err, icims.BadCredentials)
	assert.True(t, icims.NeedsReauthorization(err))

	// The oauth2 library judges expiry by the real clock, so the stored
	// token says what a store would hold by then: an expiry in the past.
	stored := tokenOf(g)
	stored.Expiry = time.Now().Add(-time.Minute)
	var persisted []*oauth2.Token
	auth := icims.NewOAuth(m.TokenSource(ctx, stored), stored, func(_ context.Context, tok *oauth2.Token) error {
		persisted = append(persisted, tok)
		return nil
	})
	c := newClient(t, srv, us, auth, nil)
	for range 3 {
		p, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
		require.NoError(t, err)
		assert.Equal(t, "Avery", p.FirstName)
	}
	require.Len(t, persisted, 1, "the refreshed token is persisted once, before its first use")
	fresh := persisted[0]
	assert.NotEqual(t, g.AccessToken, fresh.AccessToken)
	assert.Equal(t, g.RefreshToken, fresh.RefreshToken, "the simulator keeps the refresh token")
	assert.True(t, fresh.Expiry.After(time.Now().Add(365*24*time.Hour)), "a new two-year token")

	// What was persisted works on its own, as after a restart.
	restarted := newClient(t, srv, us, icims.NewOAuth(oauth2.StaticTokenSource(fresh), fresh, nil), nil)
	_, err = restarted.GetPerson(ctx, id(icimstest.USPerson1), nil)
	require.NoError(t, err)
	assert.Equal(t, "bearer", lastCall(t, srv, us).Auth)
}

func TestSimOAuthRefreshRefused(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	m := marketplace(t, srv)
	g := install(t, srv, m, us)

	// Uninstalling revokes the grant; the stored refresh token then fails.
	resp, err := srv.Client().PostForm(srv.RevokeURL(), url.Values{"token": {g.RefreshToken}})
	require.NoError(t, err)
	resp.Body.Close()

	stored := tokenOf(g)
	stored.Expiry = time.Now().Add(-time.Minute)
	persisted := 0
	auth := icims.NewOAuth(m.TokenSource(ctx, stored), stored, func(context.Context, *oauth2.Token) error { persisted++; return nil })
	_, err = newClient(t, srv, us, auth, nil).GetPerson(ctx, id(icimstest.USPerson1), nil)
	e := requireKind(t, err, icims.BadCredentials)
	assert.Equal(t, http.StatusBadRequest, e.HTTPStatus)
	assert.Equal(t, "invalid_grant", e.Message)
	assert.True(t, icims.NeedsReauthorization(err))
	assert.Zero(t, persisted)
	assert.Empty(t, srv.Calls(us), "no API call without a token")
}

func TestSimRevokedCredentials(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	hc, tokens := tokenCounter(t, srv)
	cc := clientCredentials(t, srv, us, hc, nil)
	g := install(t, srv, marketplace(t, srv), us)
	clients := map[string]*icims.Client{
		"basic":              basicClient(t, srv, us),
		"hmac":               newClient(t, srv, us, icims.HMAC{User: icimstest.HMACUser(us), Key: icimstest.HMACKey(us)}, nil),
		"client credentials": newClient(t, srv, us, cc, nil),
		"marketplace oauth":  newClient(t, srv, us, icims.NewOAuth(oauth2.StaticTokenSource(tokenOf(g)), tokenOf(g), nil), nil),
	}
	for _, c := range clients {
		_, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
		require.NoError(t, err)
	}
	require.NoError(t, srv.SetFaults(us, icimstest.Faults{RevokeTokens: true}))

	for name, c := range clients {
		t.Run(name, func(t *testing.T) {
			_, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
			e := requireKind(t, err, icims.BadCredentials)
			assert.Equal(t, http.StatusUnauthorized, e.HTTPStatus)
			assert.Equal(t, icims.CodeCredentials, e.Code)
			assert.True(t, icims.NeedsReauthorization(err))
			assert.False(t, icims.IsRetryable(err))
		})
	}

	// The refused client-credentials token was dropped: the next call
	// fetches a new one, which the simulator issued after the revocation
	// and so accepts.
	require.Equal(t, 1, tokens.count())
	_, err := clients["client credentials"].GetPerson(ctx, id(icimstest.USPerson1), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, tokens.count())
}
