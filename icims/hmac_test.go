package icims

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hmacVectors is testdata/hmac_vectors.json, written by hmac_vectors.sh
// with the shell's tools only.
type hmacVectors struct {
	Sign []struct {
		Name             string `json:"name"`
		Method           string `json:"method"`
		URL              string `json:"url"`
		ContentType      string `json:"content_type"`
		Body             string `json:"body"`
		User             string `json:"user"`
		Key              string `json:"key"`
		Date             string `json:"date"`
		ContentSHA256    string `json:"content_sha256"`
		CanonicalRequest string `json:"canonical_request"`
		Authorization    string `json:"authorization"`
	} `json:"sign"`
	Verify []struct {
		Name         string            `json:"name"`
		Method       string            `json:"method"`
		URL          string            `json:"url"`
		Headers      map[string]string `json:"headers"`
		WireBase64   string            `json:"wire_base64"`
		User         string            `json:"user"`
		Key          string            `json:"key"`
		Now          string            `json:"now"`
		WantReason   string            `json:"want_reason"`
		WantLayout   HMACLayout        `json:"want_layout"`
		WantBodyHash HMACBodyHash      `json:"want_body_hash"`
	} `json:"verify"`
}

func loadHMACVectors(t *testing.T) hmacVectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/hmac_vectors.json")
	require.NoError(t, err)
	var vs hmacVectors
	require.NoError(t, json.Unmarshal(raw, &vs))
	require.NotEmpty(t, vs.Sign)
	require.NotEmpty(t, vs.Verify)
	return vs
}

// TestSignHMACMatchesVectors: our calls to iCIMS carry exactly the headers
// the shell computed for the contract's layout.
func TestSignHMACMatchesVectors(t *testing.T) {
	for _, v := range loadHMACVectors(t).Sign {
		t.Run(v.Name, func(t *testing.T) {
			req, err := http.NewRequest(v.Method, v.URL, strings.NewReader(v.Body))
			require.NoError(t, err)
			if v.ContentType != "" {
				req.Header.Set("Content-Type", v.ContentType)
			}
			now, err := time.Parse(time.RFC3339, v.Date)
			require.NoError(t, err)

			require.NoError(t, SignHMAC(req, []byte(v.Body), v.User, []byte(v.Key), now))

			assert.Equal(t, v.Date, req.Header.Get(HeaderDate))
			assert.Equal(t, v.ContentSHA256, req.Header.Get(HeaderContentSHA256))
			assert.Equal(t, v.Authorization, req.Header.Get("Authorization"))
			p, err := parseHMACAuthorization(v.Authorization)
			require.NoError(t, err)
			assert.Equal(t, v.CanonicalRequest, CanonicalRequest(req, p.signedHeaders))
		})
	}
}

// TestVerifyHMACVectors verifies events as iCIMS sends them, built in the
// shell from the 2017 sample's header set, at each vector's fixed clock.
func TestVerifyHMACVectors(t *testing.T) {
	for _, v := range loadHMACVectors(t).Verify {
		t.Run(v.Name, func(t *testing.T) {
			wire, err := base64.StdEncoding.DecodeString(v.WireBase64)
			require.NoError(t, err)
			req := httptest.NewRequest(v.Method, v.URL, bytes.NewReader(wire))
			for k, val := range v.Headers {
				req.Header.Set(k, val)
			}
			now, err := time.Parse(time.RFC3339, v.Now)
			require.NoError(t, err)

			got, err := VerifyHMAC(req, wire, keys(v.User, v.Key), now)
			if v.WantReason != "" {
				var ve *VerifyError
				require.True(t, errors.As(err, &ve), "want *VerifyError, got %v", err)
				assert.Equal(t, v.WantReason, ve.Reason)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, HMACVerified{User: v.User, Layout: v.WantLayout, BodyHash: v.WantBodyHash}, got)
		})
	}
}

// TestVerifyHMACThe2017Event checks the published sample end to end: the
// header set verifies at its own date, and its Link header, in iCIMS's form
// with a trailing comma, reads as the body's links.
func TestVerifyHMACThe2017Event(t *testing.T) {
	var v = loadHMACVectors(t).Verify[0]
	require.Equal(t, "icims-2017-sample", v.Name)
	assert.Equal(t, "2017-10-18T14:53:40+0000", v.Headers[HeaderDate])
	assert.Contains(t, v.Headers["Authorization"], ",signedheaders=content-type;host;x-icims-content-sha256;x-icims-date,signature=")
	wire, err := base64.StdEncoding.DecodeString(v.WireBase64)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, v.URL, bytes.NewReader(wire))
	for k, val := range v.Headers {
		req.Header.Set(k, val)
	}
	at := time.Date(2017, 10, 18, 14, 53, 40, 0, time.UTC)
	got, err := VerifyHMAC(req, wire, keys(v.User, v.Key), at)
	require.NoError(t, err)
	assert.Equal(t, HMACLayoutContract, got.Layout)

	ev, _, err := DecodeEvent(req.Header, wire, 1<<16)
	require.NoError(t, err)
	assert.Equal(t, "6268", ev.CustomerID)
	header, err := ParseLinkHeader(req.Header.Values("Link"))
	require.NoError(t, err)
	assert.Equal(t, ev.Links, header)
	user, ok := ev.Link(RelUser)
	require.True(t, ok)
	assert.Equal(t, Link{Rel: RelUser, Title: "Posting User", URL: "https://api.icims.com/customers/6268/people/244"}, user)
}

func keys(user, key string) func(string) ([]byte, bool) {
	return func(u string) ([]byte, bool) {
		if u != user {
			return nil, false
		}
		return []byte(key), true
	}
}

func TestVerifyHMACFailures(t *testing.T) {
	now := time.Date(2024, 3, 5, 9, 8, 7, 0, time.UTC)
	body := []byte(`{"eventType":"AssessmentEvent"}`)
	signed := func(t *testing.T) *http.Request {
		req := httptest.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events?x=1", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		require.NoError(t, SignHMAC(req, body, "hmac-1234", []byte("hmac-key-1234"), now))
		return req
	}
	tests := []struct {
		name   string
		mutate func(req *http.Request) ([]byte, time.Time)
		reason string
	}{
		{"no authorization", func(r *http.Request) ([]byte, time.Time) { r.Header.Del("Authorization"); return body, now }, ReasonMissingHeader},
		{"no date", func(r *http.Request) ([]byte, time.Time) { r.Header.Del(HeaderDate); return body, now }, ReasonMissingHeader},
		{"signed content hash not sent", func(r *http.Request) ([]byte, time.Time) { r.Header.Del(HeaderContentSHA256); return body, now }, ReasonMissingHeader},
		{"other scheme", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", "Basic YTpi")
			return body, now
		}, ReasonMalformedHeader},
		{"signature not hex", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", "x-icims-v1-hmac-sha256 user=hmac-1234,signedheaders=host;x-icims-content-sha256;x-icims-date,signature=zz")
			return body, now
		}, ReasonMalformedHeader},
		{"host not signed", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return body, now
		}, ReasonMalformedHeader},
		{"bad date", func(r *http.Request) ([]byte, time.Time) { r.Header.Set(HeaderDate, "2024-03-05"); return body, now }, ReasonMalformedHeader},
		{"compact date", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set(HeaderDate, "20240305T090807Z")
			return body, now
		}, ReasonMalformedHeader},
		{"date rewritten in the other layout", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set(HeaderDate, "2024-03-05T09:08:07+0000")
			return body, now
		}, ReasonBadSignature},
		{"content type changed", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Content-Type", "text/plain")
			return body, now
		}, ReasonBadSignature},
		{"unknown user", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "user=hmac-1234", "user=hmac-9999", 1))
			return body, now
		}, ReasonUnknownUser},
		{"date too old", func(r *http.Request) ([]byte, time.Time) { return body, now.Add(5*time.Minute + time.Second) }, ReasonDateSkew},
		{"date in future", func(r *http.Request) ([]byte, time.Time) { return body, now.Add(-5*time.Minute - time.Second) }, ReasonDateSkew},
		{"body changed", func(r *http.Request) ([]byte, time.Time) { return []byte(`{}`), now }, ReasonBodyHashMismatch},
		{"path changed", func(r *http.Request) ([]byte, time.Time) { r.URL.Path = "/icims/other"; return body, now }, ReasonBadSignature},
		{"query changed", func(r *http.Request) ([]byte, time.Time) { r.URL.RawQuery = "x=2"; return body, now }, ReasonBadSignature},
		{"host changed", func(r *http.Request) ([]byte, time.Time) { r.Host = "evil.test"; return body, now }, ReasonBadSignature},
		{"method changed", func(r *http.Request) ([]byte, time.Time) { r.Method = http.MethodPut; return body, now }, ReasonBadSignature},
		{"body and hash changed together", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set(HeaderContentSHA256, sha256Hex([]byte(`{}`)))
			return []byte(`{}`), now
		}, ReasonBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := signed(t)
			b, at := tt.mutate(req)
			_, err := VerifyHMAC(req, b, keys("hmac-1234", "hmac-key-1234"), at)
			var ve *VerifyError
			require.True(t, errors.As(err, &ve), "want *VerifyError, got %v", err)
			assert.Equal(t, tt.reason, ve.Reason)
		})
	}
	t.Run("untouched passes", func(t *testing.T) {
		got, err := VerifyHMAC(signed(t), body, keys("hmac-1234", "hmac-key-1234"), now)
		require.NoError(t, err)
		assert.Equal(t, HMACVerified{User: "hmac-1234", Layout: HMACLayoutContract, BodyHash: HMACBodyHashWire}, got)
	})
}

// TestHMACOverTheWire signs on the client and verifies in a real server, so
// Host and the escaped path are what Go's transport and server produce.
func TestHMACOverTheWire(t *testing.T) {
	now := time.Date(2024, 3, 5, 9, 8, 7, 0, time.UTC)
	var got HMACVerified
	var gotErr error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		got, gotErr = VerifyHMAC(r, body, keys("hmac-1234", "hmac-key-1234"), now)
	}))
	defer srv.Close()

	body := []byte(`{"status":{"id":"C1"}}`)
	req, err := http.NewRequest(http.MethodPatch, srv.URL+"/a%2Fb/c d?q=x+y&fields=a,b&q=%C3%A9", strings.NewReader(string(body)))
	require.NoError(t, err)
	require.NoError(t, SignHMAC(req, body, "hmac-1234", []byte("hmac-key-1234"), now))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, gotErr)
	assert.Equal(t, "hmac-1234", got.User)
}

func TestSignHMACRejectsBadInput(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "http://x.test/", nil)
	assert.Error(t, SignHMAC(req, nil, "", []byte("k"), time.Now()))
	assert.Error(t, SignHMAC(req, nil, "a, b", []byte("k"), time.Now()))
	assert.Error(t, SignHMAC(req, nil, "u", nil, time.Now()))
}
