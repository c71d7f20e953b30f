package icimstest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSimHMACAgainstShellVectors checks the simulator's own HMAC code
// against the vectors computed in the shell (icims/testdata), not against
// the product's: the 2017 sample and our calls verify, and the simulator,
// like iCIMS, takes no trailing content-hash line.
func TestSimHMACAgainstShellVectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/hmac_vectors.json")
	require.NoError(t, err)
	var vs struct {
		Sign []struct {
			Name, Method, URL, Body, User, Key, Date, Authorization string
			ContentType                                             string `json:"content_type"`
			ContentSHA256                                           string `json:"content_sha256"`
		}
		Verify []struct {
			Name, URL, User, Key, Now string
			Headers                   map[string]string
			Wire                      string `json:"wire_base64"`
			WantReason                string `json:"want_reason"`
			WantLayout                string `json:"want_layout"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &vs))
	require.NotEmpty(t, vs.Sign)
	for _, v := range vs.Sign {
		t.Run(v.Name, func(t *testing.T) {
			r := httptest.NewRequest(v.Method, v.URL, bytes.NewReader([]byte(v.Body)))
			r.Header.Set("Content-Type", v.ContentType)
			r.Header.Set("x-icims-date", v.Date)
			r.Header.Set("x-icims-content-sha256", v.ContentSHA256)
			r.Header.Set("Authorization", v.Authorization)
			at, err := time.Parse(time.RFC3339, v.Date)
			require.NoError(t, err)
			ok, why := verifyCall(r, []byte(v.Body), func(u string) (string, bool) { return v.Key, u == v.User }, at.Add(time.Minute))
			assert.True(t, ok, why)
		})
	}
	accepted := 0
	for _, v := range vs.Verify {
		if v.WantReason != "" || v.Headers["Content-Encoding"] != "" {
			continue // the simulator hashes the bytes it receives
		}
		t.Run(v.Name, func(t *testing.T) {
			wire, err := base64.StdEncoding.DecodeString(v.Wire)
			require.NoError(t, err)
			r := httptest.NewRequest(http.MethodPost, v.URL, bytes.NewReader(wire))
			for k, val := range v.Headers {
				r.Header.Set(k, val)
			}
			now, err := time.Parse(time.RFC3339, v.Now)
			require.NoError(t, err)
			ok, why := verifyCall(r, wire, func(u string) (string, bool) { return v.Key, u == v.User }, now)
			assert.Equal(t, v.WantLayout == "signed-headers-last", ok, why)
			if ok {
				accepted++
			}
		})
	}
	assert.Equal(t, 2, accepted, "the 2017 sample and the minimal list verify")
}

// TestSimSignEventIsThe2017Shape signs an event and checks the headers
// field by field against the 2017 sample, then verifies it.
func TestSimSignEventIsThe2017Shape(t *testing.T) {
	wire := []byte(`{"eventType":"WorkFlowStatusChangeEvent","customerId":"6268"}`)
	r := httptest.NewRequest(http.MethodPost, "https://jobcannon.example.com/icims/events", bytes.NewReader(wire))
	r.Header.Set("Content-Type", "application/json")
	at := time.Date(2017, 10, 18, 14, 53, 40, 0, time.UTC)
	signEvent(r, wire, "icims-6268", "k", at)
	assert.Equal(t, "2017-10-18T14:53:40+0000", r.Header.Get("x-icims-date"))
	assert.Equal(t, "x-icims-v1-hmac-sha256 user=icims-6268,signedheaders=content-type;host;x-icims-content-sha256;x-icims-date,signature="+
		hmacSignatureOf(r, []string{"content-type", "host", "x-icims-content-sha256", "x-icims-date"}, "k"), r.Header.Get("Authorization"))
	ok, why := verifyCall(r, wire, func(u string) (string, bool) { return "k", u == "icims-6268" }, at)
	assert.True(t, ok, why)
	ok, _ = verifyCall(r, append(wire, ' '), func(u string) (string, bool) { return "k", u == "icims-6268" }, at)
	assert.False(t, ok, "a changed body is refused")
	ok, _ = verifyCall(r, wire, func(u string) (string, bool) { return "k", u == "icims-6268" }, at.Add(5*time.Minute+time.Second))
	assert.False(t, ok, "a replay is refused")
}
