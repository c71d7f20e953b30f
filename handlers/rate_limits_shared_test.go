package handlers

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/static"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// The tests here run two handler stacks, each on its own connections to
// one database, as two serve processes behind a load balancer would: an
// attacker who alternates between them must find one budget.

// newLoginInstance is the sign-in handler of one instance on db.
func newLoginInstance(t *testing.T, db *storage.DB, kr *secrets.Keyring, clock *clocktest.Clock) *echo.Echo {
	t.Helper()
	assets, err := static.New()
	require.NoError(t, err)
	h := &Admin{
		Shared:   &Shared{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Assets: assets, Clock: clock},
		Accounts: assessments.NewAccounts(storage.NewAdminStore(db, clock), clock, rand.Reader, bcrypt.MinCost),
		Logins:   NewLoginLimits(storage.NewRateLimits(db, kr)),
	}
	e := echo.New()
	e.POST("/admin/login", h.AdminLogin)
	return e
}

func postLogin(e *echo.Echo, ip, email string) *httptest.ResponseRecorder {
	form := url.Values{"email": {email}, "password": {"guess"}}
	req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestLoginLimitIsSharedAcrossInstances(t *testing.T) {
	env := storetest.New(t)
	a := newLoginInstance(t, env.DB, env.Keyring, env.Clock)
	b := newLoginInstance(t, env.Reopen(t), env.Keyring, env.Clock)

	// Five wrong guesses at one account, each from a new address, on A.
	for i, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"} {
		require.Equal(t, http.StatusUnauthorized, postLogin(a, ip, "ops@acme.example").Code, "guess %d on A", i+1)
	}
	rec := postLogin(b, "192.0.2.6", "OPS@acme.example")
	assert.Equal(t, http.StatusTooManyRequests, rec.Code, "the sixth, on B, counts A's five")
	assert.Contains(t, rec.Body.String(), "Too many sign-in attempts")

	assert.Equal(t, http.StatusUnauthorized, postLogin(b, "198.51.100.7", "hr@acme.example").Code,
		"another account from another address is not slowed")

	env.Clock.Advance(3 * time.Minute)
	assert.Equal(t, http.StatusUnauthorized, postLogin(b, "192.0.2.7", "ops@acme.example").Code,
		"three minutes give the account one more attempt")
	assert.Equal(t, http.StatusTooManyRequests, postLogin(a, "192.0.2.8", "ops@acme.example").Code, "and only one")
}

func TestLoginLimitPerAddressIsSharedAcrossInstances(t *testing.T) {
	env := storetest.New(t)
	a := newLoginInstance(t, env.DB, env.Keyring, env.Clock)
	b := newLoginInstance(t, env.Reopen(t), env.Keyring, env.Clock)
	// One address guessing a different account each time, alternating.
	for i := range 5 {
		e := []*echo.Echo{a, b}[i%2]
		require.Equal(t, http.StatusUnauthorized, postLogin(e, "203.0.113.9", "user"+string(rune('a'+i))+"@acme.example").Code)
	}
	assert.Equal(t, http.StatusTooManyRequests, postLogin(b, "203.0.113.9", "new@acme.example").Code)
}

func TestTokenEndpointFailuresAreSharedAcrossInstances(t *testing.T) {
	f := newTokenFixture(t)
	env := f.env
	second := env.Reopen(t)
	other := tokenFixture{e: echo.New(), client: f.client}
	h := &Install{
		Shared: &Shared{Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		InboundTokens: assessments.NewInboundTokenIssuer(storage.NewInboundStore(second, env.Keyring, env.Clock, rand.Reader, 0),
			storage.NewRateLimits(second, env.Keyring), env.Clock),
	}
	other.e.POST("/oauth/token", h.OAuthToken)

	bad := tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, user: f.client.Identifier, secret: "wrong"}
	for i := range 10 {
		inst := []tokenFixture{f, other}[i%2]
		require.Equal(t, http.StatusUnauthorized, inst.post(t, bad).Code, "failure %d, alternating instances", i+1)
	}
	good := tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, user: f.client.Identifier, secret: f.client.Secret}
	for _, inst := range []tokenFixture{f, other} {
		rec := inst.post(t, good)
		assert.Equal(t, http.StatusTooManyRequests, rec.Code, "ten failures over both instances spend the one budget")
		assert.Equal(t, "60", rec.Header().Get("Retry-After"))
	}

	env.Clock.Advance(30 * time.Second)
	assert.Equal(t, "30", other.post(t, good).Header().Get("Retry-After"), "the wait shrinks with the clock")
	env.Clock.Advance(30 * time.Second)
	assert.Equal(t, http.StatusOK, other.post(t, good).Code, "a minute later the right secret works")
}
