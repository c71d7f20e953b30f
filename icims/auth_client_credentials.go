package icims

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Token endpoints of iCIMS's client-credentials grant, and the audience
// its API expects.
const (
	TokenURLUS      = "https://login.icims.com/oauth/token"
	TokenURLEU      = "https://login.icims.eu/oauth/token"
	DefaultAudience = "https://api.icims.com/v1/"
)

// TokenURL returns the client-credentials token endpoint of a region.
func TokenURL(region string) (string, error) {
	switch strings.ToLower(region) {
	case "", RegionUS:
		return TokenURLUS, nil
	case RegionEU:
		return TokenURLEU, nil
	}
	return "", fmt.Errorf("icims: unknown region %q", region)
}

// ClientCredentialsConfig configures the client-credentials grant.
type ClientCredentialsConfig struct {
	ClientID     string
	ClientSecret string
	Region       string // picks TokenURL when TokenURL is empty
	TokenURL     string // overrides Region (the sandbox)
	Audience     string // default DefaultAudience
	HTTPClient   *http.Client
	Clock        Clock
}

// ClientCredentials authenticates with a token from the client-credentials
// grant. It caches the token until shortly before it expires: iCIMS
// throttles clients that ask for many tokens, so the caller keeps one
// ClientCredentials per tenant and shares it among that tenant's clients.
type ClientCredentials struct {
	conf  clientcredentials.Config
	hc    *http.Client
	clock Clock

	// sem holds at most one token fetch at a time; a channel rather than
	// a mutex so that a waiting caller can give up with its context.
	sem    chan struct{}
	tok    *oauth2.Token // guarded by sem
	expiry time.Time     // guarded by sem; by c.clock, not the library's clock
}

// NewClientCredentials returns a ClientCredentials for cfg.
func NewClientCredentials(cfg ClientCredentialsConfig) (*ClientCredentials, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, fmt.Errorf("icims: client credentials: client id and secret are required")
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		var err error
		if tokenURL, err = TokenURL(cfg.Region); err != nil {
			return nil, err
		}
	}
	if _, err := url.ParseRequestURI(tokenURL); err != nil {
		return nil, fmt.Errorf("icims: client credentials: token url: %w", err)
	}
	if cfg.Audience == "" {
		cfg.Audience = DefaultAudience
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	return &ClientCredentials{
		conf: clientcredentials.Config{
			ClientID:       cfg.ClientID,
			ClientSecret:   cfg.ClientSecret,
			TokenURL:       tokenURL,
			EndpointParams: url.Values{"audience": {cfg.Audience}},
			// iCIMS documents the id and secret in the form body.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		hc:    cfg.HTTPClient,
		clock: cfg.Clock,
		sem:   make(chan struct{}, 1),
	}, nil
}

// Authorize implements Auth.
func (c *ClientCredentials) Authorize(ctx context.Context, req *http.Request, _ []byte) error {
	tok, err := c.token(ctx)
	if err != nil {
		return err
	}
	tok.SetAuthHeader(req)
	return nil
}

func (c *ClientCredentials) token(ctx context.Context) (*oauth2.Token, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("icims: client credentials: %w", ctx.Err())
	}
	defer func() { <-c.sem }()
	if c.tok != nil && (c.expiry.IsZero() || c.clock.Now().Add(expiryMargin).Before(c.expiry)) {
		return c.tok, nil
	}
	if c.hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, c.hc)
	}
	tok, err := c.conf.Token(ctx)
	if err != nil {
		return nil, tokenError("client credentials token", err)
	}
	// The library stamps Expiry with the real clock; carry the lifetime
	// over to c.clock so that expiry follows the injected time.
	c.tok, c.expiry = tok, time.Time{}
	if !tok.Expiry.IsZero() {
		c.expiry = c.clock.Now().Add(time.Until(tok.Expiry))
	}
	return tok, nil
}

// Invalidate drops the cached token if req carried it, after iCIMS
// answered 401 to it (revoked before it expired).
func (c *ClientCredentials) Invalidate(req *http.Request) {
	c.sem <- struct{}{}
	defer func() { <-c.sem }()
	if c.tok != nil && req.Header.Get("Authorization") == c.tok.Type()+" "+c.tok.AccessToken {
		c.tok = nil
	}
}
