package handlers

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// DefaultEventAuthTTL is how long a verified secret (a Basic password, a
// Bearer token, an HMAC key) is remembered without opening it again.
// Whether the credential is still live and its tenant installed is read on
// every event, so a revocation or an uninstall does not wait for it.
const DefaultEventAuthTTL = 5 * time.Second

// maxEventAuthEntries bounds the memory the cache may take: past it, the
// cache starts afresh.
const maxEventAuthEntries = 10000

// EventAuth authenticates iCIMS's event deliveries with the tenants'
// inbound credentials and says which tenant sent them. iCIMS posts events
// in bursts with the same credentials, so it remembers for a few seconds
// the costly part, the secrets it verified: a Basic password or Bearer
// token (by its hash, never in plain text) and an HMAC key. Only successes
// are remembered; every failure looks again. What may change at any moment
// on any instance (the credential revoked, the tenant uninstalled) is never
// remembered: each event reads the credential's live, installed tenant in
// one indexed lookup of a single integer. The tenant's details (name,
// region) are remembered for the TTL.
type EventAuth struct {
	Inbound assessments.InboundStore
	Tenants assessments.TenantStore
	Clock   assessments.Clock
	TTL     time.Duration

	mu       sync.Mutex
	verified map[[32]byte]cached[icims.InboundCredentials]
	keys     map[string]cached[[]byte]
	tenants  map[int64]cached[assessments.Tenant]
}

type cached[T any] struct {
	v       T
	expires time.Time
}

// NewEventAuth returns an EventAuth that trusts what it found for ttl
// (DefaultEventAuthTTL when zero; negative disables the cache).
func NewEventAuth(inbound assessments.InboundStore, tenants assessments.TenantStore, clock assessments.Clock, ttl time.Duration) *EventAuth {
	if ttl == 0 {
		ttl = DefaultEventAuthTTL
	}
	a := &EventAuth{Inbound: inbound, Tenants: tenants, Clock: clock, TTL: ttl}
	a.reset()
	return a
}

func (a *EventAuth) reset() {
	a.verified = map[[32]byte]cached[icims.InboundCredentials]{}
	a.keys = map[string]cached[[]byte]{}
	a.tenants = map[int64]cached[assessments.Tenant]{}
}

// Authenticate checks r's credentials (wire is the body as received, which
// HMAC signs) and returns the tenant they belong to, with the credentials
// it accepted (never a secret): for HMAC they say which canonical layout
// and body hash matched, which the handler logs. Refusals are
// *icims.AuthError; other errors mean a lookup failed.
func (a *EventAuth) Authenticate(r *http.Request, wire []byte, now time.Time) (assessments.Tenant, icims.InboundCredentials, error) {
	ctx := r.Context()
	creds, err := a.identify(r, wire, now)
	if err != nil {
		return assessments.Tenant{}, icims.InboundCredentials{}, err
	}
	tenantID, found, err := a.Inbound.LiveTenantID(ctx, creds.User)
	if err != nil {
		return assessments.Tenant{}, icims.InboundCredentials{}, err
	}
	if !found {
		// Revoked, expired or uninstalled since the secret was verified.
		return assessments.Tenant{}, icims.InboundCredentials{}, &icims.AuthError{Reason: icims.ReasonUnknownCredentials}
	}
	tenant, err := a.tenant(ctx, tenantID)
	return tenant, creds, err
}

func (a *EventAuth) tenant(ctx context.Context, id int64) (assessments.Tenant, error) {
	if t, ok := get(a, tenantsMap, id); ok {
		return t, nil
	}
	t, err := a.Tenants.Tenant(ctx, id)
	if err != nil {
		return t, err
	}
	put(a, tenantsMap, id, t)
	return t, nil
}

// identify returns the credential r carries, its secret left out; its User
// is the credential's identifier.
func (a *EventAuth) identify(r *http.Request, wire []byte, now time.Time) (icims.InboundCredentials, error) {
	header := r.Header.Get("Authorization")
	// Basic and Bearer send the secret itself: the same header verifies
	// the same way until the TTL ends. HMAC signs each request anew.
	reusable := !strings.HasPrefix(strings.ToLower(strings.TrimSpace(header)), icims.HMACScheme)
	key := sha256.Sum256([]byte(header))
	if reusable {
		if c, ok := get(a, verifiedMap, key); ok {
			return c, nil
		}
	}
	auth := icims.InboundAuth{Password: a.Inbound.Password, HMACKey: a.hmacKey, Token: a.Inbound.Token}
	creds, err := auth.Authenticate(r, wire, now)
	if err != nil {
		return icims.InboundCredentials{}, err
	}
	if reusable {
		put(a, verifiedMap, key, creds)
	}
	return creds, nil
}

func (a *EventAuth) hmacKey(ctx context.Context, user string) ([]byte, bool, error) {
	if k, ok := get(a, keysMap, user); ok {
		return k, true, nil
	}
	k, found, err := a.Inbound.HMACKey(ctx, user)
	if err == nil && found {
		put(a, keysMap, user, k)
	}
	return k, found, err
}

// get and put take the map by a selector, read under the lock, since a
// reset replaces the maps.
func get[K comparable, V any](a *EventAuth, m func(*EventAuth) map[K]cached[V], k K) (V, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := m(a)[k]
	if !ok || !a.Clock.Now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func put[K comparable, V any](a *EventAuth, m func(*EventAuth) map[K]cached[V], k K, v V) {
	if a.TTL < 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.verified)+len(a.keys)+len(a.tenants) >= maxEventAuthEntries {
		a.reset()
	}
	m(a)[k] = cached[V]{v: v, expires: a.Clock.Now().Add(a.TTL)}
}

func verifiedMap(a *EventAuth) map[[32]byte]cached[icims.InboundCredentials] { return a.verified }
func keysMap(a *EventAuth) map[string]cached[[]byte]                         { return a.keys }
func tenantsMap(a *EventAuth) map[int64]cached[assessments.Tenant]           { return a.tenants }
