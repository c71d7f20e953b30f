package assessments

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Failed-attempt limits of the token endpoint, per client id: a burst of
// tokenFailureBurst failures, then one more each tokenFailureRefill.
const (
	tokenFailureBurst  = 10
	tokenFailureRefill = time.Minute
	// maxClientIDLength is far above our identifiers (jc-<customer>-xxxxxx);
	// longer ids are refused before any lookup.
	maxClientIDLength = 128
)

// InboundTokenIssuer answers OAuth client-credentials requests from iCIMS:
// it checks the client through the store and limits failed attempts per
// client id.
//
// The limit is kept in a RateLimitStore shared by every instance, so
// alternating instances buys no extra attempts. It is not what stops
// guessing, since secrets are 256-bit random; it exists to stop a
// misconfigured or hostile client from hammering the database. Once a
// client id is over the limit its requests are refused unchecked until it
// refills, so a flood of wrong secrets can delay the real client's next
// token by a few minutes; iCIMS keeps using its current token meanwhile.
type InboundTokenIssuer struct {
	store    InboundStore
	failures *Limiter
	clock    Clock
}

// NewInboundTokenIssuer returns an InboundTokenIssuer that counts failures
// in limits.
func NewInboundTokenIssuer(store InboundStore, limits RateLimitStore, clock Clock) *InboundTokenIssuer {
	return &InboundTokenIssuer{store: store, clock: clock,
		failures: NewLimiter(limits, RateLimit{Name: "inbound-token", Burst: tokenFailureBurst, Every: tokenFailureRefill})}
}

// Exchange returns a new Bearer token for a client id and secret. A wrong
// or expired pair is EUNAUTHORIZED; a client id with too many recent
// failures is ETOOMANY (see RetryAfter).
func (i *InboundTokenIssuer) Exchange(ctx context.Context, clientID, clientSecret string) (InboundToken, error) {
	if clientID == "" || clientSecret == "" || len(clientID) > maxClientIDLength {
		return InboundToken{}, Errorf(EUNAUTHORIZED, "Unknown client or wrong client secret.")
	}
	wait, err := i.RetryAfter(ctx, clientID)
	if err != nil {
		return InboundToken{}, err
	}
	if wait > 0 {
		return InboundToken{}, Errorf(ETOOMANY, "Too many failed attempts for this client; try again in %d seconds.", seconds(wait))
	}
	tok, err := i.store.IssueToken(ctx, clientID, clientSecret)
	if ErrorCode(err) == EUNAUTHORIZED {
		if _, ferr := i.failures.Allow(ctx, i.clock.Now(), clientID); ferr != nil {
			return InboundToken{}, fmt.Errorf("inbound token: count failure: %w", ferr)
		}
	}
	return tok, err
}

// RetryAfter is how long a client id must wait before its next attempt is
// checked; zero when it may try now.
func (i *InboundTokenIssuer) RetryAfter(ctx context.Context, clientID string) (time.Duration, error) {
	wait, err := i.failures.RetryAfter(ctx, i.clock.Now(), clientID)
	if err != nil {
		return 0, fmt.Errorf("inbound token: retry after: %w", err)
	}
	return wait, nil
}

func seconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
