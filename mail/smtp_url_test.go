package mail

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSMTPURL(t *testing.T) {
	cases := []struct {
		in   string
		want SMTPConfig
		err  string
	}{
		{"smtp://user:pass@mail.example.com:587", SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: TLSOpportunistic}, ""},
		{"smtp://mail.example.com", SMTPConfig{Host: "mail.example.com", Port: 587, TLS: TLSOpportunistic}, ""},
		{"smtp://u%40x:p%2Fw%3A@h:2525?tls=required", SMTPConfig{Host: "h", Port: 2525, Username: "u@x", Password: "p/w:", TLS: TLSRequired}, ""},
		{"smtp://localhost:25?tls=none", SMTPConfig{Host: "localhost", Port: 25, TLS: TLSNone}, ""},
		{"smtp://[::1]:25?tls=NONE", SMTPConfig{Host: "::1", Port: 25, TLS: TLSNone}, ""},
		{"smtps://user:pass@smtp.example.com", SMTPConfig{Host: "smtp.example.com", Port: 465, Username: "user", Password: "pass", TLS: TLSImplicit}, ""},
		{"smtps://h:1465/", SMTPConfig{Host: "h", Port: 1465, TLS: TLSImplicit}, ""},

		{"http://mail.example.com", SMTPConfig{}, `unknown scheme "http"`},
		{"mail.example.com:587", SMTPConfig{}, "unknown scheme"},
		{"mail.example.com", SMTPConfig{}, "missing scheme"},
		{"smtp://", SMTPConfig{}, "missing host"},
		{"smtp://:587", SMTPConfig{}, "missing host"},
		{"smtp://user:secretpw@h:abc", SMTPConfig{}, "invalid port"},
		{"smtp://h:0", SMTPConfig{}, `port "0" is not a number from 1 to 65535`},
		{"smtp://h:70000", SMTPConfig{}, `port "70000"`},
		{"smtp://h/inbox", SMTPConfig{}, "unexpected path"},
		{"smtp://h?tls=maybe", SMTPConfig{}, "tls=maybe is not one of"},
		{"smtp://h?tsl=none", SMTPConfig{}, `unknown parameter "tsl"`},
		{"smtps://h?tls=none", SMTPConfig{}, "smtps:// always uses TLS"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseSMTPURL(c.in)
			if c.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.err)
				assert.NotContains(t, err.Error(), "secretpw", "errors never show the password")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestSMTPConfigStringHidesPassword(t *testing.T) {
	for in, want := range map[string]string{
		"smtp://user:hunter2@h:587":  "smtp://user:xxxxx@h:587",
		"smtps://h":                  "smtps://h:465",
		"smtp://h:25?tls=none":       "smtp://h:25?tls=none",
		"smtp://h?tls=required":      "smtp://h:587?tls=required",
		"smtp://h?tls=opportunistic": "smtp://h:587",
	} {
		c, err := ParseSMTPURL(in)
		require.NoError(t, err)
		assert.Equal(t, want, c.String())
	}
}
