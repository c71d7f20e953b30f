package assessments

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// InstallStateTTL is how long an admin has between clicking Install and
// coming back from iCIMS's consent page.
const InstallStateTTL = 15 * time.Minute

// InstallState is one install attempt, bound to the browser that began it.
type InstallState struct {
	StateHash   string
	BrowserHash string
	CustomerID  string
	Region      Region
	Verifier    string // PKCE verifier; the store keeps it sealed
	ExpiresAt   time.Time
	UsedAt      time.Time
}

// InstallStateStore keeps install attempts. Take marks a state used and
// returns it, so a replayed callback finds it gone.
type InstallStateStore interface {
	SaveInstallState(ctx context.Context, s InstallState) error
	TakeInstallState(ctx context.Context, stateHash string, now time.Time) (InstallState, error)
}

// OAuthGrant is what iCIMS's token endpoint returned.
type OAuthGrant struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
	Scopes       []string // nil: the endpoint did not say, so all asked for
	CustomerID   string
}

// OAuthApp is the Marketplace app's side of the authorization-code grant.
type OAuthApp interface {
	AuthCodeURL(state, verifier, customerID string) string
	Exchange(ctx context.Context, code, verifier string) (OAuthGrant, error)
}

// InstallError explains a failed install to the admin: what happened and
// what to do. Retry says whether starting the install again can help.
type InstallError struct {
	Reason string // stable, for logs and tests
	Title  string
	Detail string
	Fix    string
	Retry  bool
	// CustomerID is the customer the install was for, when known, so the
	// page can offer to start again.
	CustomerID string
	Err        error
}

func (e *InstallError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("install: %s: %v", e.Reason, e.Err)
	}
	return "install: " + e.Reason
}

func (e *InstallError) Unwrap() error { return e.Err }

// Reasons an install fails.
const (
	InstallDenied          = "consent_denied"
	InstallStateMissing    = "state_missing"
	InstallStateUnknown    = "state_unknown"
	InstallStateExpired    = "state_expired"
	InstallOtherBrowser    = "state_other_browser"
	InstallCodeRejected    = "code_rejected"
	InstallTokenEndpoint   = "token_endpoint_down"
	InstallCustomerDiffers = "customer_mismatch"
	InstallRegionDiffers   = "region_mismatch"
	InstallBadRequest      = "bad_request"
)

// ExchangeRejected marks an Exchange error where iCIMS refused the code
// (used, expired, or issued to another app), as opposed to not answering.
var ExchangeRejected = errors.New("authorization code rejected")

// Installer runs the Marketplace install: it begins the OAuth round trip
// and completes it into a connected tenant.
type Installer struct {
	App     OAuthApp
	States  InstallStateStore
	Tenants TenantStore
	Clock   Clock
	Random  io.Reader
	// APIURL, when set, is the iCIMS API base every installed tenant uses
	// (the sandbox, or a configured iCIMS); empty means the region's host.
	APIURL string
}

// InstallStart is where to send the browser and the secret to bind it.
type InstallStart struct {
	RedirectURL   string
	BrowserSecret string // set as a short-lived cookie
	State         string
}

// CheckInstallCustomer refuses an install link that does not name an iCIMS
// customer, before anything else is asked of the admin.
func CheckInstallCustomer(customerID string) error {
	if !ValidCustomerID(customerID) {
		return &InstallError{Reason: InstallBadRequest, Title: "The install link is incomplete",
			Detail: "The link from the iCIMS Marketplace did not say which iCIMS customer is installing.",
			Fix:    "Start the install again from the JobCannon listing in the iCIMS Marketplace.", Retry: false}
	}
	return nil
}

// Begin starts an install for an iCIMS customer whose region the admin
// confirmed: iCIMS's Marketplace does not say where a customer is hosted,
// and the first call with the customer's id must go to the right region.
func (in *Installer) Begin(ctx context.Context, customerID string, region Region) (InstallStart, error) {
	if err := CheckInstallCustomer(customerID); err != nil {
		return InstallStart{}, err
	}
	if region != RegionUS && region != RegionEU {
		return InstallStart{}, &InstallError{Reason: InstallBadRequest, Title: "Where is your iCIMS hosted?",
			Detail: "The install needs to know whether your iCIMS is in the US or the EU.",
			Fix:    "Start the install again and choose US or EU.", Retry: true, CustomerID: customerID}
	}
	state, err1 := in.random()
	secret, err2 := in.random()
	verifier, err3 := in.random()
	if err := errors.Join(err1, err2, err3); err != nil {
		return InstallStart{}, fmt.Errorf("install: random: %w", err)
	}
	err := in.States.SaveInstallState(ctx, InstallState{
		StateHash: HashToken(state), BrowserHash: HashToken(secret), CustomerID: customerID, Region: region,
		Verifier: verifier, ExpiresAt: in.Clock.Now().Add(InstallStateTTL),
	})
	if err != nil {
		return InstallStart{}, err
	}
	return InstallStart{RedirectURL: in.App.AuthCodeURL(state, verifier, customerID), BrowserSecret: secret, State: state}, nil
}

// Callback is what iCIMS's redirect brought back.
type Callback struct {
	State            string
	Code             string
	Error            string
	ErrorDescription string
	BrowserSecret    string // from the cookie Begin set; "" if the cookie is gone
}

// Complete checks the callback, exchanges the code and connects the tenant.
// Every failure is an *InstallError that explains itself.
func (in *Installer) Complete(ctx context.Context, cb Callback) (t Tenant, err error) {
	var customerID string
	defer func() {
		var ie *InstallError
		if errors.As(err, &ie) && ie.CustomerID == "" {
			ie.CustomerID = customerID
		}
	}()
	if cb.State == "" {
		return Tenant{}, &InstallError{Reason: InstallStateMissing, Title: "The install could not be verified",
			Detail: "iCIMS sent you back without the security code that ties the install to your browser.",
			Fix:    "Start the install again from the iCIMS Marketplace.", Retry: true}
	}
	st, err := in.States.TakeInstallState(ctx, HashToken(cb.State), in.Clock.Now())
	if ErrorCode(err) == ENOTFOUND {
		return Tenant{}, &InstallError{Reason: InstallStateUnknown, Title: "This install link was already used",
			Detail: "The page you came back to belongs to an install that has finished or was never started here. Reloading or going back in the browser does this.",
			Fix:    "Start the install again from the iCIMS Marketplace.", Retry: true}
	} else if err != nil {
		return Tenant{}, err
	}
	customerID = st.CustomerID
	switch {
	case st.ExpiresAt.Before(in.Clock.Now()):
		return Tenant{}, &InstallError{Reason: InstallStateExpired, Title: "The install took too long",
			Detail: fmt.Sprintf("More than %d minutes passed between clicking Install and approving in iCIMS.", int(InstallStateTTL.Minutes())),
			Fix:    "Start the install again; it takes about a minute.", Retry: true}
	case cb.BrowserSecret == "" || !SecretsEqual(HashToken(cb.BrowserSecret), st.BrowserHash):
		return Tenant{}, &InstallError{Reason: InstallOtherBrowser, Title: "The install was started in another browser",
			Detail: "For your security the install must finish in the browser that started it, with cookies enabled.",
			Fix:    "Start the install again in this browser.", Retry: true}
	case cb.Error == "access_denied":
		return Tenant{}, &InstallError{Reason: InstallDenied, Title: "You declined the permissions",
			Detail: "JobCannon was not installed because the permissions it needs were not approved in iCIMS.",
			Fix:    "To use JobCannon, start the install again and approve the requested permissions.", Retry: true}
	case cb.Error != "":
		return Tenant{}, &InstallError{Reason: InstallBadRequest, Title: "iCIMS did not complete the install",
			Detail: fmt.Sprintf("iCIMS answered %q: %s", cb.Error, cb.ErrorDescription),
			Fix:    "Start the install again. If it keeps failing, send this message to JobCannon support.", Retry: true}
	case cb.Code == "":
		return Tenant{}, &InstallError{Reason: InstallBadRequest, Title: "iCIMS did not complete the install",
			Detail: "iCIMS sent you back without an authorization code.",
			Fix:    "Start the install again from the iCIMS Marketplace.", Retry: true}
	}
	grant, err := in.App.Exchange(ctx, cb.Code, st.Verifier)
	if errors.Is(err, ExchangeRejected) {
		return Tenant{}, &InstallError{Reason: InstallCodeRejected, Title: "iCIMS refused the install code", Err: err,
			Detail: "The one-time code from iCIMS was already used or has expired. This happens when a page is reloaded during the install.",
			Fix:    "Start the install again from the iCIMS Marketplace.", Retry: true}
	} else if err != nil {
		return Tenant{}, &InstallError{Reason: InstallTokenEndpoint, Title: "iCIMS's sign-in service did not answer", Err: err,
			Detail: "We could not reach iCIMS to finish the install. Nothing was changed.",
			Fix:    "Wait a minute and start the install again.", Retry: true}
	}
	if grant.CustomerID != "" && grant.CustomerID != st.CustomerID {
		return Tenant{}, &InstallError{Reason: InstallCustomerDiffers, Title: "The install was approved for another iCIMS account",
			Detail: fmt.Sprintf("The install began for customer %s but iCIMS approved it for customer %s.", st.CustomerID, grant.CustomerID),
			Fix:    "Sign in to iCIMS with the account you want to connect and start the install again.", Retry: false}
	}
	if err := in.checkRegion(ctx, st.CustomerID, st.Region); err != nil {
		return Tenant{}, err
	}
	scopes := grant.Scopes
	if scopes == nil {
		scopes = RequiredScopes()
	}
	slices.Sort(scopes)
	return in.Tenants.Connect(ctx, Connection{
		CustomerID: st.CustomerID, Region: st.Region, APIURL: in.APIURL, AuthMode: AuthOAuth, Scopes: scopes,
		Credentials: Credentials{AccessToken: grant.AccessToken, RefreshToken: grant.RefreshToken, TokenExpiry: grant.Expiry},
	})
}

// checkRegion refuses a re-install that names another region than the
// one the tenant's data lives in: moving it is an operator's decision.
func (in *Installer) checkRegion(ctx context.Context, customerID string, region Region) error {
	existing, err := in.Tenants.TenantByCustomer(ctx, customerID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if err := CheckRegionChange(existing, region); err != nil {
		return &InstallError{Reason: InstallRegionDiffers, Title: "This iCIMS account is connected in another region", Err: err,
			Detail: fmt.Sprintf("JobCannon keeps customer %s's data in the %s region; this install said %s. Nothing was changed: "+
				"a customer's data is never moved between regions by an install.", customerID, existing.Region.Label(), region.Label()),
			Fix:   fmt.Sprintf("Start the install again and choose %s. If your iCIMS has really moved, ask JobCannon support to change the region.", existing.Region.Label()),
			Retry: true}
	}
	return nil
}

func (in *Installer) random() (string, error) { return NewToken(in.Random) }

// SecretsEqual compares two secrets in constant time.
func SecretsEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
