package assessments

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// InboundMode is how iCIMS authenticates when it posts events to us.
type InboundMode string

// The three ways iCIMS can authenticate to a vendor (contract §5).
const (
	InboundBasic InboundMode = "basic"
	InboundHMAC  InboundMode = "hmac"
	InboundOAuth InboundMode = "oauth"
)

// ParseInboundMode accepts basic, hmac or oauth in any case.
func ParseInboundMode(s string) (InboundMode, error) {
	switch m := InboundMode(strings.ToLower(strings.TrimSpace(s))); m {
	case InboundBasic, InboundHMAC, InboundOAuth:
		return m, nil
	}
	return "", Errorf(EINVALID, "The inbound credential mode must be basic, hmac or oauth, not %q.", s)
}

// Label names the mode for people.
func (m InboundMode) Label() string {
	switch m {
	case InboundBasic:
		return "Basic"
	case InboundHMAC:
		return "HMAC"
	case InboundOAuth:
		return "OAuth client"
	}
	return string(m)
}

// Defaults for inbound credentials.
const (
	// DefaultInboundGrace is how long a rotated credential keeps working, so
	// iCIMS does not fail while the admin pastes the new one in.
	DefaultInboundGrace = 24 * time.Hour
	// InboundTokenLifetime is how long a Bearer token from our
	// POST /oauth/token lasts; iCIMS expects expires_in 86400.
	InboundTokenLifetime = 24 * time.Hour
)

// InboundCredential is one credential iCIMS can use to call us, without its
// secret. ExpiresAt is zero for a credential that has not been rotated.
type InboundCredential struct {
	ID         int64
	TenantID   int64
	Mode       InboundMode
	Identifier string // Basic username, HMAC user or OAuth client id
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// Live reports whether the credential still verifies at now.
func (c InboundCredential) Live(now time.Time) bool {
	return c.ExpiresAt.IsZero() || c.ExpiresAt.After(now)
}

// IssuedCredential is a new credential with its secret in plain text. It
// exists only in the answer to Issue: show it once, never store or log it.
type IssuedCredential struct {
	InboundCredential
	Secret string // Basic password, HMAC key or OAuth client secret
	// GraceUntil is when the tenant's previous credentials of this mode stop
	// working; zero when there were none.
	GraceUntil time.Time
}

// String implements fmt.Stringer without the secret, so a stray %v in a
// log line cannot leak it.
func (c IssuedCredential) String() string {
	return fmt.Sprintf("%s credential %s", c.Mode, c.Identifier)
}

// InboundToken is a Bearer token issued by our token endpoint. Token is in
// plain text only in the answer to IssueToken.
type InboundToken struct {
	Token     string
	TenantID  int64
	ClientID  string
	ExpiresAt time.Time
}

// InboundStore keeps the credentials iCIMS uses to post events to us.
// Every lookup resolves only live credentials; unknown and expired ones are
// found=false, and an error means the store could not look.
type InboundStore interface {
	// Issue creates a credential of mode for the tenant with a new
	// identifier and secret, and makes the tenant's previous credentials of
	// that mode expire after the grace period.
	Issue(ctx context.Context, tenantID int64, mode InboundMode) (IssuedCredential, error)
	// List returns the tenant's credentials, newest first, without secrets.
	List(ctx context.Context, tenantID int64) ([]InboundCredential, error)
	// Revoke deletes one of the tenant's credentials at once, with the
	// Bearer tokens issued for it.
	Revoke(ctx context.Context, tenantID int64, identifier string) error

	// Password returns the Basic password of a live basic credential.
	Password(ctx context.Context, user string) (string, bool, error)
	// HMACKey returns the key of a live hmac credential.
	HMACKey(ctx context.Context, user string) ([]byte, bool, error)
	// Token returns the client id that holds a live Bearer token.
	Token(ctx context.Context, token string) (string, bool, error)
	// TenantOfIdentifier returns the tenant a live credential belongs to, so
	// an event's customerId can be checked against who authenticated it.
	TenantOfIdentifier(ctx context.Context, identifier string) (int64, bool, error)
	// LiveTenantID returns the installed tenant a live credential belongs
	// to, read afresh in one indexed lookup. Every event makes this read,
	// so that a revoked credential or an uninstall is refused at once, on
	// every instance, whatever verification an instance remembers.
	LiveTenantID(ctx context.Context, identifier string) (int64, bool, error)

	// IssueToken checks a client id and secret against the live oauth
	// credentials and stores a new Bearer token for them. A wrong pair is
	// EUNAUTHORIZED.
	IssueToken(ctx context.Context, clientID, clientSecret string) (InboundToken, error)
}

// identifierAlphabet has no look-alike characters (no 0/o, 1/l/i), since an
// admin may read the identifier off a screen into iCIMS.
const identifierAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewInboundIdentifier returns an identifier such as jc-1234-k3f9q2: the
// customer id makes it easy to recognise in iCIMS and in logs, the random
// part makes each rotation's identifier new. Uniqueness is the store's job.
func NewInboundIdentifier(r io.Reader, customerID string) (string, error) {
	b := make([]byte, 6)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("inbound: random identifier: %w", err)
	}
	for i, v := range b {
		// The bias of v % 31 is irrelevant: uniqueness, not secrecy, is
		// what the identifier needs.
		b[i] = identifierAlphabet[int(v)%len(identifierAlphabet)]
	}
	return "jc-" + customerID + "-" + string(b), nil
}
