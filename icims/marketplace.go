package icims

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// MarketplaceConfig configures the OAuth app the iCIMS Marketplace installs:
// the authorization-code grant with PKCE.
type MarketplaceConfig struct {
	ClientID     string
	ClientSecret string
	AuthorizeURL string
	TokenURL     string
	RedirectURL  string // our /icims/oauth-callback
	Scopes       []string
	HTTPClient   *http.Client
}

// Marketplace runs the install's OAuth exchange.
type Marketplace struct {
	conf oauth2.Config
	hc   *http.Client
}

// NewMarketplace checks the configuration and returns a Marketplace.
func NewMarketplace(c MarketplaceConfig) (*Marketplace, error) {
	if c.ClientID == "" || c.AuthorizeURL == "" || c.TokenURL == "" || c.RedirectURL == "" {
		return nil, errors.New("icims: marketplace app needs a client id, authorize URL, token URL and redirect URL")
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Marketplace{hc: hc, conf: oauth2.Config{
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL, Scopes: c.Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: c.AuthorizeURL, TokenURL: c.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}}, nil
}

// AuthCodeURL is where the admin's browser goes to consent.
func (m *Marketplace) AuthCodeURL(state, verifier, customerID string) string {
	return m.conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("customer_id", customerID))
}

// Grant is what a successful exchange returns.
type Grant struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
	// Scopes granted; nil when the token endpoint did not say, which by
	// RFC 6749 means all that were asked for.
	Scopes     []string
	CustomerID string // when the token endpoint names it
}

// Exchange trades an authorization code for tokens. A refused code (used,
// expired, or for another client) is a BadCredentials *Error; an endpoint
// that cannot be reached is Temporary.
func (m *Marketplace) Exchange(ctx context.Context, code, verifier string) (Grant, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, m.hc)
	tok, err := m.conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Grant{}, exchangeError(err)
	}
	g := Grant{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry.UTC()}
	if s, ok := tok.Extra("scope").(string); ok {
		g.Scopes = strings.Fields(s)
	}
	switch v := tok.Extra("customer_id").(type) {
	case string:
		g.CustomerID = v
	case float64:
		g.CustomerID = fmt.Sprintf("%.0f", v)
	}
	return g, nil
}

// TokenSource refreshes the stored token with this app's credentials.
func (m *Marketplace) TokenSource(ctx context.Context, tok *oauth2.Token) oauth2.TokenSource {
	return m.conf.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, m.hc), tok)
}

func exchangeError(err error) error {
	e := &Error{Op: "exchange authorization code", Kind: Temporary, Code: CodeNone, Err: err}
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500:
		e.HTTPStatus, e.Message = re.Response.StatusCode, "the token endpoint failed"
	case errors.As(err, &re):
		e.Kind, e.Message = BadCredentials, re.ErrorCode
		if re.Response != nil {
			e.HTTPStatus = re.Response.StatusCode
		}
		if re.ErrorDescription != "" {
			e.Message += ": " + re.ErrorDescription
		}
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		e.Message = "the token endpoint did not answer"
	}
	return e
}

// Revoke revokes a token at an RFC 7009 endpoint with the app's client
// credentials.
func (m *Marketplace) Revoke(ctx context.Context, revokeURL, token string) error {
	form := url.Values{"token": {token}, "client_id": {m.conf.ClientID}, "client_secret": {m.conf.ClientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, revokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("icims: revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := m.hc.Do(req)
	if err != nil {
		return fmt.Errorf("icims: revoke: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("icims: revoke: status %d", resp.StatusCode)
	}
	return nil
}
