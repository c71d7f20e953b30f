package icims

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// InboundScheme is how iCIMS authenticated a call to the project.
type InboundScheme string

// The three ways iCIMS calls the project (contract §5).
const (
	InboundBasic  InboundScheme = "basic"
	InboundHMAC   InboundScheme = "hmac"
	InboundBearer InboundScheme = "bearer"
)

// InboundCredentials is a parsed Authorization header. Only the fields of
// its Scheme are set. It is never logged: String redacts the secrets.
type InboundCredentials struct {
	Scheme   InboundScheme
	User     string // Basic and HMAC
	Password string // Basic
	Token    string // Bearer
	// HMAC is, for an accepted HMAC call, which canonical layout and body
	// hash matched: the caller logs them.
	HMAC HMACVerified
}

// String implements fmt.Stringer without the password or the token.
func (c InboundCredentials) String() string {
	if c.User == "" {
		return string(c.Scheme)
	}
	return string(c.Scheme) + " user=" + c.User
}

// Reasons an AuthError carries, besides the HMAC Reason* constants that
// VerifyHMAC produces.
const (
	ReasonNoAuthorization    = "missing Authorization header"
	ReasonMalformedAuth      = "malformed Authorization header"
	ReasonUnsupportedScheme  = "unsupported Authorization scheme"
	ReasonSchemeNotAllowed   = "Authorization scheme not enabled"
	ReasonUnknownCredentials = "unknown user or token"
	ReasonWrongPassword      = "wrong password"
)

// AuthError is why an inbound call was refused; answer it with 401. Err is
// the *VerifyError when HMAC verification failed.
type AuthError struct {
	Scheme InboundScheme
	Reason string
	Err    error
}

// Error implements the error interface.
func (e *AuthError) Error() string {
	if e.Scheme == "" {
		return "icims: inbound auth: " + e.Reason
	}
	return fmt.Sprintf("icims: inbound auth (%s): %s", e.Scheme, e.Reason)
}

// Unwrap returns the underlying *VerifyError, if any.
func (e *AuthError) Unwrap() error { return e.Err }

// ParseAuthorization splits an Authorization header into its scheme and
// credentials. It checks the shape only; Authenticate checks the secrets.
func ParseAuthorization(h string) (InboundCredentials, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return InboundCredentials{}, &AuthError{Reason: ReasonNoAuthorization}
	}
	scheme, rest, _ := strings.Cut(h, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(scheme) {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return InboundCredentials{}, &AuthError{Scheme: InboundBasic, Reason: ReasonMalformedAuth}
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok || user == "" {
			return InboundCredentials{}, &AuthError{Scheme: InboundBasic, Reason: ReasonMalformedAuth}
		}
		return InboundCredentials{Scheme: InboundBasic, User: user, Password: pass}, nil
	case "bearer":
		if rest == "" || strings.ContainsAny(rest, " \t") {
			return InboundCredentials{}, &AuthError{Scheme: InboundBearer, Reason: ReasonMalformedAuth}
		}
		return InboundCredentials{Scheme: InboundBearer, Token: rest}, nil
	case HMACScheme:
		p, err := parseHMACAuthorization(h)
		if err != nil {
			return InboundCredentials{}, &AuthError{Scheme: InboundHMAC, Reason: ReasonMalformedAuth, Err: err}
		}
		return InboundCredentials{Scheme: InboundHMAC, User: p.user}, nil
	default:
		return InboundCredentials{}, &AuthError{Reason: ReasonUnsupportedScheme}
	}
}

// SecretEqual compares two secrets in constant time. Hashing first keeps
// the time independent of the lengths as well as of the contents.
func SecretEqual(got, want string) bool {
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1 && want != ""
}

// InboundAuth checks iCIMS's calls to the project with lookups the caller
// supplies. A nil lookup disables its scheme. Lookups return found=false
// for an unknown user or token and an error only when they could not look.
type InboundAuth struct {
	// Password returns the expected Basic password of user.
	Password func(ctx context.Context, user string) (password string, found bool, err error)
	// HMACKey returns the HMAC key of user.
	HMACKey func(ctx context.Context, user string) (key []byte, found bool, err error)
	// Token returns who holds a bearer token the project issued (e.g. the
	// client id), typically by looking up the token's hash.
	Token func(ctx context.Context, token string) (user string, found bool, err error)
}

// Authenticate checks r's Authorization header; wire is the body as
// received (ReadWireBody), which HMAC signs. It returns the scheme and the
// user (for Bearer, what Token returned). Refusals are *AuthError; a failed
// lookup is returned wrapped as is, so the caller can answer 503.
func (a InboundAuth) Authenticate(r *http.Request, wire []byte, now time.Time) (InboundCredentials, error) {
	creds, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return InboundCredentials{}, err
	}
	ctx := r.Context()
	switch creds.Scheme {
	case InboundBasic:
		if a.Password == nil {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonSchemeNotAllowed}
		}
		want, found, err := a.Password(ctx, creds.User)
		if err != nil {
			return InboundCredentials{}, fmt.Errorf("icims: inbound auth: look up user: %w", err)
		}
		if !found {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonUnknownCredentials}
		}
		if !SecretEqual(creds.Password, want) {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonWrongPassword}
		}
		return InboundCredentials{Scheme: InboundBasic, User: creds.User}, nil
	case InboundHMAC:
		if a.HMACKey == nil {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonSchemeNotAllowed}
		}
		key, found, err := a.HMACKey(ctx, creds.User)
		if err != nil {
			return InboundCredentials{}, fmt.Errorf("icims: inbound auth: look up hmac key: %w", err)
		}
		keyFor := func(user string) ([]byte, bool) { return key, found && user == creds.User }
		verified, err := VerifyHMAC(r, wire, keyFor, now)
		if err != nil {
			reason := err.Error()
			var ve *VerifyError
			if errors.As(err, &ve) {
				reason = ve.Reason
			}
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: reason, Err: err}
		}
		return InboundCredentials{Scheme: InboundHMAC, User: verified.User, HMAC: verified}, nil
	default: // InboundBearer
		if a.Token == nil {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonSchemeNotAllowed}
		}
		user, found, err := a.Token(ctx, creds.Token)
		if err != nil {
			return InboundCredentials{}, fmt.Errorf("icims: inbound auth: look up token: %w", err)
		}
		if !found {
			return InboundCredentials{}, &AuthError{Scheme: creds.Scheme, Reason: ReasonUnknownCredentials}
		}
		return InboundCredentials{Scheme: InboundBearer, User: user}, nil
	}
}
