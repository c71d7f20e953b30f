// Package icimstest is an in-process iCIMS: the REST API, the OAuth server,
// the Marketplace and the events iCIMS posts to a vendor, as described in
// /work/shared/icims-contract.md. Tests start it with Start; the service
// mounts Handler under /sandbox/ when the sandbox is on. State lives in
// memory, is seeded (see seed.go) and can be reset.
package icimstest

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Clock tells the time; the simulator reads it for token expiry, outage
// windows, rate-limit windows and HMAC dates, so tests can move time by hand.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now().UTC() }

// Options configures a Sim. Every field is optional.
type Options struct {
	// BaseURL is the public base (scheme and host, no trailing slash) under
	// which /sandbox/ is reachable; Location headers, profile links and event
	// links are built from it. SetBaseURL changes it later.
	BaseURL string
	// Clock defaults to the system clock in UTC.
	Clock Clock
	// Rand drives the random faults (share of 5xx and timeouts); seed it for
	// deterministic tests. It defaults to a fixed seed.
	Rand *rand.Rand
	// HTTPClient posts events to the vendor and fetches the vendor's
	// tokens. It defaults to a client with iCIMS's 30 s timeout.
	HTTPClient *http.Client
	// VendorAuthorizeURL is where the Marketplace's Install button sends
	// the admin, e.g. http://host/oauth/authorize; the installing
	// customer's id is set as its customer_id query parameter.
	VendorAuthorizeURL string
	// Logger defaults to a logger that discards everything.
	Logger *slog.Logger
}

// Sim is the simulated iCIMS. Its methods are safe for concurrent use.
type Sim struct {
	clock  Clock
	client *http.Client
	log    *slog.Logger

	mu           sync.Mutex
	rnd          *rand.Rand
	baseURL      string
	vendorAuthz  string
	customers    map[string]*customer
	customerIDs  []string
	tokens       map[string]*token
	codes        map[string]*authCode
	pending      map[string]*authRequest
	tokenIssues  map[string][]time.Time
	closing      chan struct{}
	closeOnce    sync.Once
	handlerOnce  sync.Once
	handler      http.Handler
	vendorTokens map[string]vendorToken
}

// New returns a simulator holding the seeded customers.
func New(opts Options) *Sim {
	s := &Sim{
		clock:       opts.Clock,
		client:      opts.HTTPClient,
		log:         opts.Logger,
		rnd:         opts.Rand,
		baseURL:     strings.TrimRight(opts.BaseURL, "/"),
		vendorAuthz: opts.VendorAuthorizeURL,
		closing:     make(chan struct{}),
	}
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 30 * time.Second}
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.rnd == nil {
		s.rnd = rand.New(rand.NewPCG(1, 2))
	}
	s.resetLocked()
	return s
}

// Reset puts every customer back to its seeded state and forgets tokens,
// codes, faults, vendor settings, calls and events. The base URL stays.
func (s *Sim) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func (s *Sim) resetLocked() {
	s.customers = map[string]*customer{}
	s.customerIDs = nil
	for _, c := range seedCustomers() {
		s.customers[c.id] = c
		s.customerIDs = append(s.customerIDs, c.id)
	}
	s.tokens = map[string]*token{}
	s.codes = map[string]*authCode{}
	s.pending = map[string]*authRequest{}
	s.tokenIssues = map[string][]time.Time{}
	s.vendorTokens = map[string]vendorToken{}
}

// Close ends requests that hang on the timeout fault, so a server can shut
// down. The simulator stays usable otherwise.
func (s *Sim) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
}

// SetBaseURL sets the public base, for when the port is known only after
// the listener opens.
func (s *Sim) SetBaseURL(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(base, "/")
}

// BaseURL returns the public base the simulator builds links from.
func (s *Sim) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// SetVendorAuthorizeURL changes where the Marketplace's Install button goes.
func (s *Sim) SetVendorAuthorizeURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vendorAuthz = u
}

// APIBase is the API base URL the iCIMS client should use, the simulator's
// stand-in for https://api.icims.com.
func (s *Sim) APIBase() string { return s.BaseURL() + apiPrefix }

// AuthorizeURL is the OAuth authorize endpoint.
func (s *Sim) AuthorizeURL() string { return s.BaseURL() + oauthPrefix + "/authorize" }

// TokenURL is the OAuth token endpoint (code, refresh and client
// credentials grants), the stand-in for https://login.icims.com/oauth/token.
func (s *Sim) TokenURL() string { return s.BaseURL() + oauthPrefix + "/token" }

// RevokeURL is the RFC 7009 token revocation endpoint.
func (s *Sim) RevokeURL() string { return s.BaseURL() + oauthPrefix + "/revoke" }

// MarketplaceURL is the Marketplace page listing the JobCannon app.
func (s *Sim) MarketplaceURL() string { return s.BaseURL() + "/sandbox/marketplace" }

// URL prefixes of the simulator's areas.
const (
	sandboxPrefix = "/sandbox"
	apiPrefix     = "/sandbox/icims/api"
	oauthPrefix   = "/sandbox/icims/oauth"
)

// Handler serves every simulator path, all absolute under /sandbox/.
func (s *Sim) Handler() http.Handler {
	s.handlerOnce.Do(func() { s.handler = s.routes() })
	return s.handler
}

// routes is the one route table of the simulator.
func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()

	// iCIMS REST API: every call passes through apiMiddleware (record,
	// faults, authentication) before its handler.
	mux.Handle(apiPrefix+"/", s.apiMiddleware(s.apiRoutes()))

	// OAuth server.
	mux.HandleFunc("GET "+oauthPrefix+"/authorize", s.handleAuthorize)
	mux.HandleFunc("POST "+oauthPrefix+"/authorize", s.handleConsent)
	mux.HandleFunc("POST "+oauthPrefix+"/token", s.handleToken)
	mux.HandleFunc("POST "+oauthPrefix+"/revoke", s.handleRevoke)

	// Marketplace.
	mux.HandleFunc("GET /sandbox/marketplace", s.handleMarketplace)
	mux.HandleFunc("GET /sandbox/marketplace/install", s.handleMarketplaceInstall)

	// Sandbox UI.
	mux.HandleFunc("GET /sandbox/static/sandbox.css", s.handleCSS)
	mux.HandleFunc("GET /sandbox/{$}", s.handleHome)
	mux.HandleFunc("POST /sandbox/reset", s.handleReset)
	mux.HandleFunc("GET /sandbox/customers/{cid}", s.handleCustomer)
	mux.HandleFunc("GET /sandbox/customers/{cid}/workflows/{wid}", s.handleWorkflow)
	mux.HandleFunc("POST /sandbox/customers/{cid}/workflows/{wid}/move", s.handleWorkflowMove)
	mux.HandleFunc("POST /sandbox/customers/{cid}/workflows/{wid}/complete", s.handleWorkflowComplete)
	mux.HandleFunc("GET /sandbox/customers/{cid}/workflows/{wid}/application-complete", s.handleApplicationComplete)
	mux.HandleFunc("GET /sandbox/customers/{cid}/log", s.handleLog)
	mux.HandleFunc("GET /sandbox/customers/{cid}/faults", s.handleFaultsForm)
	mux.HandleFunc("POST /sandbox/customers/{cid}/faults", s.handleFaultsSave)
	mux.HandleFunc("GET /sandbox/customers/{cid}/vendor", s.handleVendorForm)
	mux.HandleFunc("POST /sandbox/customers/{cid}/vendor", s.handleVendorSave)
	return mux
}

// apiURL is the API URL of a path under a customer, e.g. "people/1001".
func (s *Sim) apiURLLocked(cid, path string) string {
	return s.baseURL + apiPrefix + "/customers/" + url.PathEscape(cid) + "/" + path
}

// sandboxURLLocked is the URL of a sandbox UI page.
func (s *Sim) sandboxURLLocked(path string) string {
	return s.baseURL + sandboxPrefix + path
}
