package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
)

// recorded is what a refused but authenticated event may change: iCIMS's
// delivery goes to the tenant's logs, and nothing else happens.
var recorded = []string{"deliveries", "delivery_attempts", "delivery_days"}

// hostileCase is one malformed or hostile request, the answer the
// documentation gives it, and the tables it may change (none, unless it
// is logged or is an injection that is saved as text).
type hostileCase struct {
	name   string
	attack func(e *hostileEnv) answer
	status int // 0: whatever check accepts
	// want are substrings of the body: the documented message, or the
	// injected text as it must come back, escaped.
	want  []string
	never []string
	may   []string
	check func(t *testing.T, e *hostileEnv, a answer)
}

// fixture reads a request body from testdata/hostile.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
	require.NoError(t, err)
	return b
}

// event posts a body to /icims/events with the headers and the signer.
func (e *hostileEnv) event(body []byte, contentType, encoding string, sign func(*http.Request, []byte)) answer {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.app.URL+"/icims/events", bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", contentType)
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	if sign != nil {
		sign(req, body)
	}
	return e.raw(nil, http.MethodPost, "/icims/events", req.Header, body)
}

func (e *hostileEnv) basicAuth(user, password string) func(*http.Request, []byte) {
	return func(r *http.Request, _ []byte) { r.SetBasicAuth(user, password) }
}

func (e *hostileEnv) hmacAt(user, key string, at time.Time) func(*http.Request, []byte) {
	return func(r *http.Request, body []byte) {
		require.NoError(e.t, icims.SignHMAC(r, body, user, []byte(key), at))
	}
}

func bearer(token string) func(*http.Request, []byte) {
	return func(r *http.Request, _ []byte) { r.Header.Set("Authorization", "Bearer "+token) }
}

// icimsError checks iCIMS's vendor error shape and its message to the
// recruiter.
func icimsError(message string) func(*testing.T, *hostileEnv, answer) {
	return func(t *testing.T, _ *hostileEnv, a answer) {
		var body struct {
			Error struct {
				UserMessage       string `json:"userMessage"`
				DebugErrorMessage string `json:"debugErrorMessage"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(a.Body), &body), a.Body)
		assert.Contains(t, body.Error.UserMessage, message)
		assert.NotEmpty(t, body.Error.DebugErrorMessage)
		assert.Contains(t, a.Header.Get("Content-Type"), "application/json")
	}
}

// eventCases are iCIMS's side: the events endpoint and the token URL.
func eventCases(t *testing.T) []hostileCase {
	good := fixture(t, "good.json")
	const notVerified = "could not verify that this request came from your iCIMS"
	return []hostileCase{
		{name: "event: truncated JSON", status: 400, may: recorded, check: icimsError("not valid JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "truncated.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: a JSON array", status: 400, may: recorded, check: icimsError("not valid JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "array.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: fields of the wrong type", status: 400, may: recorded, check: icimsError("JobCannon"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "wrong-types.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: JSON nested 20000 deep", status: 400, may: recorded, check: icimsError("not valid JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "deep.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: SQL in the workflow id", status: 400, may: recorded, check: icimsError("invalid systemId"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "injected-ids.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: a path in the workflow id", status: 400, may: recorded, check: icimsError("invalid systemId"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "path-in-id.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: missing newStatus", status: 400, may: recorded, check: icimsError("missing the required field {{applicantworkflow.status}}"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "missing-newstatus.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: a javascript: returnUrl", status: 400, may: recorded, check: icimsError("returnUrl"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "javascript-returnurl.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: body over 1 MB", status: 413, check: icimsError("larger than this server accepts"),
			attack: func(e *hostileEnv) answer {
				huge := append(bytes.Repeat([]byte(" "), 1<<20), good...)
				return e.event(huge, "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: gzip bomb (8 MB inflated)", status: 413, may: recorded, check: icimsError("larger than it accepts"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "bomb.json.gz"), "application/json", "gzip", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: damaged gzip", status: 400, may: recorded, check: icimsError("damaged in transit"),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "corrupt.json.gz"), "application/json", "gzip", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: text/plain", status: 415, may: recorded, check: icimsError("accepts events as JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "text/plain", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: a form post", status: 415, may: recorded, check: icimsError("accepts events as JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event([]byte("eventType=WorkFlowStatusChangeEvent"), "application/x-www-form-urlencoded", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: brotli encoding", status: 415, may: recorded, check: icimsError("accepts events as JSON"),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "br", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		// The same answer as for another installed customer (below): an
		// answer that differed would let installed customer ids be listed.
		{name: "event: unknown customer", status: 401, may: recorded, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "unknown-customer.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: Acme's credentials for Globex's customer", status: 401, may: recorded, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(fixture(t, "other-customer.json"), "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret))
			}},
		{name: "event: no credentials", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer { return e.event(good, "application/json", "", nil) }},
		{name: "event: Basic, wrong password", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", e.basicAuth(e.basic.Identifier, e.basic.Secret+"x"))
			}},
		{name: "event: Basic, SQL as the user", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", e.basicAuth("' OR '1'='1", "' OR '1'='1"))
			}},
		{name: "event: HMAC, wrong key", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", e.hmacAt(e.hmac.Identifier, "not-the-key", time.Now()))
			}},
		{name: "event: HMAC, replayed date (6 minutes old)", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", e.hmacAt(e.hmac.Identifier, e.hmac.Secret, time.Now().Add(-6*time.Minute)))
			}},
		{name: "event: HMAC, body changed after signing", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", func(r *http.Request, _ []byte) {
					require.NoError(e.t, icims.SignHMAC(r, fixture(t, "other-customer.json"), e.hmac.Identifier, []byte(e.hmac.Secret), time.Now()))
				})
			}},
		{name: "event: Bearer, forged token", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", bearer(e.bearer[:len(e.bearer)-2]+"xx"))
			}},
		{name: "event: Bearer, the client secret instead of a token", status: 401, check: icimsError(notVerified),
			attack: func(e *hostileEnv) answer {
				return e.event(good, "application/json", "", bearer(e.oauth.Secret))
			}},
		// The failure is counted in the client id's bucket, which every
		// instance shares: that is the one change it may make.
		{name: "token URL: wrong client secret", status: 401, never: []string{"access_token"}, may: []string{"rate_limits"},
			attack: func(e *hostileEnv) answer {
				body := url.Values{"grant_type": {"client_credentials"}, "client_id": {e.oauth.Identifier}, "client_secret": {"guess"}}
				return e.raw(nil, http.MethodPost, "/oauth/token", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
					[]byte(body.Encode()))
			}},
	}
}

func TestHostileInput(t *testing.T) {
	e := newHostileEnv(t)
	var cases []hostileCase
	cases = append(cases, eventCases(t)...)
	cases = append(cases, linkCases(t)...)
	cases = append(cases, pathCases()...)
	cases = append(cases, injectionCases()...)
	require.GreaterOrEqual(t, len(cases), 30)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			a := e.unchanged(t, c.may, func() answer { return c.attack(e) })
			if c.status != 0 {
				assert.Equal(t, c.status, a.Status, "%.400s", a.Body)
			}
			for _, w := range c.want {
				assert.Contains(t, a.Body, w)
			}
			for _, n := range c.never {
				assert.NotContains(t, a.Body, n)
			}
			if c.check != nil {
				c.check(t, e, a)
			}
			assert.NotEmpty(t, a.Header.Get("Content-Security-Policy"), "every answer carries the policy")
		})
	}
	e.t = t
	csrf := sweepCSRF(t, e)
	tenants := sweepOtherTenant(t, e)
	t.Logf("%d hostile cases, %d admin POSTs without a CSRF token, %d admin routes with another tenant's id", len(cases), csrf, tenants)
}

// htmlPage checks the answer is one of our pages, not a stack trace or
// JSON.
func htmlPage(t *testing.T, a answer) {
	t.Helper()
	assert.Contains(t, a.Header.Get("Content-Type"), "text/html")
	assert.True(t, strings.HasPrefix(strings.TrimSpace(a.Body), "<!doctype html>") || strings.HasPrefix(strings.TrimSpace(a.Body), "<!DOCTYPE html>"), "%.200s", a.Body)
}
