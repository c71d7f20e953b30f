package icims

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   InboundCredentials
		reason string
	}{
		{"basic", "Basic YXBpLTEyMzQ6YmFzaWMtc2VjcmV0LTEyMzQ=", InboundCredentials{Scheme: InboundBasic, User: "api-1234", Password: "basic-secret-1234"}, ""},
		{"basic password with colon", "basic dTpwOnE=", InboundCredentials{Scheme: InboundBasic, User: "u", Password: "p:q"}, ""},
		{"bearer", "Bearer abc.def", InboundCredentials{Scheme: InboundBearer, Token: "abc.def"}, ""},
		{"hmac", "x-icims-v1-hmac-sha256 user=hmac-1234, signedheaders=host;x-icims-content-sha256;x-icims-date, signature=" + strings.Repeat("ab", 32),
			InboundCredentials{Scheme: InboundHMAC, User: "hmac-1234"}, ""},
		{"empty", "", InboundCredentials{}, ReasonNoAuthorization},
		{"basic not base64", "Basic !!!", InboundCredentials{}, ReasonMalformedAuth},
		{"basic without colon", "Basic dXNlcg==", InboundCredentials{}, ReasonMalformedAuth},
		{"bearer empty", "Bearer ", InboundCredentials{}, ReasonMalformedAuth},
		{"hmac without signature", "x-icims-v1-hmac-sha256 user=u, signedheaders=host", InboundCredentials{}, ReasonMalformedAuth},
		{"digest", "Digest username=x", InboundCredentials{}, ReasonUnsupportedScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorization(tt.header)
			if tt.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			var ae *AuthError
			require.True(t, errors.As(err, &ae), "want *AuthError, got %v", err)
			assert.Equal(t, tt.reason, ae.Reason)
		})
	}
}

func TestInboundCredentialsStringHidesSecrets(t *testing.T) {
	s := InboundCredentials{Scheme: InboundBasic, User: "u", Password: "hunter2", Token: "tok"}.String()
	assert.NotContains(t, s, "hunter2")
	assert.NotContains(t, s, "tok")
	assert.Contains(t, s, "u")
}

func TestSecretEqual(t *testing.T) {
	assert.True(t, SecretEqual("s3cret", "s3cret"))
	assert.False(t, SecretEqual("s3cret", "s3creT"))
	assert.False(t, SecretEqual("s3cret", "s3cret-longer"))
	assert.False(t, SecretEqual("", ""), "an empty configured secret never matches")
}

func TestInboundAuthAuthenticate(t *testing.T) {
	now := time.Date(2024, 3, 5, 9, 8, 7, 0, time.UTC)
	body := []byte(`{"eventType":"AssessmentEvent"}`)
	lookupFailed := errors.New("database is locked")
	auth := InboundAuth{
		Password: func(_ context.Context, user string) (string, bool, error) {
			if user == "broken" {
				return "", false, lookupFailed
			}
			return "basic-secret-1234", user == "api-1234", nil
		},
		HMACKey: func(_ context.Context, user string) ([]byte, bool, error) {
			return []byte("hmac-key-1234"), user == "hmac-1234", nil
		},
		Token: func(_ context.Context, token string) (string, bool, error) {
			return "cc-1234", token == "good-token", nil
		},
	}
	req := func(authz string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://jobcannon.test/icims/events", strings.NewReader(string(body)))
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		return r
	}
	hmacReq := func(user, key string) *http.Request {
		r := req("")
		require.NoError(t, SignHMAC(r, body, user, []byte(key), now))
		return r
	}

	tests := []struct {
		name     string
		auth     InboundAuth
		r        *http.Request
		wantUser string
		reason   string
		wantErr  error
	}{
		{"basic ok", auth, req("Basic YXBpLTEyMzQ6YmFzaWMtc2VjcmV0LTEyMzQ="), "api-1234", "", nil},
		{"basic wrong password", auth, req("Basic YXBpLTEyMzQ6bm9wZQ=="), "", ReasonWrongPassword, nil},
		{"basic unknown user", auth, req("Basic eDp5"), "", ReasonUnknownCredentials, nil},
		{"basic lookup fails", auth, req("Basic YnJva2VuOng="), "", "", lookupFailed},
		{"basic disabled", InboundAuth{Token: auth.Token}, req("Basic YXBpLTEyMzQ6YmFzaWMtc2VjcmV0LTEyMzQ="), "", ReasonSchemeNotAllowed, nil},
		{"hmac ok", auth, hmacReq("hmac-1234", "hmac-key-1234"), "hmac-1234", "", nil},
		{"hmac wrong key", auth, hmacReq("hmac-1234", "other-key"), "", ReasonBadSignature, nil},
		{"hmac unknown user", auth, hmacReq("hmac-9", "hmac-key-1234"), "", ReasonUnknownUser, nil},
		{"bearer ok", auth, req("Bearer good-token"), "cc-1234", "", nil},
		{"bearer unknown", auth, req("Bearer bad-token"), "", ReasonUnknownCredentials, nil},
		{"missing", auth, req(""), "", ReasonNoAuthorization, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.auth.Authenticate(tt.r, body, now)
			switch {
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
				var ae *AuthError
				assert.False(t, errors.As(err, &ae), "a failed lookup is not a refusal")
			case tt.reason != "":
				var ae *AuthError
				require.True(t, errors.As(err, &ae), "want *AuthError, got %v", err)
				assert.Equal(t, tt.reason, ae.Reason)
			default:
				require.NoError(t, err)
				assert.Equal(t, tt.wantUser, got.User)
				assert.Empty(t, got.Password)
			}
		})
	}
}
