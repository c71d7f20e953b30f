package icimstest_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestRateLimit(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	require.NoError(t, srv.SetFaults(us, icimstest.Faults{RateLimit: 5}))
	get := func() response { return do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil) }

	for i := range 5 {
		require.Equal(t, http.StatusOK, get().status, "call %d", i)
	}
	clock.Advance(20 * time.Second)
	r := get()
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "40", r.header.Get("Retry-After"), "the oldest call leaves the window in 40 s")
	assert.JSONEq(t, `{"errors":[{"errorMessage":"Rate limit exceeded.","errorCode":0}]}`, string(r.body))
	assert.Equal(t, "rate_limit", srv.Calls(us)[5].Fault)

	clock.Advance(40 * time.Second)
	assert.Equal(t, http.StatusOK, get().status, "a minute after the first call there is room again")
	assert.Equal(t, 6, srv.MaxCallsInWindow(us, time.Minute), "five calls, then the refused one 20 s later")
	assert.Equal(t, 5, srv.MaxCallsInWindow(us, time.Second))
}

func TestMaxCallsInWindow(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	burst := func(n int) {
		for range n {
			do(t, srv, basicAuth(us), "GET", api(us, "jobs/2001"), nil)
		}
	}
	burst(3)
	clock.Advance(30 * time.Second)
	burst(2)
	clock.Advance(31 * time.Second)
	burst(4)
	assert.Equal(t, 6, srv.MaxCallsInWindow(us, time.Minute))
	assert.Equal(t, 9, srv.MaxCallsInWindow(us, 62*time.Second))
	assert.Equal(t, 4, srv.MaxCallsInWindow(us, time.Second))
	assert.Equal(t, 0, srv.MaxCallsInWindow(eu, time.Minute))
}

func TestErrorRate(t *testing.T) {
	statuses := func(seed uint64, rate float64) []int {
		srv := icimstest.Start(t, icimstest.Options{Rand: rand.New(rand.NewPCG(seed, 7))})
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{ErrorRate: rate}))
		var out []int
		for range 40 {
			out = append(out, do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil).status)
		}
		return out
	}
	t.Run("all", func(t *testing.T) {
		for _, s := range statuses(1, 1) {
			assert.Equal(t, http.StatusInternalServerError, s)
		}
	})
	t.Run("half, deterministic by seed", func(t *testing.T) {
		a := statuses(42, 0.5)
		assert.Equal(t, a, statuses(42, 0.5))
		assert.Contains(t, a, http.StatusOK)
		assert.Contains(t, a, http.StatusInternalServerError)
	})
	t.Run("body", func(t *testing.T) {
		srv := icimstest.Start(t)
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{ErrorRate: 1}))
		r := do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil)
		assert.Equal(t, 0, r.errorCode(t))
		assert.Equal(t, "error", srv.Calls(us)[0].Fault)
	})
}

func TestTimeoutAndLatency(t *testing.T) {
	srv := icimstest.Start(t)
	t.Run("timeout hangs until the client gives up", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{TimeoutRate: 1}))
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+api(us, "people/1001"), nil)
		require.NoError(t, err)
		req.SetBasicAuth(icimstest.BasicUser(us), icimstest.BasicPassword(us))
		start := time.Now()
		_, err = http.DefaultClient.Do(req)
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
		require.Eventually(t, func() bool {
			calls := srv.Calls(us)
			return len(calls) == 1 && calls[0].Fault == "timeout"
		}, 2*time.Second, 10*time.Millisecond, "the hung call is recorded once the client leaves")
	})
	t.Run("latency", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{Latency: 120 * time.Millisecond}))
		start := time.Now()
		r := do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil)
		assert.Equal(t, http.StatusOK, r.status)
		assert.GreaterOrEqual(t, time.Since(start), 120*time.Millisecond)
	})
}

func TestOutage(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	require.NoError(t, srv.SetFaults(us, icimstest.Faults{OutageUntil: clock.Now().Add(5 * time.Minute)}))
	r := do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "300", r.header.Get("Retry-After"))
	assert.Equal(t, 0, r.errorCode(t))
	assert.Equal(t, http.StatusOK, do(t, srv, basicAuth(eu), "GET", api(eu, "people/1501"), nil).status, "another customer is up")
	clock.Advance(5 * time.Minute)
	assert.Equal(t, http.StatusOK, do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil).status)
}

func TestRevokedTokens(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	before := install(t, srv, us)["access_token"].(string)
	ccBefore := ccToken(t, srv, us)
	require.NoError(t, srv.SetFaults(us, icimstest.Faults{RevokeTokens: true}))

	for name, a := range map[string]auth{
		"oauth token": bearer(before), "cc token": bearer(ccBefore),
		"basic": basicAuth(us), "hmac": hmacAuth(us, clock.Now),
	} {
		t.Run(name, func(t *testing.T) {
			r := do(t, srv, a, "GET", api(us, "people/1001"), nil)
			assert.Equal(t, http.StatusUnauthorized, r.status)
			assert.Equal(t, 6, r.errorCode(t))
		})
	}
	t.Run("a new install works", func(t *testing.T) {
		after := install(t, srv, us)["access_token"].(string)
		assert.Equal(t, http.StatusOK, do(t, srv, bearer(after), "GET", api(us, "people/1001"), nil).status)
	})
	t.Run("clearing the fault does not bring old tokens back", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{}))
		assert.Equal(t, http.StatusUnauthorized, do(t, srv, bearer(before), "GET", api(us, "people/1001"), nil).status)
		assert.Equal(t, http.StatusOK, do(t, srv, basicAuth(us), "GET", api(us, "people/1001"), nil).status)
	})
}

func TestWriteFaults(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)
	person := api(us, "people/1004")
	require.Equal(t, http.StatusNoContent, do(t, srv, a, "PATCH", person, map[string]any{"rcf3001": 64}).status)

	t.Run("missing scope", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{MissingScope: icimstest.ScopeProfileWrite}))
		r := do(t, srv, a, "PATCH", person, map[string]any{"rcf3002": "Hold"})
		assert.Equal(t, http.StatusForbidden, r.status)
		assert.Equal(t, "3:Insufficient scope: candidate_profile:write", r.header.Get("X-Error"))
		assert.Equal(t, http.StatusOK, do(t, srv, a, "GET", person, nil).status, "reads still work")
	})
	t.Run("deleted scorecard field", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{DeletedFields: []string{icimstest.FieldAssessmentScore}}))
		r := do(t, srv, a, "PATCH", person, map[string]any{"rcf3001": 70, "rcf3002": "Hold"})
		assert.Equal(t, http.StatusBadRequest, r.status)
		assert.Equal(t, "4:rcf3001: Field is not valid.", r.header.Get("X-Error"))
		m := do(t, srv, a, "GET", person+"?fields=rcf3001,rcf3002", nil).json(t)
		assert.Empty(t, m, "the deleted field is hidden and nothing was written")
		r = do(t, srv, a, "PATCH", person, map[string]any{"rcf3002": "Hold"})
		assert.Equal(t, http.StatusNoContent, r.status, "the other field still works")
	})
	t.Run("required field", func(t *testing.T) {
		require.NoError(t, srv.SetFaults(us, icimstest.Faults{RequiredField: "middlename"}))
		r := do(t, srv, a, "PATCH", person, map[string]any{"rcf3002": "Go"})
		assert.Equal(t, http.StatusBadRequest, r.status)
		assert.Equal(t, "1:middlename: Field is required.", r.header.Get("X-Error"))
		r = do(t, srv, a, "PATCH", person, map[string]any{"rcf3002": "Go", "middlename": "Q"})
		assert.Equal(t, http.StatusNoContent, r.status)
		r = do(t, srv, a, "PATCH", person, map[string]any{"rcf3002": "Go again"})
		assert.Equal(t, http.StatusNoContent, r.status, "once filled, later writes pass")
	})
	t.Run("unknown customer", func(t *testing.T) {
		assert.Error(t, srv.SetFaults("0000", icimstest.Faults{}))
	})
}
