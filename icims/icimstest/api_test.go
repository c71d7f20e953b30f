package icimstest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

const us = icimstest.CustomerUS

func TestGetPerson(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)

	t.Run("fields filter and missing means empty", func(t *testing.T) {
		r := do(t, srv, a, "GET", api(us, "people/1001?fields=firstname,lastname,email,rcf3001"), nil)
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		m := r.json(t)
		assert.Equal(t, map[string]any{"firstname": "Avery", "lastname": "Brooks", "email": "avery.brooks@example.com"}, m)
	})
	t.Run("without fields every set field", func(t *testing.T) {
		m := do(t, srv, a, "GET", api(us, "people/1002"), nil).json(t)
		assert.Equal(t, "Blake", m["firstname"])
		assert.Equal(t, "blake.carter@example.com", m["email"])
		assert.NotContains(t, m, "middlename")
	})
	for _, path := range []string{"people/999999", "people/abc", "people/0"} {
		t.Run("not found "+path, func(t *testing.T) {
			r := do(t, srv, a, "GET", api(us, path), nil)
			assert.Equal(t, http.StatusNotFound, r.status)
			assert.Equal(t, "2:Person not found.", r.header.Get("X-Error"))
			assert.JSONEq(t, `{"errors":[{"errorMessage":"Person not found.","errorCode":2}]}`, string(r.body))
		})
	}
	t.Run("unknown resource", func(t *testing.T) {
		r := do(t, srv, a, "GET", api(us, "companies/1"), nil)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, 2, r.errorCode(t))
	})
}

func TestPatchPerson(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)
	path := api(us, "people/1003")

	r := do(t, srv, a, "PATCH", path, map[string]any{"rcf3001": 87.5, "rcf3002": "Recommended"})
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	m := do(t, srv, a, "GET", path+"?fields=rcf3001,rcf3002", nil).json(t)
	assert.Equal(t, map[string]any{"rcf3001": 87.5, "rcf3002": "Recommended"}, m)

	r = do(t, srv, a, "PATCH", path, map[string]any{"rcf3001": "91.25", "rcf3002": nil})
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	m = do(t, srv, a, "GET", path+"?fields=rcf3001,rcf3002", nil).json(t)
	assert.Equal(t, map[string]any{"rcf3001": 91.25}, m, "a numeric string is a decimal; null deletes")

	r = do(t, srv, a, "PATCH", path, map[string]any{"rcf3001": ""})
	require.Equal(t, http.StatusNoContent, r.status)
	fields, err := srv.PersonFields(us, 1003)
	require.NoError(t, err)
	assert.NotContains(t, fields, "rcf3001", `"" deletes`)

	bad := []struct {
		name string
		body any
		code int
	}{
		{"unknown field", map[string]any{"rcf9999": 1}, 4},
		{"not a decimal", map[string]any{"rcf3001": "high"}, 4},
		{"not an email", map[string]any{"email": "nobody"}, 4},
		{"text too long", map[string]any{"rcf3002": strings.Repeat("x", 129)}, 4},
		{"not an object", "[1,2]", 4},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before, err := srv.PersonFields(us, 1003)
			require.NoError(t, err)
			r := do(t, srv, a, "PATCH", path, tc.body)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Equal(t, tc.code, r.errorCode(t))
			assert.True(t, strings.HasPrefix(r.header.Get("X-Error"), strconv.Itoa(tc.code)+":"))
			after, err := srv.PersonFields(us, 1003)
			require.NoError(t, err)
			assert.Equal(t, before, after, "a refused write changes nothing")
		})
	}
	t.Run("unknown person", func(t *testing.T) {
		r := do(t, srv, a, "PATCH", api(us, "people/4242"), map[string]any{"firstname": "X"})
		assert.Equal(t, http.StatusNotFound, r.status)
	})
}

func TestPostPerson(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)

	r := do(t, srv, a, "POST", api(us, "people"), map[string]any{"firstname": "Nina", "lastname": "Ortiz", "email": "nina.ortiz@example.com"})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	loc := r.header.Get("Location")
	require.True(t, strings.HasPrefix(loc, srv.URL+"/sandbox/icims/api/customers/1234/people/"), loc)
	m := do(t, srv, a, "GET", loc, nil).json(t)
	assert.Equal(t, "Nina", m["firstname"])

	r = do(t, srv, a, "POST", api(us, "people"), map[string]any{"firstname": "Nina"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, 1, r.errorCode(t))
	assert.Equal(t, "1:lastname: Field is required.", r.header.Get("X-Error"))
}

func TestResume(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)

	r := do(t, srv, a, "GET", api(us, "people/1001/fields/resume/binary"), nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.header.Get("Content-Type"), "text/plain")
	assert.Contains(t, r.header.Get("Content-Disposition"), "avery-brooks-cv.txt")
	assert.Contains(t, string(r.body), "Avery Brooks")

	r = do(t, srv, a, "GET", api(us, "people/1012/fields/resume/binary"), nil)
	assert.Equal(t, http.StatusNotFound, r.status, "USPerson12 has no résumé")
	assert.Equal(t, 2, r.errorCode(t))

	r = do(t, srv, a, "GET", api(us, "people/5555/fields/resume/binary"), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
}

func TestJobs(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)

	m := do(t, srv, a, "GET", api(us, "jobs/2001?fields=jobtitle,assessmenttype,folder,joblocation"), nil).json(t)
	assert.Equal(t, "Account Executive", m["jobtitle"])
	assert.Equal(t, []any{
		map[string]any{"id": "C41001", "value": "Big Five Work Personality"},
		map[string]any{"id": "C41003", "value": "Reasoning"},
	}, m["assessmenttype"])
	assert.Equal(t, map[string]any{"id": "C53001", "value": "Approved"}, m["folder"])
	loc := m["joblocation"].(map[string]any)
	assert.Equal(t, "101", loc["id"])
	assert.Equal(t, "Boston, MA", loc["value"])
	assert.Equal(t, srv.URL+"/sandbox/icims/api/customers/1234/locations/101", loc["profile"])

	r := do(t, srv, a, "PATCH", api(us, "jobs/2002"), map[string]any{"assessmenttype": []any{map[string]any{"id": "C41003"}}})
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	m = do(t, srv, a, "GET", api(us, "jobs/2002?fields=assessmenttype"), nil).json(t)
	assert.Equal(t, []any{map[string]any{"id": "C41003", "value": "Reasoning"}}, m["assessmenttype"])

	r = do(t, srv, a, "PATCH", api(us, "jobs/2002"), map[string]any{"folder": map[string]any{"id": "C99999"}})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, 4, r.errorCode(t))

	r = do(t, srv, a, "POST", api(us, "jobs"), map[string]any{"jobtitle": "Recruiter", "joblocation": map[string]any{"id": "102"}})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	m = do(t, srv, a, "GET", r.header.Get("Location"), nil).json(t)
	assert.Equal(t, "Recruiter", m["jobtitle"])

	r = do(t, srv, a, "POST", api(us, "jobs"), map[string]any{"folder": map[string]any{"id": "C53001"}})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, 1, r.errorCode(t))

	r = do(t, srv, a, "GET", api(us, "jobs/7"), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "2:Job not found.", r.header.Get("X-Error"))
}

func TestWorkflows(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)

	m := do(t, srv, a, "GET", api(us, "applicantworkflows/3001"), nil).json(t)
	base := m["baseprofile"].(map[string]any)
	assert.Equal(t, "2001", base["id"])
	assert.Equal(t, "Account Executive", base["value"])
	assert.Equal(t, srv.URL+"/sandbox/icims/api/customers/1234/jobs/2001", base["profile"])
	person := m["associatedprofile"].(map[string]any)
	assert.Equal(t, "1001", person["id"])
	assert.Equal(t, "Avery Brooks", person["value"])
	assert.Equal(t, map[string]any{"id": icimstest.StatusNewSubmission, "value": "New Submission"}, m["status"])
	assert.NotContains(t, m, "assessmentresults", "no rows yet: missing means empty")

	t.Run("GET on the collection is not supported", func(t *testing.T) {
		r := do(t, srv, a, "GET", api(us, "applicantworkflows"), nil)
		assert.Equal(t, http.StatusMethodNotAllowed, r.status)
		assert.NotEmpty(t, r.header.Get("X-Error"))
	})
	t.Run("PATCH status", func(t *testing.T) {
		r := do(t, srv, a, "PATCH", api(us, "applicantworkflows/3001"), map[string]any{"status": map[string]any{"id": icimstest.StatusInterview}})
		require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
		st, err := srv.WorkflowStatus(us, 3001)
		require.NoError(t, err)
		assert.Equal(t, icimstest.StatusInterview, st)
		assert.Empty(t, srv.Events(us), "an API status change posts no event")
	})
	for name, body := range map[string]map[string]any{
		"unknown status":   {"status": map[string]any{"id": "C00000"}},
		"status as string": {"status": "C51003"},
		"read-only job":    {"baseprofile": map[string]any{"id": "2002"}},
	} {
		t.Run("refused "+name, func(t *testing.T) {
			r := do(t, srv, a, "PATCH", api(us, "applicantworkflows/3002"), body)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Equal(t, 4, r.errorCode(t))
		})
	}
	t.Run("POST with a listed source", func(t *testing.T) {
		r := do(t, srv, a, "POST", api(us, "applicantworkflows"), map[string]any{
			"baseprofile": 2002, "associatedprofile": map[string]any{"id": "1001"}, "source": "Agency",
		})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Empty(t, r.header.Get("X-Warning"))
		m := do(t, srv, a, "GET", r.header.Get("Location"), nil).json(t)
		assert.Equal(t, "Agency", m["source"])
		assert.Equal(t, map[string]any{"id": icimstest.SourceAgency, "value": "Agency"}, m["sourcename"])
		assert.Equal(t, "New Submission", m["status"].(map[string]any)["value"])
	})
	t.Run("POST with an unknown source warns", func(t *testing.T) {
		r := do(t, srv, a, "POST", api(us, "applicantworkflows"), map[string]any{
			"baseprofile": "2003", "associatedprofile": "1001", "source": "Billboard",
		})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Equal(t, "4:sourcename:Provided source is not valid so cannot set sourcename.", r.header.Get("X-Warning"))
		assert.JSONEq(t, `{"warnings":[{"errorMessage":"sourcename: Provided source is not valid so cannot set sourcename.","errorCode":4}]}`, string(r.body))
		m := do(t, srv, a, "GET", r.header.Get("Location"), nil).json(t)
		assert.Equal(t, "Billboard", m["source"])
		assert.NotContains(t, m, "sourcename")
	})
	t.Run("POST refusals", func(t *testing.T) {
		cases := []struct {
			body map[string]any
			code int
		}{
			{map[string]any{"baseprofile": 2001}, 1},
			{map[string]any{"baseprofile": 9999, "associatedprofile": 1001}, 4},
			{map[string]any{"baseprofile": 2001, "associatedprofile": 1001}, 4}, // already applied
		}
		for _, tc := range cases {
			r := do(t, srv, a, "POST", api(us, "applicantworkflows"), tc.body)
			assert.Equal(t, http.StatusBadRequest, r.status, "%v", tc.body)
			assert.Equal(t, tc.code, r.errorCode(t), "%v", tc.body)
		}
	})
}

func TestAssessmentResults(t *testing.T) {
	srv := icimstest.Start(t)
	a := basicAuth(us)
	rows := api(us, "applicantworkflows/3001/fields/assessmentresults")
	sent := map[string]any{
		"assessmentname":   map[string]any{"id": icimstest.AssessmentBigFive},
		"assessmentstatus": map[string]any{"id": icimstest.AssessmentSent},
		"assessmentdate":   "2026-03-02 09:00 AM",
	}

	r := do(t, srv, a, "POST", rows, sent)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	loc := r.header.Get("Location")
	require.True(t, strings.HasPrefix(loc, srv.URL+rows+"/"), loc)

	r = do(t, srv, a, "POST", rows, sent)
	require.Equal(t, http.StatusCreated, r.status, "a duplicate row still succeeds")
	assert.Equal(t, loc, r.header.Get("Location"))
	got, err := srv.Results(us, 3001)
	require.NoError(t, err)
	require.Len(t, got, 1, "the duplicate was not created")

	r = do(t, srv, a, "PATCH", loc, map[string]any{
		"assessmentstatus": map[string]any{"id": icimstest.AssessmentComplete},
		"assessmentscore":  72.5,
		"assessmentresult": "Recommended",
		"assessmentnotes":  "Steady, organised, curious.",
		"assessmentdate":   "2026-03-03 02:15 PM",
		"assessmenturl":    "https://jobcannon.example/r/abc",
	})
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	m := do(t, srv, a, "GET", api(us, "applicantworkflows/3001?fields=assessmentresults"), nil).json(t)
	list := m["assessmentresults"].([]any)
	require.Len(t, list, 1)
	row := list[0].(map[string]any)
	assert.Equal(t, map[string]any{"id": icimstest.AssessmentComplete, "value": "Complete"}, row["assessmentstatus"])
	assert.Equal(t, map[string]any{"id": icimstest.AssessmentBigFive, "value": "Big Five Work Personality"}, row["assessmentname"])
	assert.Equal(t, 72.5, row["assessmentscore"])
	assert.Equal(t, "2026-03-03 02:15 PM", row["assessmentdate"])
	assert.Equal(t, loc, srv.URL+rows+"/"+strconv.Itoa(int(row["entry"].(float64))))

	t.Run("array of rows", func(t *testing.T) {
		r := do(t, srv, a, "POST", rows, []any{
			map[string]any{"assessmentname": map[string]any{"id": icimstest.AssessmentReasoning}, "assessmentstatus": map[string]any{"id": icimstest.AssessmentSent}},
			map[string]any{"assessmentname": map[string]any{"id": icimstest.AssessmentWorkStyle}, "assessmentstatus": map[string]any{"id": icimstest.AssessmentSent}},
		})
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		got, err := srv.Results(us, 3001)
		require.NoError(t, err)
		assert.Len(t, got, 3)
	})
	refusals := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		code   int
	}{
		{"unknown status node", "POST", rows, map[string]any{"assessmentstatus": map[string]any{"id": "D0"}}, 400, 4},
		{"result too long", "POST", rows, map[string]any{"assessmentresult": strings.Repeat("r", 129)}, 400, 4},
		{"notes too long", "PATCH", loc, map[string]any{"assessmentnotes": strings.Repeat("n", 193)}, 400, 4},
		{"bad date", "PATCH", loc, map[string]any{"assessmentdate": "2026-03-03T14:15:00Z"}, 400, 4},
		{"bad url", "PATCH", loc, map[string]any{"assessmenturl": "javascript:alert(1)"}, 400, 4},
		{"unknown subfield", "POST", rows, map[string]any{"assessmentgrade": "A"}, 400, 4},
		{"empty row", "POST", rows, map[string]any{}, 400, 1},
		{"empty array", "POST", rows, []any{}, 400, 1},
		{"unknown entry", "PATCH", rows + "/999", map[string]any{"assessmentscore": 1}, 404, 2},
		{"unknown workflow", "POST", api(us, "applicantworkflows/9/fields/assessmentresults"), sent, 404, 2},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, a, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, r.status, "%s", r.body)
			assert.Equal(t, tc.code, r.errorCode(t))
		})
	}
	got, err = srv.Results(us, 3001)
	require.NoError(t, err)
	assert.Equal(t, "Steady, organised, curious.", got[0].Notes, "refused writes changed nothing")
}

func TestMethodNotAllowed(t *testing.T) {
	srv := icimstest.Start(t)
	for _, path := range []string{"people/1001", "jobs/2001", "applicantworkflows/3001/fields/assessmentresults"} {
		r := do(t, srv, basicAuth(us), "DELETE", api(us, path), nil)
		assert.Equal(t, http.StatusMethodNotAllowed, r.status, path)
		assert.Equal(t, 4, r.errorCode(t), path)
	}
	st, err := srv.WorkflowStatus(us, 3001)
	require.NoError(t, err)
	assert.Equal(t, icimstest.StatusNewSubmission, st)
}
