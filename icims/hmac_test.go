package icims

import (
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

type hmacVector struct {
	Name             string `json:"name"`
	Method           string `json:"method"`
	URL              string `json:"url"`
	Body             string `json:"body"`
	User             string `json:"user"`
	Key              string `json:"key"`
	Date             string `json:"date"`
	ContentSHA256    string `json:"content_sha256"`
	CanonicalRequest string `json:"canonical_request"`
	Signature        string `json:"signature"`
}

func loadHMACVectors(t *testing.T) []hmacVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/hmac_vectors.json")
	require.NoError(t, err)
	var vs []hmacVector
	require.NoError(t, json.Unmarshal(raw, &vs))
	require.NotEmpty(t, vs)
	return vs
}

func TestSignHMACMatchesVectors(t *testing.T) {
	for _, v := range loadHMACVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			req, err := http.NewRequest(v.Method, v.URL, strings.NewReader(v.Body))
			require.NoError(t, err)
			now, err := time.Parse(HMACDateFormat, v.Date)
			require.NoError(t, err)

			require.NoError(t, SignHMAC(req, []byte(v.Body), v.User, []byte(v.Key), now))

			assert.Equal(t, v.Date, req.Header.Get(HeaderDate))
			assert.Equal(t, v.ContentSHA256, req.Header.Get(HeaderContentSHA256))
			assert.Equal(t, v.CanonicalRequest, CanonicalRequest(req, hmacSignedHeaders))
			assert.Equal(t, "x-icims-v1-hmac-sha256 user="+v.User+
				", signedheaders=host;x-icims-content-sha256;x-icims-date, signature="+v.Signature,
				req.Header.Get("Authorization"))
		})
	}
}

// TestVerifyHMACAcceptsVectors builds the server-side request from the
// vector's headers alone, as the simulator's signature would arrive.
func TestVerifyHMACAcceptsVectors(t *testing.T) {
	for _, v := range loadHMACVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			req := httptest.NewRequest(v.Method, v.URL, strings.NewReader(v.Body))
			req.Header.Set(HeaderDate, v.Date)
			req.Header.Set(HeaderContentSHA256, v.ContentSHA256)
			req.Header.Set("Authorization", "x-icims-v1-hmac-sha256 user="+v.User+
				", signedheaders=host;x-icims-content-sha256;x-icims-date, signature="+v.Signature)
			now, err := time.Parse(HMACDateFormat, v.Date)
			require.NoError(t, err)

			user, err := VerifyHMAC(req, []byte(v.Body), keys(v.User, v.Key), now.Add(4*time.Minute))
			require.NoError(t, err)
			assert.Equal(t, v.User, user)
		})
	}
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
		{"no content hash", func(r *http.Request) ([]byte, time.Time) { r.Header.Del(HeaderContentSHA256); return body, now }, ReasonMissingHeader},
		{"other scheme", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", "Basic YTpi")
			return body, now
		}, ReasonMalformedHeader},
		{"signature not hex", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", "x-icims-v1-hmac-sha256 user=hmac-1234, signedheaders=host;x-icims-content-sha256;x-icims-date, signature=zz")
			return body, now
		}, ReasonMalformedHeader},
		{"host not signed", func(r *http.Request) ([]byte, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return body, now
		}, ReasonMalformedHeader},
		{"bad date", func(r *http.Request) ([]byte, time.Time) { r.Header.Set(HeaderDate, "2024-03-05"); return body, now }, ReasonMalformedHeader},
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
		user, err := VerifyHMAC(signed(t), body, keys("hmac-1234", "hmac-key-1234"), now)
		require.NoError(t, err)
		assert.Equal(t, "hmac-1234", user)
	})
}

// TestHMACOverTheWire signs on the client and verifies in a real server, so
// Host and the escaped path are what Go's transport and server produce.
func TestHMACOverTheWire(t *testing.T) {
	now := time.Date(2024, 3, 5, 9, 8, 7, 0, time.UTC)
	var gotUser string
	var gotErr error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		gotUser, gotErr = VerifyHMAC(r, body, keys("hmac-1234", "hmac-key-1234"), now)
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
	assert.Equal(t, "hmac-1234", gotUser)
}

func TestSignHMACRejectsBadInput(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "http://x.test/", nil)
	assert.Error(t, SignHMAC(req, nil, "", []byte("k"), time.Now()))
	assert.Error(t, SignHMAC(req, nil, "a, b", []byte("k"), time.Now()))
	assert.Error(t, SignHMAC(req, nil, "u", nil, time.Now()))
}
