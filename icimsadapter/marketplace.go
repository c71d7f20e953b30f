package icimsadapter

import (
	"context"
	"errors"
	"fmt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// MarketplaceApp adapts the iCIMS Marketplace client to the domain's
// OAuthApp, translating a refused code into assessments.ExchangeRejected.
type MarketplaceApp struct{ m *icims.Marketplace }

var _ assessments.OAuthApp = MarketplaceApp{}

// NewMarketplaceApp returns the Marketplace app over m.
func NewMarketplaceApp(m *icims.Marketplace) MarketplaceApp { return MarketplaceApp{m: m} }

// AuthCodeURL implements assessments.OAuthApp.
func (a MarketplaceApp) AuthCodeURL(state, verifier, customerID string) string {
	return a.m.AuthCodeURL(state, verifier, customerID)
}

// Exchange implements assessments.OAuthApp.
func (a MarketplaceApp) Exchange(ctx context.Context, code, verifier string) (assessments.OAuthGrant, error) {
	g, err := a.m.Exchange(ctx, code, verifier)
	var ie *icims.Error
	if errors.As(err, &ie) && ie.Kind == icims.BadCredentials {
		return assessments.OAuthGrant{}, fmt.Errorf("%w: %v", assessments.ExchangeRejected, err)
	} else if err != nil {
		return assessments.OAuthGrant{}, err
	}
	return assessments.OAuthGrant{AccessToken: g.AccessToken, RefreshToken: g.RefreshToken, Expiry: g.Expiry,
		Scopes: g.Scopes, CustomerID: g.CustomerID}, nil
}
