package icimstest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Lifetimes of the OAuth server's short-lived things.
const (
	codeLifetime    = 10 * time.Minute
	pendingLifetime = time.Hour
	// ccThrottle is how many client-credentials tokens one client may get
	// in ccThrottleWindow before iCIMS throttles it.
	ccThrottle       = 500
	ccThrottleWindow = 10 * time.Minute
)

// authRequest is an authorize request waiting for the admin's consent.
type authRequest struct {
	id          string
	clientID    string
	redirectURI string
	state       string
	challenge   string
	customerID  string
	scopes      []string
	created     time.Time
}

// authCode is an issued authorization code.
type authCode struct {
	clientID    string
	redirectURI string
	challenge   string
	customerID  string
	scopes      []string
	expires     time.Time
	used        bool
}

// handleAuthorize validates an authorize request and shows the consent page.
func (s *Sim) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != ClientID {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Authorization failed", "Unknown client_id "+q.Get("client_id")+"."))
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || (redirect.Scheme != "http" && redirect.Scheme != "https") || redirect.Host == "" || redirect.Fragment != "" {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Authorization failed", "redirect_uri must be an absolute http or https URL."))
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		http.Redirect(w, r, withQuery(redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {state}}), http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "response_type must be code")
		return
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		fail("invalid_request", "PKCE with code_challenge_method=S256 is required")
		return
	}
	var scopes []string
	for _, sc := range strings.Fields(q.Get("scope")) {
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	if len(scopes) == 0 {
		scopes = allScopes()
	}
	for _, sc := range scopes {
		if !slices.Contains(allScopes(), sc) {
			fail("invalid_scope", "unknown scope "+sc)
			return
		}
	}
	s.mu.Lock()
	c := s.customers[q.Get("customer_id")]
	if c == nil {
		s.mu.Unlock()
		fail("invalid_request", "unknown customer_id")
		return
	}
	now := s.clock.Now()
	for id, p := range s.pending {
		if now.Sub(p.created) > pendingLifetime {
			delete(s.pending, id)
		}
	}
	req := &authRequest{
		id: rand.Text(), clientID: ClientID, redirectURI: redirect.String(), state: state,
		challenge: q.Get("code_challenge"), customerID: c.id, scopes: scopes, created: now,
	}
	s.pending[req.id] = req
	view := consentView{RequestID: req.id, Customer: c.name + " (" + c.id + ")", App: "JobCannon Assessments", Scopes: req.scopes, RedirectHost: redirect.Host}
	s.mu.Unlock()
	s.render(w, r, consentPage(view))
}

// handleConsent takes the admin's Approve or Deny and redirects back to
// the vendor with a code or error=access_denied.
func (s *Sim) handleConsent(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Authorization failed", "The form could not be read."))
		return
	}
	s.mu.Lock()
	req := s.pending[r.PostForm.Get("request")]
	delete(s.pending, r.PostForm.Get("request"))
	if req == nil {
		s.mu.Unlock()
		s.renderStatus(w, r, http.StatusBadRequest, errorPage("Authorization failed", "This authorization request has expired or was already answered. Start the install again."))
		return
	}
	redirect, _ := url.Parse(req.redirectURI)
	if r.PostForm.Get("decision") != "approve" {
		s.mu.Unlock()
		http.Redirect(w, r, withQuery(redirect, url.Values{"error": {"access_denied"}, "state": {req.state}}), http.StatusSeeOther)
		return
	}
	var granted []string
	for _, sc := range req.scopes {
		if slices.Contains(r.PostForm["scope"], sc) {
			granted = append(granted, sc)
		}
	}
	code := rand.Text()
	s.codes[code] = &authCode{
		clientID: req.clientID, redirectURI: req.redirectURI, challenge: req.challenge,
		customerID: req.customerID, scopes: granted, expires: s.clock.Now().Add(codeLifetime),
	}
	s.mu.Unlock()
	http.Redirect(w, r, withQuery(redirect, url.Values{"code": {code}, "state": {req.state}}), http.StatusSeeOther)
}

// withQuery adds params to u's existing query.
func withQuery(u *url.URL, params url.Values) string {
	v := *u
	q := v.Query()
	for k, vals := range params {
		q[k] = vals
	}
	v.RawQuery = q.Encode()
	return v.String()
}

// oauthError is an RFC 6749 §5.2 error answer.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// handleToken serves the authorization_code, refresh_token and
// client_credentials grants.
func (s *Sim) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the form could not be read")
		return
	}
	form := r.PostForm
	clientID, secret, hasBasic := r.BasicAuth()
	if hasBasic {
		// RFC 6749 §2.3.1: the client form-encodes both before Basic.
		if id, err := url.QueryUnescape(clientID); err == nil {
			clientID = id
		}
		if sec, err := url.QueryUnescape(secret); err == nil {
			secret = sec
		}
	} else {
		clientID, secret = form.Get("client_id"), form.Get("client_secret")
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		s.codeGrant(w, form, clientID, secret)
	case "refresh_token":
		s.refreshGrant(w, form, clientID, secret)
	case "client_credentials":
		s.clientCredentialsGrant(w, form, clientID, secret)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials")
	}
}

func (s *Sim) codeGrant(w http.ResponseWriter, form url.Values, clientID, secret string) {
	if !equal(clientID, ClientID) || !equal(secret, ClientSecret) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	codeValue := form.Get("code")
	code := s.codes[codeValue]
	switch {
	case code == nil:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown authorization code")
		return
	case code.used:
		// A reused code may have been stolen: revoke what it issued (RFC 6749 §4.1.2).
		for _, t := range s.tokens {
			if t.code == codeValue {
				t.revoked = true
			}
		}
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code already used")
		return
	case !now.Before(code.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
		return
	case code.clientID != clientID:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code was issued to another client")
		return
	case form.Get("redirect_uri") != code.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorize request")
		return
	case !pkceMatches(form.Get("code_verifier"), code.challenge):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match code_challenge")
		return
	}
	code.used = true
	access, refresh := s.issueLocked(code.customerID, clientID, code.scopes, CodeTokenLifetime, codeValue, true)
	writeToken(w, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": CodeTokenLifetime,
		"refresh_token": refresh, "scope": strings.Join(code.scopes, " "), "customer_id": code.customerID,
	})
}

// pkceMatches checks an RFC 7636 S256 verifier against its challenge.
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return equal(base64.RawURLEncoding.EncodeToString(sum[:]), challenge)
}

func (s *Sim) refreshGrant(w http.ResponseWriter, form url.Values, clientID, secret string) {
	if !equal(clientID, ClientID) || !equal(secret, ClientSecret) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	refreshValue := form.Get("refresh_token")
	t := s.tokens[refreshValue]
	if t == nil || t.kind != "refresh" || t.clientID != clientID || !t.usable(s.clock.Now()) {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token is unknown, revoked or expired")
		return
	}
	scopes := t.scopes
	if asked := strings.Fields(form.Get("scope")); len(asked) > 0 {
		for _, sc := range asked {
			if !slices.Contains(t.scopes, sc) {
				oauthError(w, http.StatusBadRequest, "invalid_scope", "scope "+sc+" was not granted")
				return
			}
		}
		scopes = asked
	}
	access, _ := s.issueLocked(t.customerID, clientID, scopes, CodeTokenLifetime, t.code, false)
	writeToken(w, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": CodeTokenLifetime,
		"refresh_token": refreshValue, "scope": strings.Join(scopes, " "), "customer_id": t.customerID,
	})
}

func (s *Sim) clientCredentialsGrant(w http.ResponseWriter, form url.Values, clientID, secret string) {
	cid, _ := strings.CutPrefix(clientID, "cc-")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.customers[cid] == nil || !equal(clientID, CCClientID(cid)) || !equal(secret, CCClientSecret(cid)) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if form.Get("audience") != Audience {
		oauthError(w, http.StatusBadRequest, "invalid_request", "audience must be "+Audience)
		return
	}
	now := s.clock.Now()
	issues := slices.DeleteFunc(s.tokenIssues[clientID], func(t time.Time) bool { return now.Sub(t) >= ccThrottleWindow })
	if len(issues) >= ccThrottle {
		s.tokenIssues[clientID] = issues
		w.Header().Set("Retry-After", seconds(issues[0].Add(ccThrottleWindow).Sub(now)))
		oauthError(w, http.StatusTooManyRequests, "too_many_requests", "too many tokens requested; cache and share tokens")
		return
	}
	s.tokenIssues[clientID] = append(issues, now)
	access, _ := s.issueLocked(cid, clientID, allScopes(), ClientCredentialsLifetime, "", false)
	writeToken(w, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": ClientCredentialsLifetime,
		"scope": Scopes, "customer_id": cid,
	})
}

// issueLocked stores a new access token (and a refresh token if asked) and
// returns their values.
func (s *Sim) issueLocked(cid, clientID string, scopes []string, lifetime int, code string, withRefresh bool) (string, string) {
	now := s.clock.Now()
	access := rand.Text() + rand.Text()
	s.tokens[access] = &token{
		kind: "access", customerID: cid, clientID: clientID, scopes: slices.Clone(scopes),
		expires: now.Add(time.Duration(lifetime) * time.Second), code: code,
	}
	if !withRefresh {
		return access, ""
	}
	refresh := rand.Text() + rand.Text()
	s.tokens[refresh] = &token{
		kind: "refresh", customerID: cid, clientID: clientID, scopes: slices.Clone(scopes),
		code: code,
	}
	return access, refresh
}

func writeToken(w http.ResponseWriter, body map[string]any) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, body)
}

// handleRevoke is RFC 7009 revocation: it answers 200 whether or not the
// token was known. Revoking a refresh token revokes the access tokens of
// the same grant.
func (s *Sim) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the form could not be read")
		return
	}
	s.mu.Lock()
	if t := s.tokens[r.PostForm.Get("token")]; t != nil {
		t.revoked = true
		if t.kind == "refresh" && t.code != "" {
			for _, other := range s.tokens {
				if other.code == t.code {
					other.revoked = true
				}
			}
		}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
