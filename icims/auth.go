package icims

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Auth adds credentials to a request to iCIMS. body is the exact request
// body, which HMAC signs. Implementations are safe for concurrent use.
type Auth interface {
	Authorize(ctx context.Context, req *http.Request, body []byte) error
}

// invalidator is an Auth that can drop a cached credential iCIMS refused,
// so that the next call fetches a new one.
type invalidator interface {
	Invalidate(req *http.Request)
}

// Basic authenticates with an integration user's name and password.
type Basic struct {
	User     string
	Password string
}

// Authorize implements Auth.
func (b Basic) Authorize(_ context.Context, req *http.Request, _ []byte) error {
	req.SetBasicAuth(b.User, b.Password)
	return nil
}

// HMAC signs requests with iCIMS's x-icims-v1-hmac-sha256 scheme.
type HMAC struct {
	User  string
	Key   []byte
	Clock Clock // nil means SystemClock
}

// Authorize implements Auth.
func (h HMAC) Authorize(_ context.Context, req *http.Request, body []byte) error {
	clock := h.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	return SignHMAC(req, body, h.User, h.Key, clock.Now())
}

// OAuth authenticates with the tokens of a Marketplace install. It wraps a
// token source (typically oauth2.Config.TokenSource over the stored token)
// and hands every token the source did not start with to OnToken, so a
// refreshed access or refresh token is persisted before it is used.
type OAuth struct {
	source  oauth2.TokenSource
	onToken func(context.Context, *oauth2.Token) error

	mu   sync.Mutex
	last string // the access token known to be persisted
}

// NewOAuth returns an OAuth over source; stored is the token the caller
// already persisted (nil if none), and onToken, if not nil, persists a new
// one. If onToken fails, the call fails and the next call tries again.
func NewOAuth(source oauth2.TokenSource, stored *oauth2.Token, onToken func(context.Context, *oauth2.Token) error) *OAuth {
	a := &OAuth{source: source, onToken: onToken}
	if stored != nil {
		a.last = stored.AccessToken
	}
	return a
}

// Authorize implements Auth.
func (a *OAuth) Authorize(ctx context.Context, req *http.Request, _ []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok, err := a.source.Token()
	if err != nil {
		return tokenError("refresh oauth token", err)
	}
	if tok.AccessToken != a.last {
		if a.onToken != nil {
			if err := a.onToken(ctx, tok); err != nil {
				return fmt.Errorf("icims: persist refreshed token: %w", err)
			}
		}
		a.last = tok.AccessToken
	}
	tok.SetAuthHeader(req)
	return nil
}

// tokenError classifies a failure to obtain a token: a refusal by the token
// endpoint means the grant or client is no longer valid; anything else may
// pass.
func tokenError(op string, err error) error {
	e := &Error{Op: op, Kind: Temporary, Code: CodeNone, Err: err}
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case errors.As(err, &re) && re.Response != nil:
		e.HTTPStatus = re.Response.StatusCode
		e.Message = re.ErrorCode
		switch {
		case re.Response.StatusCode == http.StatusTooManyRequests:
			e.Kind = RateLimited
		case re.Response.StatusCode >= 400 && re.Response.StatusCode < 500:
			e.Kind = BadCredentials
		}
	case errors.As(err, &re):
		e.Kind = BadCredentials
		e.Message = re.ErrorCode
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("icims: %s: %w", op, err)
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		e.Kind = Temporary
	}
	return e
}

// expiryMargin renews a token this long before it expires, so that it does
// not expire in flight.
const expiryMargin = time.Minute
