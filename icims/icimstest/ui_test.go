package icimstest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// page GETs a sandbox page and checks it obeys the host's CSP: no inline
// scripts or styles.
func page(t *testing.T, srv *icimstest.Server, path string) response {
	t.Helper()
	r := do(t, srv, noAuth, "GET", path, nil)
	if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		body := strings.ToLower(string(r.body))
		assert.NotContains(t, body, "<script", path)
		assert.NotContains(t, body, "<style", path)
		assert.NotContains(t, body, " style=", path)
		assert.NotContains(t, body, " onclick=", path)
	}
	return r
}

func postForm(t *testing.T, srv *icimstest.Server, path string, form url.Values) *http.Response {
	t.Helper()
	resp, err := noRedirectClient().PostForm(srv.URL+path, form)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

func TestPages(t *testing.T) {
	srv := icimstest.Start(t, icimstest.Options{VendorAuthorizeURL: "https://vendor.example/oauth/authorize?from=marketplace"})
	require.Equal(t, http.StatusCreated, do(t, srv, basicAuth(us), "POST", api(us, "applicantworkflows/3001/fields/assessmentresults"), map[string]any{
		"assessmentname": map[string]any{"id": icimstest.AssessmentBigFive}, "assessmentstatus": map[string]any{"id": icimstest.AssessmentComplete},
		"assessmentscore": 81, "assessmenturl": "https://jobcannon.example/r/1",
	}).status)
	require.Equal(t, http.StatusNoContent, do(t, srv, basicAuth(us), "PATCH", api(us, "people/1001"), map[string]any{"rcf3001": 81, "rcf3002": "Recommended"}).status)

	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/sandbox/", 200, []string{"Acme Corporation", "Beispiel GmbH", "api-1234", "basic-secret-1234", "/sandbox/icims/api", "cc-secret-5678"}},
		{"/sandbox/customers/1234", 200, []string{"Account Executive", "Big Five Work Personality, Reasoning", "Avery Brooks", "parker.moss@example.com", "New Submission"}},
		{"/sandbox/customers/1234/workflows/3001", 200, []string{"Avery Brooks", "Account Executive", "Assessment - Recruiter Review", "Complete", "81", "Recommended", "rcf3001", "https://jobcannon.example/r/1"}},
		{"/sandbox/customers/1234/log", 200, []string{"PATCH", "/sandbox/icims/api/customers/1234/people/1001", "204"}},
		{"/sandbox/customers/1234/faults", 200, []string{"rate_limit", "rcf3001", "candidate_profile:write", "outage_minutes"}},
		{"/sandbox/customers/1234/vendor", 200, []string{"event_url", "hmac_key", "token_url"}},
		{"/sandbox/marketplace", 200, []string{"JobCannon Assessments", "Install", "scorecard:write"}},
		{"/sandbox/customers/9999", 404, []string{"does not exist"}},
		{"/sandbox/customers/1234/workflows/3501", 404, nil},
		{"/sandbox/customers/5678/log", 200, []string{"Beispiel GmbH"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := page(t, srv, tc.path)
			assert.Equal(t, tc.status, r.status)
			for _, w := range tc.want {
				assert.Contains(t, string(r.body), w)
			}
		})
	}
	t.Run("EU log shows no US calls", func(t *testing.T) {
		assert.NotContains(t, string(page(t, srv, "/sandbox/customers/5678/log").body), "/customers/1234/")
	})
	t.Run("stylesheet", func(t *testing.T) {
		r := page(t, srv, "/sandbox/static/sandbox.css")
		assert.Equal(t, http.StatusOK, r.status)
		assert.Contains(t, r.header.Get("Content-Type"), "text/css")
		assert.Contains(t, string(r.body), ".card")
	})
	t.Run("marketplace install", func(t *testing.T) {
		r := page(t, srv, "/sandbox/marketplace/install?customer_id=1234")
		require.Equal(t, http.StatusFound, r.status)
		loc, err := url.Parse(r.header.Get("Location"))
		require.NoError(t, err)
		assert.Equal(t, "vendor.example", loc.Host)
		assert.Equal(t, "/oauth/authorize", loc.Path)
		assert.Equal(t, "1234", loc.Query().Get("customer_id"))
		assert.Equal(t, "marketplace", loc.Query().Get("from"))
		assert.Equal(t, http.StatusBadRequest, page(t, srv, "/sandbox/marketplace/install?customer_id=42").status)
	})
	t.Run("consent page", func(t *testing.T) {
		q := url.Values{"response_type": {"code"}, "client_id": {icimstest.ClientID}, "redirect_uri": {redirectURI},
			"code_challenge": {challengeOf(goodVerifier)}, "code_challenge_method": {"S256"}, "customer_id": {us}, "scope": {"candidate_profile:read"}}
		r := page(t, srv, "/sandbox/icims/oauth/authorize?"+q.Encode())
		assert.Equal(t, http.StatusOK, r.status)
		assert.Contains(t, string(r.body), "Approve")
		assert.Contains(t, string(r.body), "Deny")
		assert.NotContains(t, string(r.body), "scorecard:write", "only the requested scopes are listed")
	})
}

func TestMarketplaceWithoutVendor(t *testing.T) {
	srv := icimstest.Start(t)
	assert.Contains(t, string(page(t, srv, "/sandbox/marketplace").body), "not configured")
	assert.Equal(t, http.StatusServiceUnavailable, page(t, srv, "/sandbox/marketplace/install?customer_id=1234").status)
	srv.SetVendorAuthorizeURL("http://localhost:8080/oauth/authorize")
	r := page(t, srv, "/sandbox/marketplace/install?customer_id=5678")
	assert.Equal(t, "http://localhost:8080/oauth/authorize?customer_id=5678", r.header.Get("Location"))
}

func TestVendorForm(t *testing.T) {
	srv := icimstest.Start(t)
	form := url.Values{"event_url": {"https://vendor.example/icims/events"}, "auth": {"hmac"}, "hmac_user": {"icims"}, "hmac_key": {"k"}}
	resp := postForm(t, srv, "/sandbox/customers/1234/vendor", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, icimstest.VendorSettings{EventURL: "https://vendor.example/icims/events", Auth: "hmac", HMACUser: "icims", HMACKey: "k"}, srv.Vendor(us))
	assert.Contains(t, string(page(t, srv, resp.Header.Get("Location")).body), "Vendor settings saved.")

	resp = postForm(t, srv, "/sandbox/customers/1234/vendor", url.Values{"event_url": {"not a url"}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "k", srv.Vendor(us).HMACKey, "a refused form changes nothing")
	assert.Equal(t, http.StatusNotFound, postForm(t, srv, "/sandbox/customers/42/vendor", form).StatusCode)
}

func TestFaultsForm(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	form := url.Values{
		"rate_limit": {"30"}, "error_percent": {"10"}, "timeout_percent": {"5"}, "latency_ms": {"250"},
		"revoke_tokens": {"on"}, "missing_scope": {"candidate_profile:write"}, "deleted_fields": {"rcf3001"},
		"required_field": {"middlename"}, "outage_minutes": {"2"},
	}
	resp := postForm(t, srv, "/sandbox/customers/1234/faults", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, icimstest.Faults{
		RateLimit: 30, ErrorRate: 0.1, TimeoutRate: 0.05, Latency: 250 * time.Millisecond, RevokeTokens: true,
		MissingScope: "candidate_profile:write", DeletedFields: []string{"rcf3001"}, RequiredField: "middlename",
		OutageUntil: clock.Now().Add(2 * time.Minute),
	}, srv.Faults(us))
	body := string(page(t, srv, "/sandbox/customers/1234/faults").body)
	assert.Contains(t, body, `value="30"`)
	assert.Contains(t, body, "Keep the current outage")

	for name, f := range map[string]url.Values{
		"percent over 100": {"error_percent": {"101"}},
		"shares over 100":  {"error_percent": {"60"}, "timeout_percent": {"50"}},
		"not a number":     {"rate_limit": {"many"}},
	} {
		t.Run(name, func(t *testing.T) {
			resp := postForm(t, srv, "/sandbox/customers/1234/faults", f)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, 30, srv.Faults(us).RateLimit, "a refused form changes nothing")
		})
	}
	resp = postForm(t, srv, "/sandbox/customers/1234/faults", url.Values{})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, icimstest.Faults{}, srv.Faults(us), "an empty form clears every fault")
}

func TestMoveForm(t *testing.T) {
	srv := icimstest.Start(t)
	t.Run("without a vendor", func(t *testing.T) {
		resp := postForm(t, srv, "/sandbox/customers/1234/workflows/3002/move", url.Values{"status": {icimstest.StatusAssessment}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Contains(t, resp.Header.Get("Location"), "/sandbox/customers/1234/workflows/3002?msg=")
		body := string(page(t, srv, resp.Header.Get("Location")).body)
		assert.Contains(t, body, "Moved to Assessment; no event sent")
		st, _ := srv.WorkflowStatus(us, 3002)
		assert.Equal(t, icimstest.StatusAssessment, st)
	})
	t.Run("the vendor's 303 takes the browser along", func(t *testing.T) {
		v := newVendor(t, func(*http.Request, []byte) bool { return true })
		v.answer(http.StatusSeeOther, "https://vendor.example/confirm/1")
		require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: v.URL + "/events"}))
		resp := postForm(t, srv, "/sandbox/customers/1234/workflows/3002/move", url.Values{"status": {icimstest.StatusRecruiterReview}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Equal(t, "https://vendor.example/confirm/1", resp.Header.Get("Location"))
		resp = postForm(t, srv, "/sandbox/customers/1234/workflows/3002/complete", nil)
		assert.Equal(t, "https://vendor.example/confirm/1", resp.Header.Get("Location"))
	})
	t.Run("a 200 comes back to the workflow", func(t *testing.T) {
		v := newVendor(t, func(*http.Request, []byte) bool { return true })
		require.NoError(t, srv.SetVendor(us, icimstest.VendorSettings{EventURL: v.URL + "/events"}))
		resp := postForm(t, srv, "/sandbox/customers/1234/workflows/3002/move", url.Values{"status": {icimstest.StatusInterview}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Contains(t, string(page(t, srv, resp.Header.Get("Location")).body), "the vendor answered 200")
	})
	t.Run("an unknown status is refused", func(t *testing.T) {
		resp := postForm(t, srv, "/sandbox/customers/1234/workflows/3002/move", url.Values{"status": {"C1"}})
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("reset restores the seed", func(t *testing.T) {
		resp := postForm(t, srv, "/sandbox/reset", nil)
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		st, _ := srv.WorkflowStatus(us, 3002)
		assert.Equal(t, icimstest.StatusNewSubmission, st)
		assert.Empty(t, srv.Events(us))
		assert.Equal(t, icimstest.VendorSettings{}, srv.Vendor(us))
	})
}
