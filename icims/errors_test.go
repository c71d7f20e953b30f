package icims

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		headers    []string
		kind       Kind
		code       int
		message    string
		field      string
		scope      string
		retryAfter time.Duration
		retryable  bool
		reauth     bool
	}{
		{name: "not found, body only", status: 404, body: `{"errors":[{"errorMessage":"Job not found.","errorCode":2}]}`,
			kind: NotFound, code: 2, message: "Job not found."},
		{name: "access denied reported as 404", status: 404, body: `{"errors":[{"errorMessage":"Access denied.","errorCode":3}]}`,
			kind: AccessDenied, code: 3, message: "Access denied."},
		{name: "required field", status: 400, body: `{"errors":[{"errorMessage":"email: Field is required.","errorCode":1}]}`,
			kind: RequiredField, code: 1, message: "email: Field is required.", field: "email"},
		{name: "invalid field, X-Error only", status: 400, headers: []string{"X-Error", "4:assessmentstatus: \"C9\" is not a node of list x."},
			kind: InvalidField, code: 4, message: `assessmentstatus: "C9" is not a node of list x.`, field: "assessmentstatus"},
		{name: "invalid field, code as string", status: 400, body: `{"errors":[{"errorMessage":"rcf1001: Value must be a decimal number.","errorCode":"4"}]}`,
			kind: InvalidField, code: 4, message: "rcf1001: Value must be a decimal number.", field: "rcf1001"},
		{name: "bad credentials", status: 401, body: `{"errors":[{"errorMessage":"Invalid Username or Password credentials provided.","errorCode":6}]}`,
			kind: BadCredentials, code: 6, message: "Invalid Username or Password credentials provided.", reauth: true},
		{name: "bad credentials, bare 401", status: 401, kind: BadCredentials, code: CodeNone, message: "Unauthorized", reauth: true},
		{name: "missing scope", status: 403, body: `{"errors":[{"errorMessage":"Insufficient scope: scorecard:write","errorCode":3}]}`,
			headers: []string{"X-Error", "3:Insufficient scope: scorecard:write"},
			kind:    MissingScope, code: 3, message: "Insufficient scope: scorecard:write", scope: "scorecard:write", reauth: true},
		{name: "missing scope, X-Error only", status: 403, headers: []string{"X-Error", "3:Insufficient scope: candidate_profile:write"},
			kind: MissingScope, code: 3, message: "Insufficient scope: candidate_profile:write", scope: "candidate_profile:write", reauth: true},
		{name: "forbidden without scope", status: 403, kind: AccessDenied, code: CodeNone, message: "Forbidden"},
		{name: "rate limited", status: 429, body: `{"errors":[{"errorMessage":"Rate limit exceeded.","errorCode":0}]}`, headers: []string{"Retry-After", "7"},
			kind: RateLimited, code: 0, message: "Rate limit exceeded.", retryAfter: 7 * time.Second, retryable: true},
		{name: "rate limited, http date", status: 429, headers: []string{"Retry-After", "Tue, 05 Mar 2024 09:10:00 GMT"},
			kind: RateLimited, code: CodeNone, message: "Too Many Requests", retryAfter: 2 * time.Minute, retryable: true},
		{name: "outage", status: 503, body: `<html>down</html>`, kind: Temporary, code: CodeNone, message: "Service Unavailable", retryable: true},
		{name: "internal error", status: 500, body: `{"errors":[{"errorMessage":"Internal error.","errorCode":0}]}`,
			kind: Temporary, code: 0, message: "Internal error.", retryable: true},
		{name: "teapot", status: 418, kind: Other, code: CodeNone, message: "I'm a teapot"},
		{name: "redirect is not followed", status: 302, headers: []string{"Location", "https://elsewhere.test/"}, kind: Other, code: CodeNone, message: "Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) { reply(w, tt.status, tt.body, tt.headers...) })
			clock := clocktest.New(time.Date(2024, 3, 5, 9, 8, 0, 0, time.UTC))
			_, err := f.client(t, func(c *Config) { c.Clock = clock }).GetJob(context.Background(), "1", nil)

			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %v", err)
			assert.Equal(t, tt.kind, e.Kind)
			assert.Equal(t, tt.status, e.HTTPStatus)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.field, e.Field)
			assert.Equal(t, tt.scope, e.Scope)
			assert.Equal(t, tt.retryAfter, e.RetryAfter)
			assert.Equal(t, "get job", e.Op)
			assert.Equal(t, tt.retryable, IsRetryable(err))
			assert.Equal(t, tt.reauth, NeedsReauthorization(err))
		})
	}
}

func TestErrorHelpersOnOtherErrors(t *testing.T) {
	assert.False(t, IsRetryable(nil))
	assert.False(t, IsRetryable(errors.New("x")))
	assert.False(t, NeedsReauthorization(context.Canceled))
	wrapped := errors.Join(errors.New("job failed"), &Error{Kind: Temporary})
	assert.True(t, IsRetryable(wrapped))
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Kind: RequiredField, Op: "patch person", HTTPStatus: 400, Code: 1, Field: "email", Message: "email: Field is required."}
	assert.Equal(t, "icims: patch person: required_field (HTTP 400, code 1) field email: email: Field is required.", e.Error())
}
