package assessments

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

func TestParseInboundMode(t *testing.T) {
	cases := []struct {
		in   string
		want InboundMode
		ok   bool
	}{
		{"basic", InboundBasic, true},
		{" HMAC ", InboundHMAC, true},
		{"OAuth", InboundOAuth, true},
		{"client-credentials", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseInboundMode(c.in)
			if !c.ok {
				assert.Equal(t, EINVALID, ErrorCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestNewInboundIdentifier(t *testing.T) {
	id, err := NewInboundIdentifier(rand.Reader, "1234")
	require.NoError(t, err)
	assert.Regexp(t, `^jc-1234-[2-9a-hjkmnp-z]{6}$`, id)

	a, err := NewInboundIdentifier(bytes.NewReader([]byte{0, 1, 2, 3, 4, 5}), "9")
	require.NoError(t, err)
	assert.Equal(t, "jc-9-234567", a)

	_, err = NewInboundIdentifier(bytes.NewReader(nil), "9")
	assert.Error(t, err, "a failing random source is an error, not a weak identifier")
}

func TestInboundCredentialLive(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	assert.True(t, InboundCredential{}.Live(now), "never rotated")
	assert.True(t, InboundCredential{ExpiresAt: now.Add(time.Second)}.Live(now))
	assert.False(t, InboundCredential{ExpiresAt: now}.Live(now))
}

func TestIssuedCredentialStringHidesTheSecret(t *testing.T) {
	c := IssuedCredential{InboundCredential: InboundCredential{Mode: InboundBasic, Identifier: "jc-1-abcdef"}, Secret: "s3cret-value"}
	assert.NotContains(t, c.String(), "s3cret-value")
	assert.Contains(t, c.String(), "jc-1-abcdef")
}

// tokenStore answers IssueToken for one client and counts the lookups.
type tokenStore struct {
	InboundStore
	clientID, secret string
	calls            int
}

func (s *tokenStore) IssueToken(_ context.Context, clientID, secret string) (InboundToken, error) {
	s.calls++
	if clientID == s.clientID && secret == s.secret {
		return InboundToken{Token: "t", ClientID: clientID}, nil
	}
	return InboundToken{}, Errorf(EUNAUTHORIZED, "Unknown client or wrong client secret.")
}

func TestInboundTokenIssuerLimitsFailuresPerClient(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	store := &tokenStore{clientID: "jc-1-aaaaaa", secret: "right"}
	issuer := NewInboundTokenIssuer(store, newMemoryRateLimits(), clock)
	retryAfter := func(clientID string) time.Duration {
		wait, err := issuer.RetryAfter(ctx, clientID)
		require.NoError(t, err)
		return wait
	}

	for i := range tokenFailureBurst {
		_, err := issuer.Exchange(ctx, "jc-1-aaaaaa", "wrong")
		require.Equal(t, EUNAUTHORIZED, ErrorCode(err), "attempt %d", i+1)
	}
	_, err := issuer.Exchange(ctx, "jc-1-aaaaaa", "right")
	assert.Equal(t, ETOOMANY, ErrorCode(err), "over the limit even the right secret waits")
	assert.Equal(t, tokenFailureBurst, store.calls, "refused without a lookup")
	assert.Equal(t, tokenFailureRefill, retryAfter("jc-1-aaaaaa"))
	assert.Zero(t, retryAfter("jc-2-bbbbbb"), "other clients are not affected")

	_, err = issuer.Exchange(ctx, "jc-2-bbbbbb", "wrong")
	assert.Equal(t, EUNAUTHORIZED, ErrorCode(err))

	clock.Advance(tokenFailureRefill / 2)
	assert.Equal(t, tokenFailureRefill/2, retryAfter("jc-1-aaaaaa"))
	clock.Advance(tokenFailureRefill / 2)
	tok, err := issuer.Exchange(ctx, "jc-1-aaaaaa", "right")
	require.NoError(t, err, "after the refill the client may try again")
	assert.Equal(t, "t", tok.Token)
}

func TestInboundTokenIssuerRefusesMalformedClients(t *testing.T) {
	store := &tokenStore{clientID: "a", secret: "b"}
	issuer := NewInboundTokenIssuer(store, newMemoryRateLimits(), clocktest.New(time.Now().UTC()))
	for _, c := range []struct{ id, secret string }{{"", "b"}, {"a", ""}, {string(bytes.Repeat([]byte("x"), 200)), "b"}} {
		_, err := issuer.Exchange(context.Background(), c.id, c.secret)
		assert.Equal(t, EUNAUTHORIZED, ErrorCode(err))
	}
	assert.Zero(t, store.calls)
}
