package icimsadapter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims"
)

// PoolConfig is what a Pool needs.
type PoolConfig struct {
	Tenants assessments.TenantStore
	// Marketplace refreshes OAuth tokens; nil when the install is not
	// configured (then OAuth tenants cannot refresh).
	Marketplace *icims.Marketplace
	// TokenURL overrides the client-credentials token endpoint (sandbox).
	TokenURL string
	// RevokeURL is the OAuth revocation endpoint, if iCIMS offers one.
	RevokeURL  string
	HTTPClient *http.Client
	Clock      icims.Clock
	Limits     icims.PacerConfig
	// Paces keeps every tenant's pacer state in the database, so that all
	// instances of the service share one pace per customer; required.
	Paces PaceStores
	Log   *slog.Logger
	// Observe, when set, is told of every call made for a tenant.
	Observe func(ctx context.Context, tenantID int64, c icims.Call)
	// AssessmentListNames are the names of the iCIMS custom lists packages
	// are mapped to (default: Assessment Type, Assessment Name).
	AssessmentListNames []string
}

// PaceStores hands out the store of a tenant's pacer state; *storage.DB
// is one.
type PaceStores interface {
	TenantPace(tenantID int64) icims.PaceStore
}

// DefaultMaxPaceWait is the longest a call waits in the tenant's pacer
// before it is handed back as RateLimited with a Retry-After: the queue's
// workers are shared by every customer, so a customer held by iCIMS for a
// minute must not hold them; its jobs snooze instead.
const DefaultMaxPaceWait = 5 * time.Second

// Pool builds iCIMS clients for tenants from their stored connection: the
// right auth mode, one pacer per tenant shared by every client, refreshed
// OAuth tokens persisted, and a refused credential turned into a tenant
// that needs re-authorization.
type Pool struct {
	cfg PoolConfig

	mu     sync.Mutex
	pacers map[int64]*icims.Pacer
	cc     map[string]*icims.ClientCredentials // by tenant and credential
	types  typeCache
}

// NewPool returns a Pool.
func NewPool(cfg PoolConfig) *Pool {
	if cfg.Paces == nil {
		panic("icimsadapter: NewPool without PoolConfig.Paces: pacing needs the database")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: icims.DefaultTimeout}
	}
	if cfg.Clock == nil {
		cfg.Clock = icims.SystemClock{}
	}
	if cfg.Limits.PerMinute == 0 {
		// A burst of 1 keeps every sliding minute under iCIMS's 500 calls,
		// whatever window iCIMS counts in: the seed's "bursts to 1,000"
		// is not documented by iCIMS, and a bucket with burst B lets
		// B+499 calls into one minute. 490 rather than 500 leaves room
		// for network jitter, which at exactly the limit drew a few 429s
		// from the simulator's strict sliding window.
		cfg.Limits = icims.PacerConfig{PerMinute: 490, Burst: 1, DailyQuota: 10_000}
	}
	if cfg.Limits.MaxWait == 0 {
		cfg.Limits.MaxWait = DefaultMaxPaceWait
	}
	cfg.Limits.Clock = cfg.Clock
	return &Pool{cfg: cfg, pacers: map[int64]*icims.Pacer{}, cc: map[string]*icims.ClientCredentials{},
		types: typeCache{m: map[int64]assessments.AssessmentLists{}}}
}

// Client returns a client for the tenant's iCIMS. Its credentials are
// read for every client, so that a rotated secret or refreshed token is
// used by the next call; within WithBatchClients' context they are read
// once per tenant.
func (p *Pool) Client(ctx context.Context, t assessments.Tenant) (*icims.Client, error) {
	if !t.Connected() {
		return nil, assessments.Errorf(assessments.EUNAVAILABLE, "Customer %s is not connected to iCIMS.", t.CustomerID)
	}
	batch, _ := ctx.Value(batchClientsKey{}).(*batchClients)
	if batch != nil {
		batch.mu.Lock()
		defer batch.mu.Unlock()
		if c, ok := batch.clients[t.ID]; ok {
			return c, nil
		}
	}
	creds, err := p.cfg.Tenants.Credentials(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	c, err := p.clientWith(t, creds)
	if err == nil && batch != nil {
		batch.clients[t.ID] = c
	}
	return c, err
}

type batchClientsKey struct{}

// batchClients are the clients a batch of work built, by tenant.
type batchClients struct {
	mu      sync.Mutex
	clients map[int64]*icims.Client
}

// WithBatchClients returns a context in which Pool.Client builds each
// tenant's client once and hands the same one out again: the deliveries
// of a batch, processed together, read their tenant's credentials once
// rather than once each. Use it for work that lasts seconds, not minutes,
// since the clients keep the credentials they were built with.
func WithBatchClients(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchClientsKey{}, &batchClients{clients: map[int64]*icims.Client{}})
}

func (p *Pool) clientWith(t assessments.Tenant, creds assessments.Credentials) (*icims.Client, error) {
	auth, err := p.auth(t, creds)
	if err != nil {
		return nil, err
	}
	var observer icims.Observer
	if p.cfg.Observe != nil {
		observer = func(ctx context.Context, c icims.Call) { p.cfg.Observe(ctx, t.ID, c) }
	}
	return icims.New(icims.Config{
		CustomerID: t.CustomerID, Region: string(t.Region), BaseURL: t.APIURL, Auth: auth,
		Pacer: p.pacer(t), HTTPClient: p.cfg.HTTPClient, Clock: p.cfg.Clock, Observer: observer,
	})
}

// pacer returns the tenant's one pacer in this process, set to the limits
// an admin gave the tenant: the tenant is read afresh for every client, so
// a changed limit takes effect with the next call, without a restart. Its
// state is in the database, shared with the tenant's pacers in other
// instances.
func (p *Pool) pacer(t assessments.Tenant) *icims.Pacer {
	p.mu.Lock()
	pc, ok := p.pacers[t.ID]
	if !ok {
		pc = icims.NewPacer(p.cfg.Paces.TenantPace(t.ID), p.cfg.Limits)
		p.pacers[t.ID] = pc
	}
	p.mu.Unlock()
	perMinute, perDay := p.cfg.Limits.PerMinute, p.cfg.Limits.DailyQuota
	if t.CallsPerMinute > 0 {
		perMinute = t.CallsPerMinute
	}
	if t.CallsPerDay > 0 {
		perDay = t.CallsPerDay
	}
	pc.SetLimits(perMinute, perDay)
	return pc
}

// CallPace implements assessments.CallPacer: how fast the tenant's iCIMS
// is being called now, and whether iCIMS asked for a pause.
func (p *Pool) CallPace(t assessments.Tenant) assessments.CallPace {
	s := p.pacer(t).State()
	return assessments.CallPace{PerMinute: s.Limit, Pace: s.Pace, HeldUntil: s.HeldUntil, LastLimited: s.LastLimited,
		UsedToday: s.Used, DailyQuota: s.Quota}
}

func (p *Pool) auth(t assessments.Tenant, c assessments.Credentials) (icims.Auth, error) {
	switch t.AuthMode {
	case assessments.AuthBasic:
		return icims.Basic{User: c.Username, Password: c.Password}, nil
	case assessments.AuthHMAC:
		return icims.HMAC{User: c.HMACUser, Key: []byte(c.HMACKey), Clock: p.cfg.Clock}, nil
	case assessments.AuthClientCredentials:
		return p.clientCredentials(t, c)
	case assessments.AuthOAuth:
		if p.cfg.Marketplace == nil {
			return nil, errors.New("icimsadapter: the Marketplace app is not configured, so OAuth tokens cannot be used")
		}
		stored := &oauth2.Token{AccessToken: c.AccessToken, RefreshToken: c.RefreshToken, Expiry: c.TokenExpiry, TokenType: "Bearer"}
		// Refreshes outlive the call that triggers them: the source is
		// built on a background context with the pool's HTTP client.
		source := p.cfg.Marketplace.TokenSource(context.Background(), stored)
		tenantID := t.ID
		return icims.NewOAuth(source, stored, func(ctx context.Context, tok *oauth2.Token) error {
			return p.cfg.Tenants.SaveToken(ctx, tenantID, tok.AccessToken, tok.RefreshToken, tok.Expiry)
		}), nil
	}
	return nil, fmt.Errorf("icimsadapter: tenant %s has no auth mode", t.CustomerID)
}

// clientCredentials keeps one token cache per tenant and credential, since
// iCIMS throttles clients that ask for many tokens.
func (p *Pool) clientCredentials(t assessments.Tenant, c assessments.Credentials) (icims.Auth, error) {
	sum := sha256.Sum256([]byte(c.ClientID + "\x00" + c.ClientSecret + "\x00" + c.TokenURL))
	key := fmt.Sprintf("%d:%s", t.ID, hex.EncodeToString(sum[:8]))
	p.mu.Lock()
	defer p.mu.Unlock()
	if cc, ok := p.cc[key]; ok {
		return cc, nil
	}
	tokenURL := c.TokenURL
	if tokenURL == "" {
		tokenURL = p.cfg.TokenURL
	}
	cc, err := icims.NewClientCredentials(icims.ClientCredentialsConfig{
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, Region: string(t.Region), TokenURL: tokenURL,
		HTTPClient: p.cfg.HTTPClient, Clock: p.cfg.Clock,
	})
	if err != nil {
		return nil, err
	}
	p.cc[key] = cc
	return cc, nil
}

// Failed records what a refused call means for the tenant: a credential
// iCIMS no longer accepts pauses the tenant's work until an admin
// re-authorizes. It returns err unchanged.
func (p *Pool) Failed(ctx context.Context, t assessments.Tenant, err error) error {
	var ie *icims.Error
	if !errors.As(err, &ie) || ie.Kind != icims.BadCredentials {
		return err
	}
	reason := "iCIMS refused JobCannon's credentials (401)."
	if t.AuthMode == assessments.AuthOAuth {
		reason = "OAuth token expired: iCIMS refused the token (401)."
	}
	if serr := p.cfg.Tenants.SetStatus(ctx, t.ID, assessments.TenantNeedsReauth, reason); serr != nil {
		p.cfg.Log.ErrorContext(ctx, "mark tenant for re-authorization", "customer_id", t.CustomerID, "err", serr)
	} else {
		p.cfg.Log.WarnContext(ctx, "tenant needs re-authorization", "customer_id", t.CustomerID, "reason", reason)
	}
	return err
}

// TestConnection implements assessments.ConnectionTester with one cheap
// read, the names of the customer's lists, using the stored connection. A
// refused credential marks the tenant for re-authorization.
func (p *Pool) TestConnection(ctx context.Context, t assessments.Tenant) assessments.ConnectionCheck {
	client, err := p.Client(ctx, t)
	check := p.check(ctx, t, client, err)
	if !check.OK && check.Status == http.StatusUnauthorized {
		_ = p.Failed(ctx, t, &icims.Error{Kind: icims.BadCredentials})
	}
	return check
}

// TestWith implements assessments.ConnectionTester: the same call with
// credentials that are not saved yet. It changes nothing.
func (p *Pool) TestWith(ctx context.Context, t assessments.Tenant, creds assessments.Credentials) assessments.ConnectionCheck {
	client, err := p.clientWith(t, creds)
	return p.check(ctx, t, client, err)
}

func (p *Pool) check(ctx context.Context, t assessments.Tenant, client *icims.Client, err error) assessments.ConnectionCheck {
	start := p.cfg.Clock.Now()
	check := assessments.ConnectionCheck{At: start}
	if err != nil {
		check.Summary = assessments.ErrorMessage(err)
		if assessments.ErrorCode(err) == assessments.EINTERNAL {
			check.Summary = "JobCannon could not use the stored connection: " + err.Error()
		}
		check.Fix = "Enter the connection again, or re-install from the iCIMS Marketplace."
		return check
	}
	lists, err := client.GetLists(ctx)
	check.Latency = p.cfg.Clock.Now().Sub(start)
	if err == nil {
		check.OK, check.Status = true, http.StatusOK
		check.Summary = fmt.Sprintf("iCIMS customer %s answered in %d ms and shows %d lists.", t.CustomerID, check.Latency.Milliseconds(), len(lists))
		return check
	}
	return explain(t, check, err)
}

func explain(t assessments.Tenant, check assessments.ConnectionCheck, err error) assessments.ConnectionCheck {
	var ie *icims.Error
	if !errors.As(err, &ie) {
		check.Summary = "The call failed: " + err.Error()
		check.Fix = "Try again in a minute."
		return check
	}
	check.Status = ie.HTTPStatus
	switch ie.Kind {
	case icims.BadCredentials:
		check.Summary = fmt.Sprintf("iCIMS refused the credentials (%d): %s", ie.HTTPStatus, ie.Message)
		if t.AuthMode == assessments.AuthOAuth {
			check.Fix = "OAuth token expired: re-authorize from the iCIMS Marketplace."
		} else {
			check.Fix = "Check the credentials iCIMS issued and enter them again."
		}
	case icims.MissingScope:
		check.Summary = fmt.Sprintf("iCIMS refused the call for lack of the %s permission (403).", ie.Scope)
		check.Fix = "Re-authorize from the iCIMS Marketplace and approve every requested permission."
	case icims.NotFound, icims.AccessDenied:
		check.Summary = fmt.Sprintf("iCIMS does not show customer %s to these credentials (%d).", t.CustomerID, ie.HTTPStatus)
		check.Fix = "Check the customer id, and that the integration user may see this customer."
	case icims.RateLimited, icims.QuotaExhausted:
		check.Summary = "iCIMS's rate limit for this customer is used up for now."
		check.Fix = fmt.Sprintf("Try again in %s.", ie.RetryAfter.Round(time.Second))
	default:
		check.Summary = fmt.Sprintf("iCIMS did not answer normally (%s).", ie.Error())
		check.Fix = "Try again in a minute. If it keeps failing, check iCIMS's status page."
	}
	return check
}

// Revoke asks iCIMS to revoke the tenant's OAuth tokens (RFC 7009), when a
// revocation endpoint is configured. Other modes hold credentials iCIMS
// issued to the customer; only the customer can revoke those.
func (p *Pool) Revoke(ctx context.Context, t assessments.Tenant) error {
	if t.AuthMode != assessments.AuthOAuth || p.cfg.RevokeURL == "" || p.cfg.Marketplace == nil {
		return nil
	}
	creds, err := p.cfg.Tenants.Credentials(ctx, t.ID)
	if err != nil {
		return err
	}
	var errs []error
	for _, tok := range []string{creds.RefreshToken, creds.AccessToken} {
		if tok != "" {
			errs = append(errs, p.cfg.Marketplace.Revoke(ctx, p.cfg.RevokeURL, tok))
		}
	}
	return errors.Join(errs...)
}
