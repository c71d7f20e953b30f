package assessments

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed-attempt limits of the token endpoint, per client id: a burst of
// tokenFailureBurst failures, then one more each tokenFailureRefill.
const (
	tokenFailureBurst  = 10
	tokenFailureRefill = time.Minute
	// maxTrackedClients bounds the memory an attacker can make us spend by
	// inventing client ids.
	maxTrackedClients = 10000
	// maxClientIDLength is far above our identifiers (jc-<customer>-xxxxxx);
	// longer ids are refused before any lookup.
	maxClientIDLength = 128
)

// InboundTokenIssuer answers OAuth client-credentials requests from iCIMS:
// it checks the client through the store and limits failed attempts per
// client id.
//
// The limit is kept in memory, per process: a restart forgets it, and
// several instances each keep their own. That is enough against guessing,
// since secrets are 256-bit random; it exists to stop a misconfigured or
// hostile client from hammering the database. Once a client id is over the
// limit its requests are refused unchecked until it refills, so a flood of
// wrong secrets can delay the real client's next token by a few minutes;
// iCIMS keeps using its current token meanwhile.
type InboundTokenIssuer struct {
	store InboundStore
	clock Clock

	mu       sync.Mutex
	failures map[string]*rate.Limiter
}

// NewInboundTokenIssuer returns an InboundTokenIssuer.
func NewInboundTokenIssuer(store InboundStore, clock Clock) *InboundTokenIssuer {
	return &InboundTokenIssuer{store: store, clock: clock, failures: map[string]*rate.Limiter{}}
}

// Exchange returns a new Bearer token for a client id and secret. A wrong
// or expired pair is EUNAUTHORIZED; a client id with too many recent
// failures is ETOOMANY (see RetryAfter).
func (i *InboundTokenIssuer) Exchange(ctx context.Context, clientID, clientSecret string) (InboundToken, error) {
	if clientID == "" || clientSecret == "" || len(clientID) > maxClientIDLength {
		return InboundToken{}, Errorf(EUNAUTHORIZED, "Unknown client or wrong client secret.")
	}
	if wait := i.RetryAfter(clientID); wait > 0 {
		return InboundToken{}, Errorf(ETOOMANY, "Too many failed attempts for this client; try again in %d seconds.", seconds(wait))
	}
	tok, err := i.store.IssueToken(ctx, clientID, clientSecret)
	if ErrorCode(err) == EUNAUTHORIZED {
		i.recordFailure(clientID)
	}
	return tok, err
}

// RetryAfter is how long a client id must wait before its next attempt is
// checked; zero when it may try now.
func (i *InboundTokenIssuer) RetryAfter(clientID string) time.Duration {
	i.mu.Lock()
	defer i.mu.Unlock()
	lim, ok := i.failures[clientID]
	if !ok {
		return 0
	}
	tokens := lim.TokensAt(i.clock.Now())
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(tokenFailureRefill))
}

func (i *InboundTokenIssuer) recordFailure(clientID string) {
	now := i.clock.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	lim, ok := i.failures[clientID]
	if !ok {
		if len(i.failures) >= maxTrackedClients {
			i.forgetRefilled(now)
		}
		if len(i.failures) >= maxTrackedClients {
			// Every tracked id is failing right now: keep the ones we have
			// rather than grow without bound.
			return
		}
		lim = rate.NewLimiter(rate.Every(tokenFailureRefill), tokenFailureBurst)
		i.failures[clientID] = lim
	}
	lim.AllowN(now, 1)
}

// forgetRefilled drops the ids whose limiters are full again: they carry no
// memory of past failures.
func (i *InboundTokenIssuer) forgetRefilled(now time.Time) {
	for id, lim := range i.failures {
		if lim.TokensAt(now) >= tokenFailureBurst {
			delete(i.failures, id)
		}
	}
}

func seconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
