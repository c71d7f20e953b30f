package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
)

// countingInbound is an InboundStore with one Basic user, one HMAC user
// and one Bearer token, counting lookups of secrets and of live tenants.
type countingInbound struct {
	assessments.InboundStore
	password string
	revoked  bool
	lookups  int
	live     int
}

func (s *countingInbound) Password(_ context.Context, user string) (string, bool, error) {
	s.lookups++
	return s.password, user == "jc-1-basic" && s.password != "", nil
}

func (s *countingInbound) HMACKey(_ context.Context, user string) ([]byte, bool, error) {
	s.lookups++
	return []byte("key"), user == "jc-1-hmac", nil
}

func (s *countingInbound) Token(_ context.Context, token string) (string, bool, error) {
	s.lookups++
	return "jc-1-oauth", token == "tok", nil
}

func (s *countingInbound) LiveTenantID(_ context.Context, id string) (int64, bool, error) {
	s.live++
	return 1, !s.revoked, nil
}

type countingTenants struct {
	assessments.TenantStore
	lookups int
}

func (s *countingTenants) Tenant(_ context.Context, id int64) (assessments.Tenant, error) {
	s.lookups++
	return assessments.Tenant{ID: id, CustomerID: "1234"}, nil
}

func TestEventAuthRemembersOnlySuccessesForItsTTL(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := clocktest.New(now)
	inbound, tenants := &countingInbound{password: "pw"}, &countingTenants{}
	auth := NewEventAuth(inbound, tenants, clock, 5*time.Second)
	post := func(sign func(*http.Request)) (assessments.Tenant, error) {
		req := httptest.NewRequest(http.MethodPost, "/icims/events", nil)
		sign(req)
		tenant, _, err := auth.Authenticate(req, []byte("{}"), clock.Now())
		return tenant, err
	}
	basic := func(pw string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth("jc-1-basic", pw) }
	}

	tenant, err := post(basic("pw"))
	require.NoError(t, err)
	assert.Equal(t, "1234", tenant.CustomerID)
	first, live := inbound.lookups+tenants.lookups, inbound.live
	for range 10 {
		_, err = post(basic("pw"))
		require.NoError(t, err)
	}
	assert.Equal(t, first, inbound.lookups+tenants.lookups, "a burst opens no secret and reads no tenant again")
	assert.Equal(t, live+10, inbound.live, "each event reads its live tenant once")

	_, err = post(basic("wrong"))
	var ae *icims.AuthError
	require.ErrorAs(t, err, &ae, "another password is checked, not taken from the cache")

	// Revoked (or the tenant uninstalled), on this instance or another:
	// refused at once, though the password was verified a moment ago.
	inbound.revoked = true
	_, err = post(basic("pw"))
	require.ErrorAs(t, err, &ae)
	inbound.revoked = false
	// A password changed in the store is checked again once the TTL ends.
	inbound.password = ""
	clock.Advance(5 * time.Second)
	_, err = post(basic("pw"))
	require.ErrorAs(t, err, &ae)

	// HMAC signs every request anew: the key lookup is what is remembered.
	hmac := func(r *http.Request) {
		require.NoError(t, icims.SignHMAC(r, []byte("{}"), "jc-1-hmac", []byte("key"), clock.Now()))
	}
	_, err = post(hmac)
	require.NoError(t, err)
	before := inbound.lookups
	_, err = post(hmac)
	require.NoError(t, err)
	assert.Equal(t, before, inbound.lookups)

	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer tok") }
	_, err = post(bearer)
	require.NoError(t, err)
	_, err = post(func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") })
	require.ErrorAs(t, err, &ae)
}
