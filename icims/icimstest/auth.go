package icimstest

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
	"time"
)

// token is an issued access or refresh token.
type token struct {
	kind       string // access or refresh
	customerID string
	clientID   string
	scopes     []string
	expires    time.Time // zero: never (refresh tokens)
	revoked    bool
	code       string // the authorization code it came from, if any
}

func (t *token) usable(now time.Time) bool {
	return !t.revoked && (t.expires.IsZero() || now.Before(t.expires))
}

func allScopes() []string {
	return strings.Fields(Scopes)
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// authenticate checks the request's credentials against customer cid: each
// customer's credentials and tokens open that customer only.
func (s *Sim) authenticate(r *http.Request, cid string, body []byte) (principal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customers[cid]
	authz := r.Header.Get("Authorization")
	scheme, value, _ := strings.Cut(authz, " ")
	var p principal
	ok := false
	switch {
	case strings.EqualFold(scheme, "basic"):
		p.mode = "basic"
		user, pass, hasBasic := r.BasicAuth()
		ok = hasBasic && c != nil && !c.faults.RevokeTokens &&
			equal(user, BasicUser(cid)) && equal(pass, BasicPassword(cid))
		p.scopes = allScopes()
	case strings.EqualFold(scheme, hmacScheme):
		p.mode = "hmac"
		keyFor := func(user string) (string, bool) {
			return string(HMACKey(cid)), user == HMACUser(cid)
		}
		if c != nil && !c.faults.RevokeTokens {
			var why string
			ok, why = verifyCall(r, body, keyFor, s.clock.Now())
			if !ok {
				s.log.Info("icimstest: hmac refused", "customer_id", cid, "error", why)
			}
		}
		p.scopes = allScopes()
	case strings.EqualFold(scheme, "bearer"):
		p.mode = "bearer"
		t := s.tokens[strings.TrimSpace(value)]
		ok = c != nil && t != nil && t.kind == "access" && t.customerID == cid && t.usable(s.clock.Now())
		if t != nil {
			p.scopes = slices.Clone(t.scopes)
		}
	}
	if c != nil && c.faults.MissingScope != "" {
		p.scopes = slices.DeleteFunc(p.scopes, func(sc string) bool { return sc == c.faults.MissingScope })
	}
	return p, ok
}
