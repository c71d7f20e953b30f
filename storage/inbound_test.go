package storage_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

type inboundFixture struct {
	db      *storage.DB
	clock   *clocktest.Clock
	store   *storage.InboundStore
	tenants *storage.TenantStore
}

func newInboundFixture(t *testing.T) inboundFixture {
	t.Helper()
	env := storetest.New(t, storetest.At(testNow))
	db, clock, keys := env.DB, env.Clock, env.Keyring
	return inboundFixture{
		db: db, clock: clock,
		store:   storage.NewInboundStore(db, keys, clock, rand.Reader, 0),
		tenants: storage.NewTenantStore(db, keys, clock),
	}
}

func (f inboundFixture) tenant(t *testing.T, customerID string) int64 {
	t.Helper()
	tn, err := f.tenants.Connect(context.Background(), assessments.Connection{
		CustomerID: customerID, Region: assessments.RegionUS, AuthMode: assessments.AuthBasic,
		Credentials: assessments.Credentials{Username: "api", Password: "outbound-password"},
	})
	require.NoError(t, err)
	return tn.ID
}

func (f inboundFixture) issue(t *testing.T, tenantID int64, mode assessments.InboundMode) assessments.IssuedCredential {
	t.Helper()
	c, err := f.store.Issue(context.Background(), tenantID, mode)
	require.NoError(t, err)
	return c
}

func TestInboundIssueGivesNewIdentifierAndSecret(t *testing.T) {
	f := newInboundFixture(t)
	tenant := f.tenant(t, "1234")
	seen := map[string]bool{}
	for _, mode := range []assessments.InboundMode{assessments.InboundBasic, assessments.InboundHMAC, assessments.InboundOAuth} {
		t.Run(string(mode), func(t *testing.T) {
			c := f.issue(t, tenant, mode)
			assert.Equal(t, mode, c.Mode)
			assert.Equal(t, tenant, c.TenantID)
			assert.Regexp(t, `^jc-1234-[2-9a-z]{6}$`, c.Identifier)
			assert.Len(t, c.Secret, 43, "256 bits in base64url")
			assert.True(t, c.CreatedAt.Equal(testNow))
			assert.True(t, c.ExpiresAt.IsZero())
			assert.True(t, c.GraceUntil.IsZero(), "nothing was rotated")
			assert.NotContains(t, c.String(), c.Secret)
			assert.False(t, seen[c.Identifier])
			seen[c.Identifier] = true
		})
	}

	list, err := f.store.List(context.Background(), tenant)
	require.NoError(t, err)
	assert.Len(t, list, 3)
}

func TestInboundIssueRefusesBadInput(t *testing.T) {
	f := newInboundFixture(t)
	tenant := f.tenant(t, "1234")
	_, err := f.store.Issue(context.Background(), tenant, "kerberos")
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	_, err = f.store.Issue(context.Background(), tenant+100, assessments.InboundBasic)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
}

// lookups runs every lookup for one identifier and reports which found it.
func lookups(t *testing.T, s *storage.InboundStore, identifier string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	_, basic, err := s.Password(ctx, identifier)
	require.NoError(t, err)
	_, hmac, err := s.HMACKey(ctx, identifier)
	require.NoError(t, err)
	_, tenant, err := s.TenantOfIdentifier(ctx, identifier)
	require.NoError(t, err)
	return map[string]bool{"password": basic, "hmac": hmac, "tenant": tenant}
}

func TestInboundLookups(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	basic := f.issue(t, tenant, assessments.InboundBasic)
	hmac := f.issue(t, tenant, assessments.InboundHMAC)
	oauth := f.issue(t, tenant, assessments.InboundOAuth)

	pw, found, err := f.store.Password(ctx, basic.Identifier)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, basic.Secret, pw)
	key, found, err := f.store.HMACKey(ctx, hmac.Identifier)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, []byte(hmac.Secret), key)
	owner, found, err := f.store.TenantOfIdentifier(ctx, oauth.Identifier)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, tenant, owner)

	cases := []struct {
		name       string
		identifier string
		want       map[string]bool
	}{
		{"basic answers only the password lookup", basic.Identifier, map[string]bool{"password": true, "hmac": false, "tenant": true}},
		{"hmac answers only the key lookup", hmac.Identifier, map[string]bool{"password": false, "hmac": true, "tenant": true}},
		{"oauth has neither password nor key", oauth.Identifier, map[string]bool{"password": false, "hmac": false, "tenant": true}},
		{"unknown", "jc-1234-zzzzzz", map[string]bool{"password": false, "hmac": false, "tenant": false}},
		{"empty", "", map[string]bool{"password": false, "hmac": false, "tenant": false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, lookups(t, f.store, c.identifier))
		})
	}
}

func TestInboundRotationKeepsTheOldCredentialForTheGrace(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	old := f.issue(t, tenant, assessments.InboundBasic)
	hmac := f.issue(t, tenant, assessments.InboundHMAC)

	f.clock.Advance(time.Hour)
	rotated := f.issue(t, tenant, assessments.InboundBasic)
	graceEnd := testNow.Add(time.Hour + assessments.DefaultInboundGrace)
	assert.NotEqual(t, old.Identifier, rotated.Identifier, "a rotation makes a new identifier")
	assert.NotEqual(t, old.Secret, rotated.Secret)
	assert.True(t, rotated.GraceUntil.Equal(graceEnd), "grace until %v", rotated.GraceUntil)

	list, err := f.store.List(ctx, tenant)
	require.NoError(t, err)
	expires := map[string]time.Time{}
	for _, c := range list {
		expires[c.Identifier] = c.ExpiresAt
	}
	assert.True(t, expires[old.Identifier].Equal(graceEnd))
	assert.True(t, expires[rotated.Identifier].IsZero())
	assert.True(t, expires[hmac.Identifier].IsZero(), "rotating basic leaves hmac alone")

	// A second rotation inside the grace does not extend the first one's.
	f.clock.Advance(time.Hour)
	third := f.issue(t, tenant, assessments.InboundBasic)
	assert.True(t, third.GraceUntil.Equal(testNow.Add(2*time.Hour+assessments.DefaultInboundGrace)))

	steps := []struct {
		name    string
		advance time.Duration
		oldLive bool
	}{
		{"just before the grace ends", assessments.DefaultInboundGrace - time.Hour - time.Second, true},
		{"when the grace ends", time.Second, false},
		{"a day later", 24 * time.Hour, false},
	}
	// The clock is at testNow+2h; the old credential ends at testNow+25h.
	for _, st := range steps {
		f.clock.Advance(st.advance)
		t.Run(st.name, func(t *testing.T) {
			assert.Equal(t, st.oldLive, lookups(t, f.store, old.Identifier)["password"])
			assert.Equal(t, st.oldLive, lookups(t, f.store, old.Identifier)["tenant"])
			assert.True(t, lookups(t, f.store, third.Identifier)["password"], "the newest stays live")
			assert.True(t, lookups(t, f.store, hmac.Identifier)["hmac"])
		})
	}

	// The next rotation clears credentials that can no longer verify.
	f.issue(t, tenant, assessments.InboundBasic)
	list, err = f.store.List(ctx, tenant)
	require.NoError(t, err)
	for _, c := range list {
		assert.NotEqual(t, old.Identifier, c.Identifier, "expired credentials are dropped")
	}
}

func TestInboundGraceIsConfigurable(t *testing.T) {
	f := newInboundFixture(t)
	store := storage.NewInboundStore(f.db, storetest.NewKeyring(t), f.clock, rand.Reader, 10*time.Minute)
	tenant := f.tenant(t, "1234")
	_, err := store.Issue(context.Background(), tenant, assessments.InboundHMAC)
	require.NoError(t, err)
	again, err := store.Issue(context.Background(), tenant, assessments.InboundHMAC)
	require.NoError(t, err)
	assert.True(t, again.GraceUntil.Equal(testNow.Add(10*time.Minute)))
}

func TestInboundTokens(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	client := f.issue(t, tenant, assessments.InboundOAuth)
	basic := f.issue(t, tenant, assessments.InboundBasic)

	tok, err := f.store.IssueToken(ctx, client.Identifier, client.Secret)
	require.NoError(t, err)
	assert.Equal(t, tenant, tok.TenantID)
	assert.Equal(t, client.Identifier, tok.ClientID)
	assert.Len(t, tok.Token, 43)
	assert.True(t, tok.ExpiresAt.Equal(testNow.Add(24*time.Hour)))

	user, found, err := f.store.Token(ctx, tok.Token)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, client.Identifier, user)

	refused := []struct{ name, id, secret string }{
		{"wrong secret", client.Identifier, basic.Secret},
		{"unknown client", "jc-1234-zzzzzz", client.Secret},
		{"a basic credential is not a client", basic.Identifier, basic.Secret},
		{"empty secret", client.Identifier, ""},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.store.IssueToken(ctx, c.id, c.secret)
			assert.Equal(t, assessments.EUNAUTHORIZED, assessments.ErrorCode(err))
		})
	}
	for _, tokenText := range []string{"", "not-a-token", client.Secret} {
		_, found, err := f.store.Token(ctx, tokenText)
		require.NoError(t, err)
		assert.False(t, found, "token %q", tokenText)
	}

	f.clock.Advance(24*time.Hour - time.Second)
	_, found, err = f.store.Token(ctx, tok.Token)
	require.NoError(t, err)
	assert.True(t, found, "valid until its expiry")
	f.clock.Advance(time.Second)
	_, found, err = f.store.Token(ctx, tok.Token)
	require.NoError(t, err)
	assert.False(t, found, "expired")
}

func TestInboundTokensDieWithTheirCredential(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	client := f.issue(t, tenant, assessments.InboundOAuth)

	// Rotated after an hour, so the old client's grace ends at +25h; a
	// token it fetches at +2h would last until +26h, but an expired
	// credential's tokens stop with it.
	f.clock.Advance(time.Hour)
	rotated := f.issue(t, tenant, assessments.InboundOAuth)
	f.clock.Advance(time.Hour)
	tok, err := f.store.IssueToken(ctx, client.Identifier, client.Secret)
	require.NoError(t, err, "the old client still gets tokens during the grace")
	f.clock.Advance(assessments.DefaultInboundGrace - time.Hour - time.Minute)
	_, found, err := f.store.Token(ctx, tok.Token)
	require.NoError(t, err)
	assert.True(t, found)
	f.clock.Advance(time.Minute)
	_, found, err = f.store.Token(ctx, tok.Token)
	require.NoError(t, err)
	assert.False(t, found)
	_, err = f.store.IssueToken(ctx, client.Identifier, client.Secret)
	assert.Equal(t, assessments.EUNAUTHORIZED, assessments.ErrorCode(err))

	fresh, err := f.store.IssueToken(ctx, rotated.Identifier, rotated.Secret)
	require.NoError(t, err)
	require.NoError(t, f.store.Revoke(ctx, tenant, rotated.Identifier))
	_, found, err = f.store.Token(ctx, fresh.Token)
	require.NoError(t, err)
	assert.False(t, found, "revoking removes the tokens")
}

func TestInboundRevokeIsScopedByTenant(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	a, b := f.tenant(t, "1111"), f.tenant(t, "2222")
	cred := f.issue(t, a, assessments.InboundBasic)

	err := f.store.Revoke(ctx, b, cred.Identifier)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "another tenant's credential is not found")
	assert.True(t, lookups(t, f.store, cred.Identifier)["password"])
	listB, err := f.store.List(ctx, b)
	require.NoError(t, err)
	assert.Empty(t, listB)

	require.NoError(t, f.store.Revoke(ctx, a, cred.Identifier))
	assert.False(t, lookups(t, f.store, cred.Identifier)["password"])
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(f.store.Revoke(ctx, a, cred.Identifier)))
}

func TestInboundCredentialsGoWithTheirTenant(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	cred := f.issue(t, tenant, assessments.InboundHMAC)
	require.NoError(t, f.tenants.Remove(ctx, tenant))
	assert.False(t, lookups(t, f.store, cred.Identifier)["hmac"])
}

func TestInboundSecretsAreNotStoredInPlainText(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	var plain []string
	for _, mode := range []assessments.InboundMode{assessments.InboundBasic, assessments.InboundHMAC, assessments.InboundOAuth} {
		plain = append(plain, f.issue(t, tenant, mode).Secret)
	}
	client := f.issue(t, tenant, assessments.InboundOAuth)
	tok, err := f.store.IssueToken(ctx, client.Identifier, client.Secret)
	require.NoError(t, err)
	plain = append(plain, client.Secret, tok.Token)
	require.NoError(t, f.db.Close())

	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(f.db.Path() + suffix)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, p := range plain {
			assert.False(t, bytes.Contains(b, []byte(p)), "a secret is in %s", f.db.Path()+suffix)
		}
	}
}

func TestInboundSealedSecretsAreBoundToTheirIdentifier(t *testing.T) {
	f := newInboundFixture(t)
	ctx := context.Background()
	tenant := f.tenant(t, "1234")
	a := f.issue(t, tenant, assessments.InboundBasic)
	b := f.issue(t, f.tenant(t, "5678"), assessments.InboundBasic)
	_, err := f.db.W.ExecContext(ctx, `UPDATE inbound_credentials
		SET secret_sealed = (SELECT secret_sealed FROM inbound_credentials WHERE identifier = ?) WHERE identifier = ?`,
		a.Identifier, b.Identifier)
	require.NoError(t, err)
	_, _, err = f.store.Password(ctx, b.Identifier)
	assert.ErrorIs(t, err, secrets.ErrInvalid, "a sealed password copied to another credential does not open")
}

// scriptedReader returns its chunks in order, then zeros.
type scriptedReader struct{ chunks [][]byte }

func (r *scriptedReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		clear(p)
		return len(p), nil
	}
	n := copy(p, r.chunks[0])
	r.chunks[0] = r.chunks[0][n:]
	if len(r.chunks[0]) == 0 {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

func TestInboundIdentifierCollisionPicksAnother(t *testing.T) {
	f := newInboundFixture(t)
	tenant := f.tenant(t, "1234")
	secret := bytes.Repeat([]byte{7}, 32)
	same, other := []byte{1, 2, 3, 4, 5, 6}, []byte{9, 9, 9, 9, 9, 9}
	r := &scriptedReader{chunks: [][]byte{secret, same, secret, same, other}}
	store := storage.NewInboundStore(f.db, storetest.NewKeyring(t), f.clock, r, 0)

	first, err := store.Issue(context.Background(), tenant, assessments.InboundBasic)
	require.NoError(t, err)
	second, err := store.Issue(context.Background(), tenant, assessments.InboundBasic)
	require.NoError(t, err)
	assert.NotEqual(t, first.Identifier, second.Identifier)
	assert.True(t, strings.HasPrefix(second.Identifier, "jc-1234-"))

	// With every identifier taken, Issue gives up instead of looping.
	_, err = store.Issue(context.Background(), tenant, assessments.InboundBasic)
	require.NoError(t, err, "zeros make one more fresh identifier")
	_, err = store.Issue(context.Background(), tenant, assessments.InboundBasic)
	assert.ErrorContains(t, err, "no free identifier")
}
