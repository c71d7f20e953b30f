package icims

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/jobcannon/jobcannon/clocktest"
)

// fakeTokenServer answers the token endpoint with the given handler and
// counts its requests.
func fakeTokenServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		h(w, r, int(n.Add(1)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestOAuthRefreshPersistsNewTokenOnce(t *testing.T) {
	tokenSrv, tokenCalls := fakeTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		assert.Equal(t, "refresh_token", r.PostForm.Get("grant_type"))
		assert.Equal(t, "refresh-1", r.PostForm.Get("refresh_token"))
		reply(w, 200, `{"access_token":"access-2","token_type":"Bearer","expires_in":63072000,"refresh_token":"refresh-2"}`)
	})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })

	conf := &oauth2.Config{ClientID: "jobcannon-sandbox", ClientSecret: "sandbox-secret",
		Endpoint: oauth2.Endpoint{TokenURL: tokenSrv.URL, AuthStyle: oauth2.AuthStyleInParams}}
	stored := &oauth2.Token{AccessToken: "access-1", TokenType: "Bearer", RefreshToken: "refresh-1", Expiry: time.Now().Add(-time.Hour)}
	var persisted []*oauth2.Token
	auth := NewOAuth(conf.TokenSource(context.Background(), stored), stored, func(_ context.Context, tok *oauth2.Token) error {
		persisted = append(persisted, tok)
		return nil
	})
	c := api.client(t, func(c *Config) { c.Auth = auth })

	for range 3 {
		_, err := c.GetJob(context.Background(), "1", nil)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, tokenCalls.Load())
	require.Len(t, persisted, 1, "OnToken is called once, with the new token")
	assert.Equal(t, "access-2", persisted[0].AccessToken)
	assert.Equal(t, "refresh-2", persisted[0].RefreshToken)
	for _, r := range api.requests() {
		assert.Equal(t, "Bearer access-2", r.Header.Get("Authorization"))
	}
}

func TestOAuthValidStoredTokenIsNotPersistedAgain(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	stored := &oauth2.Token{AccessToken: "access-1", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	calls := 0
	auth := NewOAuth(oauth2.StaticTokenSource(stored), stored, func(context.Context, *oauth2.Token) error { calls++; return nil })
	_, err := api.client(t, func(c *Config) { c.Auth = auth }).GetJob(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.Zero(t, calls)
	assert.Equal(t, "Bearer access-1", api.last(t).Header.Get("Authorization"))
}

func TestOAuthPersistFailureFailsTheCallAndIsRetried(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	fresh := &oauth2.Token{AccessToken: "access-2", TokenType: "Bearer"}
	var attempts int
	auth := NewOAuth(oauth2.StaticTokenSource(fresh), &oauth2.Token{AccessToken: "access-1"}, func(context.Context, *oauth2.Token) error {
		attempts++
		if attempts == 1 {
			return errors.New("disk full")
		}
		return nil
	})
	c := api.client(t, func(c *Config) { c.Auth = auth })
	_, err := c.GetJob(context.Background(), "1", nil)
	require.ErrorContains(t, err, "disk full")
	assert.Empty(t, api.requests(), "a token that is not saved is not used")

	_, err = c.GetJob(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.Equal(t, 2, attempts)
}

func TestOAuthRefusedRefreshNeedsReauthorization(t *testing.T) {
	tokenSrv, _ := fakeTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		reply(w, 400, `{"error":"invalid_grant","error_description":"refresh token revoked"}`)
	})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	conf := &oauth2.Config{ClientID: "x", ClientSecret: "y", Endpoint: oauth2.Endpoint{TokenURL: tokenSrv.URL, AuthStyle: oauth2.AuthStyleInParams}}
	stored := &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(-time.Hour)}
	c := api.client(t, func(c *Config) { c.Auth = NewOAuth(conf.TokenSource(context.Background(), stored), stored, nil) })

	_, err := c.GetJob(context.Background(), "1", nil)
	var e *Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, BadCredentials, e.Kind)
	assert.Equal(t, "invalid_grant", e.Message)
	assert.True(t, NeedsReauthorization(err))
	assert.Empty(t, api.requests())
}

func TestClientCredentialsSharedTokenIsFetchedOnce(t *testing.T) {
	tokenSrv, tokenCalls := fakeTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		assert.Equal(t, "client_credentials", r.PostForm.Get("grant_type"))
		assert.Equal(t, "cc-1234", r.PostForm.Get("client_id"))
		assert.Equal(t, "cc-secret-1234", r.PostForm.Get("client_secret"))
		assert.Equal(t, "https://api.icims.com/v1/", r.PostForm.Get("audience"))
		time.Sleep(20 * time.Millisecond) // let concurrent callers pile up
		reply(w, 200, fmt.Sprintf(`{"access_token":"cc-token-%d","token_type":"Bearer","expires_in":86400}`, n))
	})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	clock := clocktest.New(time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC))
	cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "cc-1234", ClientSecret: "cc-secret-1234", TokenURL: tokenSrv.URL, Clock: clock})
	require.NoError(t, err)

	// Several clients of one tenant, many concurrent calls.
	clients := []*Client{
		api.client(t, func(c *Config) { c.Auth = cc }),
		api.client(t, func(c *Config) { c.Auth = cc }),
		api.client(t, func(c *Config) { c.Auth = cc }),
	}
	const n = 30
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := clients[i%len(clients)].GetJob(context.Background(), "1", nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, tokenCalls.Load(), "N calls make one token request")
	require.Len(t, api.requests(), n)
	for _, r := range api.requests() {
		assert.Equal(t, "Bearer cc-token-1", r.Header.Get("Authorization"))
	}

	// Shortly before the 24 h expire, the token is renewed.
	clock.Advance(86400*time.Second - 2*time.Minute)
	_, err = clients[0].GetJob(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 1, tokenCalls.Load())
	clock.Advance(time.Minute + time.Second)
	_, err = clients[0].GetJob(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, tokenCalls.Load())
	assert.Equal(t, "Bearer cc-token-2", api.last(t).Header.Get("Authorization"))
}

func TestClientCredentialsTokenRejectedIsDropped(t *testing.T) {
	tokenSrv, tokenCalls := fakeTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		reply(w, 200, fmt.Sprintf(`{"access_token":"cc-token-%d","token_type":"Bearer","expires_in":86400}`, n))
	})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer cc-token-1" {
			reply(w, 401, `{"errors":[{"errorMessage":"Invalid Username or Password credentials provided.","errorCode":6}]}`)
			return
		}
		reply(w, 200, `{}`)
	})
	cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "cc-1234", ClientSecret: "s", TokenURL: tokenSrv.URL})
	require.NoError(t, err)
	c := api.client(t, func(c *Config) { c.Auth = cc })

	_, err = c.GetJob(context.Background(), "1", nil)
	require.True(t, NeedsReauthorization(err), "got %v", err)
	_, err = c.GetJob(context.Background(), "1", nil)
	require.NoError(t, err, "the revoked token was dropped and a new one fetched")
	assert.EqualValues(t, 2, tokenCalls.Load())
}

func TestClientCredentialsErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		kind   Kind
	}{
		{"wrong secret", 401, BadCredentials},
		{"bad request", 400, BadCredentials},
		{"throttled", 429, RateLimited},
		{"outage", 503, Temporary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokenSrv, _ := fakeTokenServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				reply(w, tt.status, `{"error":"invalid_client"}`)
			})
			cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "a", ClientSecret: "b", TokenURL: tokenSrv.URL})
			require.NoError(t, err)
			api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
			_, err = api.client(t, func(c *Config) { c.Auth = cc }).GetJob(context.Background(), "1", nil)
			var e *Error
			require.True(t, errors.As(err, &e), "got %v", err)
			assert.Equal(t, tt.kind, e.Kind)
			assert.Equal(t, tt.status, e.HTTPStatus)
			assert.Empty(t, api.requests())
		})
	}
}

func TestClientCredentialsConfig(t *testing.T) {
	_, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "a"})
	assert.Error(t, err)
	_, err = NewClientCredentials(ClientCredentialsConfig{ClientID: "a", ClientSecret: "b", Region: "mars"})
	assert.Error(t, err)
	cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "a", ClientSecret: "b", Region: "eu"})
	require.NoError(t, err)
	assert.Equal(t, TokenURLEU, cc.conf.TokenURL)
	cc, err = NewClientCredentials(ClientCredentialsConfig{ClientID: "a", ClientSecret: "b"})
	require.NoError(t, err)
	assert.Equal(t, TokenURLUS, cc.conf.TokenURL)
}

func TestBasicAuthHeader(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != "api-1234" || p != "basic-secret-1234" {
			reply(w, 401, `{"errors":[{"errorMessage":"Invalid Username or Password credentials provided.","errorCode":6}]}`)
			return
		}
		reply(w, 200, `{}`)
	})
	_, err := api.client(t, nil).GetJob(context.Background(), "1", nil)
	require.NoError(t, err)
	_, err = api.client(t, func(c *Config) { c.Auth = Basic{User: "api-1234", Password: "nope"} }).GetJob(context.Background(), "1", nil)
	assert.True(t, NeedsReauthorization(err))
}
