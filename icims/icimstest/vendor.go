package icimstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// How the simulator authenticates the events it posts to the vendor.
const (
	VendorAuthNone   = "none"
	VendorAuthBasic  = "basic"
	VendorAuthHMAC   = "hmac"
	VendorAuthBearer = "bearer"
)

// maxVendorBody is how much of a vendor's answer is kept.
const maxVendorBody = 64 << 10

// VendorSettings is what a customer's iCIMS knows about the vendor: where
// to post events and the vendor's inbound credentials for that customer.
type VendorSettings struct {
	// EventURL receives every event, e.g. https://vendor/icims/events.
	EventURL string
	// Auth is one of the VendorAuth* constants; empty means none.
	Auth string
	// User and Password are the Basic credentials.
	User     string
	Password string
	// HMACUser and HMACKey sign events with x-icims-v1-hmac-sha256.
	HMACUser string
	HMACKey  string
	// ClientID, ClientSecret and TokenURL fetch a Bearer token from the
	// vendor by client credentials; it is cached until it expires.
	ClientID     string
	ClientSecret string
	TokenURL     string
}

// validate reports the first setting that cannot work.
func (v VendorSettings) validate() error {
	if v.EventURL != "" {
		if u, err := url.Parse(v.EventURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("event URL %q is not an absolute http(s) URL", v.EventURL)
		}
	}
	switch v.Auth {
	case "", VendorAuthNone:
	case VendorAuthBasic:
		if v.User == "" || v.Password == "" {
			return fmt.Errorf("basic auth needs a user and a password")
		}
	case VendorAuthHMAC:
		if v.HMACUser == "" || v.HMACKey == "" {
			return fmt.Errorf("hmac auth needs a user and a key")
		}
	case VendorAuthBearer:
		u, err := url.Parse(v.TokenURL)
		if v.ClientID == "" || v.ClientSecret == "" || err != nil || u.Host == "" {
			return fmt.Errorf("bearer auth needs a client id, a secret and an absolute token URL")
		}
	default:
		return fmt.Errorf("unknown auth mode %q", v.Auth)
	}
	return nil
}

// vendorToken is a cached Bearer token from the vendor's token URL.
type vendorToken struct {
	value    string
	expires  time.Time
	settings VendorSettings
}

// SetVendor replaces customer cid's vendor settings.
func (s *Sim) SetVendor(cid string, v VendorSettings) error {
	if err := v.validate(); err != nil {
		return fmt.Errorf("icimstest: set vendor: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	if c == nil {
		return fmt.Errorf("icimstest: set vendor: unknown customer %q", cid)
	}
	c.vendor = v
	delete(s.vendorTokens, cid)
	return nil
}

// Vendor returns customer cid's vendor settings.
func (s *Sim) Vendor(cid string) VendorSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customers[cid]; c != nil {
		return c.vendor
	}
	return VendorSettings{}
}

// vendorBearer returns a cached token or fetches one from the vendor's
// token URL by client credentials.
func (s *Sim) vendorBearer(ctx context.Context, cid string, vendor VendorSettings) (string, error) {
	s.mu.Lock()
	cached, ok := s.vendorTokens[cid]
	now := s.clock.Now()
	s.mu.Unlock()
	if ok && cached.settings == vendor && now.Before(cached.expires) {
		return cached.value, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {vendor.ClientID},
		"client_secret": {vendor.ClientSecret},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, vendor.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.noRedirect().Do(req)
	if err != nil {
		return "", fmt.Errorf("token request: %w", err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token request: vendor answered %d", resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxVendorBody)).Decode(&tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("token request: no access_token in the answer")
	}
	if tr.ExpiresIn <= 0 {
		tr.ExpiresIn = 3600
	}
	// Refresh a minute early so a token never expires in flight.
	expires := now.Add(time.Duration(tr.ExpiresIn)*time.Second - time.Minute)
	s.mu.Lock()
	s.vendorTokens[cid] = vendorToken{value: tr.AccessToken, expires: expires, settings: vendor}
	s.mu.Unlock()
	return tr.AccessToken, nil
}
