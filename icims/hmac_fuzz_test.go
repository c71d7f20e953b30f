package icims

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fuzzNow is the verifier's clock in the fuzz targets.
var fuzzNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const (
	fuzzUser = "hmac-1234"
	fuzzKey  = "hmac-key-1234"
)

// FuzzVerifyHMAC signs a request with SignHMAC, lets the fuzzer change the
// body, the path, the date and the Authorization header the verifier sees,
// and checks that VerifyHMAC accepts exactly the untouched request: a
// signature must not survive any change to what it signs.
func FuzzVerifyHMAC(f *testing.F) {
	f.Add("/icims/events", "a=1&b=2", []byte(`{"eventType":"x"}`), []byte(`{"eventType":"x"}`), "", "", int64(0))
	f.Add("/icims/events", "", []byte(`{}`), []byte(`{} `), "", "", int64(0))
	f.Add("/icims/events", "", []byte(`{}`), []byte(`{}`), "/icims/events/", "", int64(0))
	f.Add("/icims/events", "", []byte(`{}`), []byte(`{}`), "", "x-icims-v1-hmac-sha256 user=hmac-1234, signedheaders=host;x-icims-content-sha256;x-icims-date, signature="+strings.Repeat("0", 64), int64(0))
	f.Add("/icims/events", "", []byte(`{}`), []byte(`{}`), "", "", int64(301))
	f.Add("/icims/events", "", []byte(`{}`), []byte(`{}`), "", "", int64(-299))
	f.Fuzz(func(t *testing.T, path, query string, signedBody, sentBody []byte, sentPath, authz string, skewSeconds int64) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, "# \t\r\n?") {
			t.Skip()
		}
		req, err := http.NewRequest(http.MethodPost, "http://jobcannon.test"+path+"?"+query, nil)
		if err != nil {
			t.Skip()
		}
		signedAt := fuzzNow.Add(time.Duration(skewSeconds%100000) * time.Second)
		if err := SignHMAC(req, signedBody, fuzzUser, []byte(fuzzKey), signedAt); err != nil {
			t.Fatal(err)
		}
		signedPath := req.URL.EscapedPath()
		if sentPath != "" {
			if !strings.HasPrefix(sentPath, "/") || strings.ContainsAny(sentPath, "# \t\r\n?") {
				t.Skip()
			}
			if err := req.URL.UnmarshalBinary([]byte("http://jobcannon.test" + sentPath + "?" + query)); err != nil {
				t.Skip()
			}
		}
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		keyFor := func(user string) ([]byte, bool) { return []byte(fuzzKey), user == fuzzUser }
		got, err := VerifyHMAC(req, sentBody, keyFor, fuzzNow)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if got.User != fuzzUser {
			t.Fatalf("verified as %q", got.User)
		}
		if !bytes.Equal(signedBody, sentBody) {
			t.Fatalf("a changed body verified: signed %q, sent %q", signedBody, sentBody)
		}
		if req.URL.EscapedPath() != signedPath {
			t.Fatalf("a changed path verified: signed %q, sent %q", signedPath, req.URL.EscapedPath())
		}
		if d := fuzzNow.Sub(signedAt); d > HMACMaxSkew || d < -HMACMaxSkew {
			t.Fatalf("a date %s from now verified", d)
		}
	})
}

// FuzzInboundAuthenticate gives Authenticate arbitrary Authorization and
// HMAC headers: it must never panic, refuse with anything but an
// *AuthError, or accept credentials it was not given.
func FuzzInboundAuthenticate(f *testing.F) {
	f.Add("Basic YXBpLTEyMzQ6YmFzaWMtc2VjcmV0LTEyMzQ=", "", "", []byte(`{}`))
	f.Add("Basic dTpwOnE=", "", "", []byte(`{}`))
	f.Add("Bearer tok-1234", "", "", []byte(`{}`))
	f.Add("bearer  tok-1234 ", "", "", []byte(`{}`))
	signed, _ := http.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events", nil)
	if err := SignHMAC(signed, []byte(`{"eventType":"x"}`), fuzzUser, []byte(fuzzKey), fuzzNow); err != nil {
		f.Fatal(err)
	}
	f.Add(signed.Header.Get("Authorization"), signed.Header.Get(HeaderDate), signed.Header.Get(HeaderContentSHA256), []byte(`{"eventType":"x"}`))
	f.Add("x-icims-v1-hmac-sha256 user=hmac-1234,,", "", "", []byte(nil))
	f.Add("Digest username=x", "", "", []byte(nil))
	auth := InboundAuth{
		Password: func(_ context.Context, user string) (string, bool, error) {
			return "basic-secret-1234", user == "api-1234", nil
		},
		HMACKey: func(_ context.Context, user string) ([]byte, bool, error) {
			return []byte(fuzzKey), user == fuzzUser, nil
		},
		Token: func(_ context.Context, token string) (string, bool, error) {
			return "client-1234", token == "tok-1234", nil
		},
	}
	f.Fuzz(func(t *testing.T, authz, date, contentHash string, body []byte) {
		req, err := http.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", authz)
		req.Header.Set(HeaderDate, date)
		req.Header.Set(HeaderContentSHA256, contentHash)
		creds, err := auth.Authenticate(req, body, fuzzNow)
		if err != nil {
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		switch creds.Scheme {
		case InboundBasic:
			if creds.User != "api-1234" || creds.Password != "" {
				t.Fatalf("basic accepted as %+v", creds)
			}
			if p, _ := ParseAuthorization(authz); p.Password != "basic-secret-1234" {
				t.Fatalf("basic accepted with password %q", p.Password)
			}
		case InboundBearer:
			if creds.User != "client-1234" || creds.Token != "" {
				t.Fatalf("bearer accepted as %+v", creds)
			}
		case InboundHMAC:
			if creds.User != fuzzUser {
				t.Fatalf("hmac accepted as %+v", creds)
			}
			// The fuzzer cannot forge a signature; it can only replay
			// the seed's, whose date and body it then cannot change.
			if strings.ToLower(contentHash) != sha256Hex(body) {
				t.Fatalf("hmac accepted with a content hash that is not the body's")
			}
		default:
			t.Fatalf("accepted an unknown scheme %+v", creds)
		}
	})
}
