package bench

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jobcannon/jobcannon/icims/icimstest"
)

func TestBenchCallsPerCandidate(t *testing.T) {
	const api = "/sandbox/icims/api/customers/1234"
	call := func(method, path string) icimstest.Call { return icimstest.Call{Method: method, Path: api + path} }
	var calls []icimstest.Call
	for range 2 {
		calls = append(calls,
			call(http.MethodGet, "/people/1001"),
			call(http.MethodPost, "/applicantworkflows/3001/fields/assessmentresults"),
			call(http.MethodPatch, "/applicantworkflows/3001/fields/assessmentresults/7001"),
			call(http.MethodPatch, "/applicantworkflows/3001/fields/assessmentresults/7001"),
			call(http.MethodPatch, "/people/1001"))
	}
	calls = append(calls, call(http.MethodGet, "/jobs/2001"), call(http.MethodGet, "/v2/lists/lists.applicantworkflow.status"))
	assert.Equal(t, "6.00 (GET people 1.00, GET jobs 0.50, POST row 1.00, PATCH row 2.00, PATCH people 1.00, GET v2 0.50)",
		CallsPerCandidate(calls, 2))
	assert.Equal(t, "no candidates", CallsPerCandidate(nil, 0))
}
