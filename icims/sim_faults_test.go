package icims_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// TestSimFaultsAreTypedErrors switches on each of the simulator's faults
// and checks the error a caller of the client branches on.
func TestSimFaultsAreTypedErrors(t *testing.T) {
	ctx := context.Background()
	getPerson := func(c *icims.Client) error {
		_, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
		return err
	}
	writeScore := func(c *icims.Client) error {
		_, err := c.PatchPerson(ctx, id(icimstest.USPerson1), map[string]any{icimstest.FieldAssessmentScore: 72})
		return err
	}
	tests := []struct {
		name   string
		faults func(now time.Time) icimstest.Faults
		// timeout is the client's timeout; zero keeps the default.
		timeout time.Duration
		// warmup calls are made, and must succeed, before the one checked.
		warmup    int
		call      func(*icims.Client) error
		want      icims.Kind
		status    int
		code      int
		field     string
		scope     string
		retry     time.Duration
		fault     string // as the simulator records it
		retryable bool
		reauth    bool
	}{
		{name: "rate limit: 429 with Retry-After",
			faults: func(time.Time) icimstest.Faults { return icimstest.Faults{RateLimit: 2} }, warmup: 2, call: getPerson,
			want: icims.RateLimited, status: http.StatusTooManyRequests, code: icims.CodeInternal, retry: time.Minute, fault: "rate_limit", retryable: true},
		{name: "a share of 5xx",
			faults: func(time.Time) icimstest.Faults { return icimstest.Faults{ErrorRate: 1} }, call: getPerson,
			want: icims.Temporary, status: http.StatusInternalServerError, code: icims.CodeInternal, fault: "error", retryable: true},
		{name: "timeout, under the client's timeout",
			faults:  func(time.Time) icimstest.Faults { return icimstest.Faults{TimeoutRate: 1} },
			timeout: 100 * time.Millisecond, call: getPerson,
			want: icims.Temporary, code: icims.CodeNone, fault: "timeout", retryable: true},
		{name: "an answer slower than the client's timeout",
			faults:  func(time.Time) icimstest.Faults { return icimstest.Faults{Latency: time.Minute} },
			timeout: 100 * time.Millisecond, call: getPerson,
			want: icims.Temporary, code: icims.CodeNone, retryable: true},
		{name: "revoked credentials",
			faults: func(time.Time) icimstest.Faults { return icimstest.Faults{RevokeTokens: true} }, call: getPerson,
			want: icims.BadCredentials, status: http.StatusUnauthorized, code: icims.CodeCredentials, reauth: true},
		{name: "no candidate_profile:write",
			faults: func(time.Time) icimstest.Faults {
				return icimstest.Faults{MissingScope: icimstest.ScopeProfileWrite}
			}, call: writeScore,
			want: icims.MissingScope, status: http.StatusForbidden, code: icims.CodeAccessDenied, scope: icimstest.ScopeProfileWrite, reauth: true},
		{name: "deleted scorecard field",
			faults: func(time.Time) icimstest.Faults {
				return icimstest.Faults{DeletedFields: []string{icimstest.FieldAssessmentScore}}
			}, call: writeScore,
			want: icims.InvalidField, status: http.StatusBadRequest, code: icims.CodeInvalid, field: icimstest.FieldAssessmentScore},
		{name: "a required field the patch must fill",
			faults: func(time.Time) icimstest.Faults { return icimstest.Faults{RequiredField: "middlename"} }, call: writeScore,
			want: icims.RequiredField, status: http.StatusBadRequest, code: icims.CodeRequired, field: "middlename"},
		{name: "outage",
			faults: func(now time.Time) icimstest.Faults { return icimstest.Faults{OutageUntil: now.Add(90 * time.Second)} }, call: getPerson,
			want: icims.Temporary, status: http.StatusServiceUnavailable, code: icims.CodeInternal, retry: 90 * time.Second, fault: "outage", retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The simulator's clock stands still, so windows and
			// Retry-After come out exact.
			clock := clocktest.New(simStart)
			srv := icimstest.Start(t, icimstest.Options{Clock: clock})
			require.NoError(t, srv.SetFaults(us, tt.faults(clock.Now())))
			c := newClient(t, srv, us, basicAuth(us), func(cfg *icims.Config) {
				cfg.Timeout = tt.timeout
				cfg.Clock = clock
			})
			for range tt.warmup {
				require.NoError(t, tt.call(c))
			}

			e := requireKind(t, tt.call(c), tt.want)
			assert.Equal(t, tt.status, e.HTTPStatus)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.field, e.Field)
			assert.Equal(t, tt.scope, e.Scope)
			assert.Equal(t, tt.retry, e.RetryAfter)
			assert.NotEmpty(t, e.Message, "iCIMS's message is kept")
			assert.Equal(t, tt.retryable, icims.IsRetryable(e))
			assert.Equal(t, tt.reauth, icims.NeedsReauthorization(e))
			if tt.fault != "" {
				// A call the client gave up on is recorded when the
				// simulator notices, a moment after the client returned.
				assert.Eventually(t, func() bool {
					calls := srv.Calls(us)
					return len(calls) == tt.warmup+1 && calls[tt.warmup].Fault == tt.fault
				}, 5*time.Second, 5*time.Millisecond, "the simulator records the %s fault", tt.fault)
			}
		})
	}
}

// TestSimFaultsClear checks that the required-field and deleted-field faults
// are about the data, not the call: filling the field, or reading, works.
func TestSimFaultsClear(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	c := basicClient(t, srv, us)
	pid := id(icimstest.USPerson5)
	_, err := c.PatchPerson(ctx, pid, map[string]any{icimstest.FieldAssessmentScore: 64})
	require.NoError(t, err)

	require.NoError(t, srv.SetFaults(us, icimstest.Faults{RequiredField: "middlename", DeletedFields: []string{icimstest.FieldAssessmentScore}}))
	_, err = c.PatchPerson(ctx, pid, map[string]any{icimstest.FieldAssessmentVerdict: "Consider", "middlename": "J"})
	require.NoError(t, err, "a patch that fills the required field passes")
	p, err := c.GetPerson(ctx, pid, []string{icimstest.FieldAssessmentScore, icimstest.FieldAssessmentVerdict})
	require.NoError(t, err)
	assert.NotContains(t, p.Fields, icimstest.FieldAssessmentScore, "a deleted field is no longer returned")
	assert.Equal(t, "Consider", p.Fields.String(icimstest.FieldAssessmentVerdict))

	require.NoError(t, srv.SetFaults(us, icimstest.Faults{}))
	p, err = c.GetPerson(ctx, pid, []string{icimstest.FieldAssessmentScore})
	require.NoError(t, err)
	assert.Contains(t, p.Fields, icimstest.FieldAssessmentScore, "the value comes back with the field")
}

// TestSimMissingScopeFromConsent is the missing-scope error reached the
// real way: the admin unticked candidate_profile:write on the consent page.
func TestSimMissingScopeFromConsent(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	g := install(t, srv, marketplace(t, srv), us, icimstest.ScopeProfileWrite)
	assert.NotContains(t, g.Scopes, icimstest.ScopeProfileWrite)
	c := newClient(t, srv, us, icims.NewOAuth(oauth2.StaticTokenSource(tokenOf(g)), tokenOf(g), nil), nil)

	_, err := c.GetPerson(ctx, id(icimstest.USPerson1), nil)
	require.NoError(t, err, "reading needs only candidate_profile:read")
	_, _, err = c.CreatePerson(ctx, map[string]any{"firstname": "No", "lastname": "Scope"})
	e := requireKind(t, err, icims.MissingScope)
	assert.Equal(t, icimstest.ScopeProfileWrite, e.Scope)
	assert.Equal(t, http.StatusForbidden, e.HTTPStatus)
	assert.True(t, icims.NeedsReauthorization(err))
}

// TestSimOtherCustomersAreRefused uses one customer's credentials on the
// other customer's id, and one customer's client on the other's records.
func TestSimOtherCustomersAreRefused(t *testing.T) {
	ctx := context.Background()
	srv := icimstest.Start(t)
	g := install(t, srv, marketplace(t, srv), us)
	creds := map[string]icims.Auth{
		"basic":              basicAuth(us),
		"hmac":               icims.HMAC{User: icimstest.HMACUser(us), Key: icimstest.HMACKey(us)},
		"client credentials": clientCredentials(t, srv, us, srv.Client(), nil),
		"marketplace oauth":  icims.NewOAuth(oauth2.StaticTokenSource(tokenOf(g)), tokenOf(g), nil),
	}
	for name, auth := range creds {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, srv, eu, auth, nil)
			_, err := c.GetPerson(ctx, id(icimstest.EUPerson1), nil)
			requireKind(t, err, icims.BadCredentials)
			assert.Equal(t, http.StatusUnauthorized, lastCall(t, srv, eu).Status)
		})
	}

	t.Run("the other customer's ids are not found", func(t *testing.T) {
		c := basicClient(t, srv, us)
		_, err := c.GetPerson(ctx, id(icimstest.EUPerson1), nil)
		requireKind(t, err, icims.NotFound)
		_, err = c.GetApplicantWorkflow(ctx, id(icimstest.EUWorkflow1), nil)
		requireKind(t, err, icims.NotFound)
		res, err := c.Search(ctx, icims.SearchPeople, icims.SearchQuery{Filters: []icims.SearchFilter{
			{Name: "person.lastname", Value: []string{"Dubois"}, Operator: "="},
		}})
		require.NoError(t, err)
		assert.Empty(t, res)
	})

	t.Run("a Location of the other customer is never called", func(t *testing.T) {
		c := basicClient(t, srv, eu)
		loc, _, err := c.AddAssessmentResult(ctx, id(icimstest.EUWorkflow1), icims.AssessmentResult{Status: &icims.ListNode{ID: icims.StatusSent}})
		require.NoError(t, err)
		before := len(srv.Calls(us))
		_, err = basicClient(t, srv, us).UpdateAssessmentResult(ctx, loc, icims.AssessmentResult{Result: "x"})
		assert.ErrorIs(t, err, icims.ErrForeignLocation)
		assert.Len(t, srv.Calls(us), before)
		assert.True(t, strings.Contains(loc, "/customers/5678/"), loc)
	})
}
