package icimsadapter_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/icimsadapter"
)

// verifier is a fixed 43-character RFC 7636 verifier.
const verifier = "bWFya2V0cGxhY2UtYXBwLXRlc3QtdmVyaWZpZXItZm9ydHktdGhyZWU"

var consentRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)

// approvedCode has the admin approve every scope on the simulator's
// consent page and returns the code the redirect carries.
func approvedCode(t *testing.T, sim *icimstest.Server, app icimsadapter.MarketplaceApp) string {
	t.Helper()
	browser := &http.Client{Transport: sim.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(app.AuthCodeURL("state-1", verifier, icimstest.CustomerUS))
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	match := consentRequest.FindSubmatch(page)
	require.NotNil(t, match, "consent page: %s", page)
	form := url.Values{"request": {string(match[1])}, "decision": {"approve"}, "scope": strings.Fields(icimstest.Scopes)}
	resp, err = browser.PostForm(sim.AuthorizeURL(), form)
	require.NoError(t, err)
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return back.Query().Get("code")
}

// TestMarketplaceApp: a code iCIMS issued becomes the domain's grant; a
// code iCIMS refuses is ExchangeRejected, which the install shows as a
// failed install; a token endpoint that fails is not, so it reads as
// iCIMS being unavailable rather than as the admin's mistake.
func TestMarketplaceApp(t *testing.T) {
	tests := []struct {
		name string
		// down answers the token endpoint instead of the simulator.
		down         bool
		code         func(t *testing.T, sim *icimstest.Server, app icimsadapter.MarketplaceApp) string
		wantRejected bool
		wantErr      bool
	}{
		{name: "a code iCIMS issued", code: approvedCode},
		{name: "a code iCIMS does not know", code: func(*testing.T, *icimstest.Server, icimsadapter.MarketplaceApp) string { return "forged" },
			wantRejected: true, wantErr: true},
		{name: "a token endpoint that fails", down: true,
			code: func(*testing.T, *icimstest.Server, icimsadapter.MarketplaceApp) string { return "any" }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := icimstest.Start(t)
			tokenURL := sim.TokenURL()
			if tt.down {
				failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
				}))
				t.Cleanup(failing.Close)
				tokenURL = failing.URL
			}
			m, err := icims.NewMarketplace(icims.MarketplaceConfig{
				ClientID: icimstest.ClientID, ClientSecret: icimstest.ClientSecret,
				AuthorizeURL: sim.AuthorizeURL(), TokenURL: tokenURL,
				RedirectURL: "https://jobcannon.example.com/icims/oauth-callback",
				Scopes:      strings.Fields(icimstest.Scopes), HTTPClient: sim.Client(),
			})
			require.NoError(t, err)
			app := icimsadapter.NewMarketplaceApp(m)

			g, err := app.Exchange(context.Background(), tt.code(t, sim, app), verifier)
			assert.Equal(t, tt.wantRejected, errors.Is(err, assessments.ExchangeRejected), "rejected: %v", err)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.NotEmpty(t, g.AccessToken)
			assert.NotEmpty(t, g.RefreshToken)
			assert.ElementsMatch(t, strings.Fields(icimstest.Scopes), g.Scopes)
			assert.Equal(t, icimstest.CustomerUS, g.CustomerID)
		})
	}
}
