package icimstest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

const eu = icimstest.CustomerEU

const badCredentials = `{"errors":[{"errorMessage":"Invalid Username or Password credentials provided.","errorCode":6}]}`

func TestAuthModes(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	code := install(t, srv, us)["access_token"].(string)
	cc := ccToken(t, srv, us)

	modes := []struct {
		name string
		auth auth
	}{
		{"basic", basicAuth(us)},
		{"hmac", hmacAuth(us, clock.Now)},
		{"bearer", bearer(code)},
		{"bearer", bearer(cc)},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv.ClearLog(us)
			r := do(t, srv, m.auth, "GET", api(us, "people/1001?fields=firstname"), nil)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			r = do(t, srv, m.auth, "PATCH", api(us, "people/1001"), map[string]any{"rcf3002": "Mode " + m.name})
			require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
			calls := srv.Calls(us)
			require.Len(t, calls, 2)
			assert.Equal(t, m.name, calls[1].Auth)
			assert.Equal(t, "PATCH", calls[1].Method)
			assert.Equal(t, "/sandbox/icims/api/customers/1234/people/1001", calls[1].Path)
			assert.Equal(t, http.StatusNoContent, calls[1].Status)
			assert.Equal(t, clock.Now(), calls[1].Time)
		})
	}

	refused := []struct {
		name string
		auth auth
	}{
		{"no credentials", noAuth},
		{"wrong password", func(t *testing.T, req *http.Request, _ []byte) {
			req.SetBasicAuth(icimstest.BasicUser(us), "guess")
		}},
		{"unknown token", bearer("not-a-token")},
		{"hmac with the wrong key", func(t *testing.T, req *http.Request, body []byte) {
			require.NoError(t, icims.SignHMAC(req, body, icimstest.HMACUser(us), []byte("wrong"), clock.Now()))
		}},
		{"hmac six minutes old", func(t *testing.T, req *http.Request, body []byte) {
			require.NoError(t, icims.SignHMAC(req, body, icimstest.HMACUser(us), icimstest.HMACKey(us), clock.Now().Add(-6*time.Minute)))
		}},
		{"hmac body changed after signing", func(t *testing.T, req *http.Request, body []byte) {
			require.NoError(t, icims.SignHMAC(req, []byte(`{"firstname":"Other"}`), icimstest.HMACUser(us), icimstest.HMACKey(us), clock.Now()))
		}},
		{"refresh token used as access token", bearer(install(t, srv, us)["refresh_token"].(string))},
	}
	for _, tc := range refused {
		t.Run("refused "+tc.name, func(t *testing.T) {
			r := do(t, srv, tc.auth, "PATCH", api(us, "people/1001"), map[string]any{"firstname": "Mallory"})
			assert.Equal(t, http.StatusUnauthorized, r.status)
			assert.JSONEq(t, badCredentials, string(r.body))
			assert.Equal(t, "6:Invalid Username or Password credentials provided.", r.header.Get("X-Error"))
		})
	}
	fields, err := srv.PersonFields(us, 1001)
	require.NoError(t, err)
	assert.Equal(t, "Avery", fields["firstname"], "no refused call wrote anything")
}

func TestCustomerIsolation(t *testing.T) {
	clock := newClock()
	srv := icimstest.Start(t, icimstest.Options{Clock: clock})
	usToken := ccToken(t, srv, us)
	usCode := install(t, srv, us)["access_token"].(string)

	for name, a := range map[string]auth{
		"basic":       basicAuth(us),
		"hmac":        hmacAuth(us, clock.Now),
		"cc token":    bearer(usToken),
		"oauth token": bearer(usCode),
	} {
		t.Run("US "+name+" cannot read EU", func(t *testing.T) {
			r := do(t, srv, a, "GET", api(eu, "people/1501"), nil)
			assert.Equal(t, http.StatusUnauthorized, r.status)
			assert.JSONEq(t, badCredentials, string(r.body))
		})
	}
	t.Run("EU ids are not in US", func(t *testing.T) {
		r := do(t, srv, basicAuth(us), "GET", api(us, "people/1501"), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
	})
	t.Run("EU reads its own data", func(t *testing.T) {
		m := do(t, srv, basicAuth(eu), "GET", api(eu, "applicantworkflows/3501"), nil).json(t)
		assert.Equal(t, "Software Engineer", m["baseprofile"].(map[string]any)["value"])
		assert.Equal(t, icimstest.StatusNewSubmissionEU, m["status"].(map[string]any)["id"])
		r := do(t, srv, basicAuth(eu), "GET", api(eu, "v2/lists/"+icimstest.ListAssessmentTypes), nil)
		assert.Equal(t, http.StatusNotFound, r.status, "the US Assessment Type list is not EU's")
	})
	t.Run("a write to EU leaves US alone", func(t *testing.T) {
		r := do(t, srv, basicAuth(eu), "POST", api(eu, "people"), map[string]any{"firstname": "Jonas", "lastname": "Berg"})
		require.Equal(t, http.StatusCreated, r.status)
		calls := srv.Calls(eu)
		require.NotEmpty(t, calls)
		assert.Equal(t, http.StatusCreated, calls[len(calls)-1].Status)
		for _, c := range srv.Calls(us) {
			assert.NotContains(t, c.Path, "/customers/5678/")
		}
	})
	t.Run("unknown customer", func(t *testing.T) {
		r := do(t, srv, basicAuth("4321"), "GET", api("4321", "people/1"), nil)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	})
}

func TestScopes(t *testing.T) {
	srv := icimstest.Start(t)
	readOnly := bearer(install(t, srv, us, icimstest.ScopeProfileWrite, icimstest.ScopeAssessmentWrite, icimstest.ScopeScorecardWrite)["access_token"].(string))
	noDelivery := bearer(install(t, srv, us, icimstest.ScopeAssessmentWrite)["access_token"].(string))
	nothing := bearer(install(t, srv, us, icimstest.ScopeProfileRead, icimstest.ScopeProfileWrite, icimstest.ScopeAssessmentWrite, icimstest.ScopeScorecardWrite)["access_token"].(string))
	results := api(us, "applicantworkflows/3001/fields/assessmentresults")
	row := map[string]any{"assessmentstatus": map[string]any{"id": icimstest.AssessmentSent}}

	cases := []struct {
		name   string
		auth   auth
		method string
		path   string
		body   any
		scope  string
	}{
		{"read needs read", nothing, "GET", api(us, "people/1001"), nil, icimstest.ScopeProfileRead},
		{"search needs read", nothing, "GET", api(us, "search/people?searchJson=x"), nil, icimstest.ScopeProfileRead},
		{"lists need read", nothing, "GET", api(us, "v2/lists"), nil, icimstest.ScopeProfileRead},
		{"patch person needs write", readOnly, "PATCH", api(us, "people/1001"), map[string]any{"firstname": "A"}, icimstest.ScopeProfileWrite},
		{"post person needs write", readOnly, "POST", api(us, "people"), map[string]any{"firstname": "A", "lastname": "B"}, icimstest.ScopeProfileWrite},
		{"scorecard needs scorecard", install2(t, srv, icimstest.ScopeScorecardWrite), "PATCH", api(us, "people/1001"), map[string]any{"rcf3001": 1}, icimstest.ScopeScorecardWrite},
		{"post row needs delivery", noDelivery, "POST", results, row, icimstest.ScopeAssessmentWrite},
		{"patch row needs delivery", noDelivery, "PATCH", results + "/1", row, icimstest.ScopeAssessmentWrite},
		{"move needs delivery", noDelivery, "PATCH", api(us, "applicantworkflows/3001"), map[string]any{"status": map[string]any{"id": icimstest.StatusAssessment}}, icimstest.ScopeAssessmentWrite},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.auth, tc.method, tc.path, tc.body)
			assert.Equal(t, http.StatusForbidden, r.status)
			assert.Equal(t, "3:Insufficient scope: "+tc.scope, r.header.Get("X-Error"))
			assert.JSONEq(t, `{"errors":[{"errorMessage":"Insufficient scope: `+tc.scope+`","errorCode":3}]}`, string(r.body))
		})
	}
	got, err := srv.Results(us, 3001)
	require.NoError(t, err)
	assert.Empty(t, got)
	st, err := srv.WorkflowStatus(us, 3001)
	require.NoError(t, err)
	assert.Equal(t, icimstest.StatusNewSubmission, st)
}

// install2 installs with one scope unticked and returns the auth.
func install2(t *testing.T, srv *icimstest.Server, untick string) auth {
	return bearer(install(t, srv, us, untick)["access_token"].(string))
}
