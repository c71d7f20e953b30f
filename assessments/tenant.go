package assessments

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Region is where a tenant's iCIMS data lives; it picks iCIMS's hosts.
type Region string

// Regions iCIMS serves.
const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
)

// ParseRegion accepts "us" or "eu" in any case.
func ParseRegion(s string) (Region, error) {
	switch Region(strings.ToLower(strings.TrimSpace(s))) {
	case RegionUS, "":
		return RegionUS, nil
	case RegionEU:
		return RegionEU, nil
	}
	return "", Errorf(EINVALID, "Region must be us or eu, not %q.", s)
}

// Label names the region and its iCIMS host for people.
func (r Region) Label() string {
	if r == RegionEU {
		return "EU (api-eu.icims.com)"
	}
	return "US (api.icims.com)"
}

// CheckRegionChange refuses to connect an existing tenant in another
// region than the one its data lives in: a re-install or a saved
// connection must never move a customer's data across regions silently.
// Changing the region is an explicit operator action.
func CheckRegionChange(t Tenant, r Region) error {
	if t.Region == "" || t.Region == r {
		return nil
	}
	return Errorf(ECONFLICT, "Customer %s is connected in the %s region and its data is kept there; it cannot be switched to %s here. "+
		"Ask JobCannon support (jobcannon tenant region) if your iCIMS has really moved.", t.CustomerID, t.Region.Label(), r.Label())
}

// AuthMode is how JobCannon authenticates its calls to a tenant's iCIMS.
type AuthMode string

// The modes iCIMS offers: the Marketplace install, or credentials that
// iCIMS issued to the customer ("classic").
const (
	AuthOAuth             AuthMode = "oauth"
	AuthClientCredentials AuthMode = "client_credentials"
	AuthBasic             AuthMode = "basic"
	AuthHMAC              AuthMode = "hmac"
)

// ParseAuthMode accepts the names the CLI and forms use.
func ParseAuthMode(s string) (AuthMode, error) {
	switch m := AuthMode(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")); m {
	case AuthOAuth, AuthClientCredentials, AuthBasic, AuthHMAC:
		return m, nil
	}
	return "", Errorf(EINVALID, "Authentication must be basic, hmac or client-credentials, not %q.", s)
}

// Label names the mode for people.
func (m AuthMode) Label() string {
	switch m {
	case AuthOAuth:
		return "iCIMS Marketplace (OAuth)"
	case AuthClientCredentials:
		return "OAuth client credentials"
	case AuthBasic:
		return "Basic (integration user)"
	case AuthHMAC:
		return "HMAC request signing"
	}
	return "Not connected"
}

// TenantStatus says whether work for a tenant can reach iCIMS.
type TenantStatus string

// Tenant statuses. Work for a tenant that needs re-authorization waits; an
// uninstalled tenant does no work at all.
const (
	TenantActive      TenantStatus = "active"
	TenantNeedsReauth TenantStatus = "needs_reauth"
	TenantUninstalled TenantStatus = "uninstalled"
)

// The OAuth scopes the Marketplace install asks for, and what each unlocks.
const (
	ScopeProfileRead    = "candidate_profile:read"
	ScopeProfileWrite   = "candidate_profile:write"
	ScopeDeliveryWrite  = "assessment_delivery:write"
	ScopeScorecardWrite = "scorecard:write"
)

// RequiredScopes lists the scopes the install asks for, in order.
func RequiredScopes() []string {
	return []string{ScopeProfileRead, ScopeProfileWrite, ScopeDeliveryWrite, ScopeScorecardWrite}
}

// ScopeImpact says, in the words of the vendor's guide, what cannot work
// without a scope, so the dashboard can tell an admin what to re-authorize.
func ScopeImpact(scope string) string {
	switch scope {
	case ScopeProfileRead:
		return "Candidate names and e-mail addresses cannot be read, so no invitation can be sent."
	case ScopeProfileWrite:
		return "Candidate profile write failed (403): scorecard fields on the candidate cannot be updated."
	case ScopeDeliveryWrite:
		return "Assessment status rows (Sent, In-Progress, Complete) cannot be written to iCIMS."
	case ScopeScorecardWrite:
		return "Scorecard fields cannot be written to iCIMS."
	}
	return ""
}

// Tenant is one iCIMS customer that installed JobCannon.
type Tenant struct {
	ID           int64
	CustomerID   string
	Name         string
	Region       Region
	APIURL       string // explicit iCIMS API base (sandbox, tests); empty means the region's host
	AuthMode     AuthMode
	Scopes       []string // granted OAuth scopes; all of them for classic modes
	Status       TenantStatus
	StatusReason string
	// CallsPerMinute and CallsPerDay are the customer's own iCIMS limits,
	// set by an admin when iCIMS gave the customer less than the usual
	// 500 a minute and 10,000 a day; 0 means the usual.
	CallsPerMinute int
	CallsPerDay    int
	InstalledAt    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// TimeZone is the IANA zone the admins read dates in; "UTC" by default.
	TimeZone string
}

// MissingScopes lists the required scopes the tenant was not granted.
func (t Tenant) MissingScopes() []string {
	if t.AuthMode != AuthOAuth {
		return nil
	}
	var missing []string
	for _, s := range RequiredScopes() {
		if !slices.Contains(t.Scopes, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

// Connected reports whether the tenant has credentials to call iCIMS.
func (t Tenant) Connected() bool { return t.AuthMode != "" && t.Status != TenantUninstalled }

// Credentials are the secrets for calling a tenant's iCIMS. They exist in
// memory only; the store keeps them sealed.
type Credentials struct {
	AccessToken  string    `json:"access_token,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenExpiry  time.Time `json:"token_expiry,omitzero"`
	TokenURL     string    `json:"token_url,omitempty"`
	ClientID     string    `json:"client_id,omitempty"`
	ClientSecret string    `json:"client_secret,omitempty"`
	Username     string    `json:"username,omitempty"`
	Password     string    `json:"password,omitempty"`
	HMACUser     string    `json:"hmac_user,omitempty"`
	HMACKey      string    `json:"hmac_key,omitempty"`
}

// Connection is what it takes to connect a tenant: who, where, how.
type Connection struct {
	CustomerID  string
	Name        string
	Region      Region
	APIURL      string
	AuthMode    AuthMode
	Scopes      []string
	Credentials Credentials
}

// Validate checks a connection before it is saved.
func (c Connection) Validate() error {
	if !ValidCustomerID(c.CustomerID) {
		return Errorf(EINVALID, "The iCIMS customer id must be digits, such as 1234.")
	}
	if _, err := ParseRegion(string(c.Region)); err != nil {
		return err
	}
	cr := c.Credentials
	switch c.AuthMode {
	case AuthOAuth:
		if cr.AccessToken == "" {
			return Errorf(EINVALID, "The install did not return an access token.")
		}
	case AuthClientCredentials:
		if cr.ClientID == "" || cr.ClientSecret == "" {
			return Errorf(EINVALID, "Client credentials need a client id and a client secret.")
		}
	case AuthBasic:
		if cr.Username == "" || cr.Password == "" {
			return Errorf(EINVALID, "Basic authentication needs the integration user's name and password.")
		}
	case AuthHMAC:
		if cr.HMACUser == "" || cr.HMACKey == "" {
			return Errorf(EINVALID, "HMAC signing needs the user and the key iCIMS issued.")
		}
	default:
		return Errorf(EINVALID, "Choose how to authenticate: basic, hmac or client-credentials.")
	}
	return nil
}

// CheckCompanyName validates the company name candidates will see.
func CheckCompanyName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "", Errorf(EINVALID, "Enter your company's name as candidates know it.")
	}
	if len(name) > 120 {
		return "", Errorf(EINVALID, "Use at most 120 characters for the company name.")
	}
	return name, nil
}

// ValidCustomerID reports whether s is an iCIMS id in its canonical
// spelling (digits, no leading zero but "0" itself): the edges canonicalize
// ids with icims.CanonicalID, and a stored id in any other spelling would
// defeat every comparison with the ids iCIMS sends.
func ValidCustomerID(s string) bool {
	if s == "" || len(s) > 20 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// TenantStore keeps tenants and their sealed credentials.
type TenantStore interface {
	// Connect creates the tenant for c.CustomerID or updates its connection,
	// keeping everything else it has.
	Connect(ctx context.Context, c Connection) (Tenant, error)
	Tenant(ctx context.Context, id int64) (Tenant, error)
	TenantByCustomer(ctx context.Context, customerID string) (Tenant, error)
	Tenants(ctx context.Context) ([]Tenant, error)
	Credentials(ctx context.Context, tenantID int64) (Credentials, error)
	// SaveToken persists a refreshed OAuth token.
	SaveToken(ctx context.Context, tenantID int64, access, refresh string, expiry time.Time) error
	SetStatus(ctx context.Context, tenantID int64, status TenantStatus, reason string) error
	// SetName sets the company name candidates see in e-mails and pages.
	SetName(ctx context.Context, tenantID int64, name string) error
	// Uninstall deletes the tenant's credentials and stops its work; its
	// history stays until retention removes it.
	Uninstall(ctx context.Context, tenantID int64) error
	// Remove deletes the tenant and everything that belongs to it.
	Remove(ctx context.Context, tenantID int64) error
	// SetCallLimits sets the customer's own iCIMS limits (0: the usual).
	SetCallLimits(ctx context.Context, tenantID int64, perMinute, perDay int) error
	// SetTimeZone sets the IANA zone the admins read dates in.
	SetTimeZone(ctx context.Context, tenantID int64, name string) error
}

// ConnectionCheck is the outcome of one real call to a tenant's iCIMS,
// worded for the admin who pressed "Test connection".
type ConnectionCheck struct {
	OK      bool
	Summary string // one line: what happened
	Fix     string // what to do, when it failed
	Status  int    // HTTP status iCIMS answered, 0 if none
	Latency time.Duration
	At      time.Time
}

// ConnectionTester makes the one call behind "Test connection", and
// revokes what can be revoked when a tenant uninstalls.
type ConnectionTester interface {
	TestConnection(ctx context.Context, t Tenant) ConnectionCheck
	// TestWith tries credentials that are not saved yet.
	TestWith(ctx context.Context, t Tenant, c Credentials) ConnectionCheck
	Revoke(ctx context.Context, t Tenant) error
}
