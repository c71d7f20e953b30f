package icimstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/icims/icimstest"
)

// newClock returns the clock the tests start from and move by hand.
func newClock() *clocktest.Clock {
	return clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

// errorCode returns the first iCIMS error code in the body.
func (r response) errorCode(t *testing.T) int {
	t.Helper()
	var body struct {
		Errors []struct {
			ErrorMessage string `json:"errorMessage"`
			ErrorCode    int    `json:"errorCode"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(r.body, &body), "body: %s", r.body)
	require.NotEmpty(t, body.Errors, "body: %s", r.body)
	return body.Errors[0].ErrorCode
}

// auth sets credentials on a request.
type auth func(t *testing.T, req *http.Request, body []byte)

func basicAuth(cid string) auth {
	return func(t *testing.T, req *http.Request, _ []byte) {
		req.SetBasicAuth(icimstest.BasicUser(cid), icimstest.BasicPassword(cid))
	}
}

func bearer(token string) auth {
	return func(t *testing.T, req *http.Request, _ []byte) {
		req.Header.Set("Authorization", "Bearer "+token)
	}
}

func hmacAuth(cid string, now func() time.Time) auth {
	return func(t *testing.T, req *http.Request, body []byte) {
		require.NoError(t, icims.SignHMAC(req, body, icimstest.HMACUser(cid), icimstest.HMACKey(cid), now()))
	}
}

func noAuth(*testing.T, *http.Request, []byte) {}

// do sends a request to the simulator; body is JSON-encoded unless it is
// already []byte or a string.
func do(t *testing.T, srv *icimstest.Server, a auth, method, path string, body any) response {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = srv.URL + path
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(raw))
	require.NoError(t, err)
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	a(t, req, raw)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// api is the path of a customer's API resource.
func api(cid, path string) string {
	return "/sandbox/icims/api/customers/" + cid + "/" + path
}
