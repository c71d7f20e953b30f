package assessments

import (
	"bytes"
	"encoding/json"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret the logs page would otherwise show.
const Redacted = "[redacted]"

// RedactAttempt returns the attempt as the logs page may show it: secret
// headers masked, tokens in URLs and bodies replaced. Storage already
// keeps no credentials (RedactHeaders, and the iCIMS client reports calls
// without their Authorization header); this is the second line, for
// whatever a body or a URL carries: OAuth tokens and client secrets in a
// token exchange, passwords, and the tokens of candidate, report, confirm
// and admin-invitation links.
func RedactAttempt(a DeliveryAttempt) DeliveryAttempt {
	a.URL = RedactURL(a.URL)
	if len(a.RequestHeaders) > 0 {
		h := make(map[string]string, len(a.RequestHeaders))
		for name, v := range a.RequestHeaders {
			canon := textproto.CanonicalMIMEHeaderKey(name)
			if secret, known := secretHeaders[canon]; (known && secret) || (!known && secretName(canon)) {
				h[canon] = Redacted
				continue
			}
			h[canon] = RedactText(v)
		}
		a.RequestHeaders = h
	}
	a.RequestBody = RedactBody(a.RequestBody)
	a.ResponseBody = RedactBody(a.ResponseBody)
	a.Error = RedactText(a.Error)
	return a
}

// linkToken matches the secret part of the links JobCannon hands out: the
// candidate's /a/{token}, the recruiter's /r/{token} and confirm links, an
// admin invitation's token.
var linkToken = regexp.MustCompile(`(/a/|/r/|/icims/confirm/|/admin/invite/)[A-Za-z0-9._~%+=-]+`)

// secretQuery matches query or form parameters that carry secrets.
var secretQuery = regexp.MustCompile(`(?i)\b((?:access_|refresh_|id_)?token|client_secret|password|secret|code|code_verifier|state|signature|api_?key)=[^&\s"']+`)

// bearer matches credentials written out in text: an Authorization
// header's value in an error message or a dumped request.
var bearer = regexp.MustCompile(`(?i)\b(bearer|basic|x-icims-v1-hmac-sha256)\s+[A-Za-z0-9._~+/=,:-]{8,}`)

// secretJSON matches a JSON member whose name says it holds a secret and
// whose value is a string.
var secretJSON = regexp.MustCompile(`(?i)("[^"]*(?:token|secret|password|passwd|authorization|api_?key|signature|code_verifier|cookie)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// RedactURL replaces link tokens and secret query parameters in a URL.
func RedactURL(u string) string {
	return RedactText(u)
}

// RedactText replaces link tokens, secret parameters and written-out
// credentials in free text.
func RedactText(s string) string {
	if s == "" {
		return s
	}
	s = linkToken.ReplaceAllString(s, "${1}"+Redacted)
	s = secretQuery.ReplaceAllString(s, "${1}="+Redacted)
	return bearer.ReplaceAllString(s, "${1} "+Redacted)
}

// RedactBody redacts a request or response body: secret members of a JSON
// document (which is then indented for reading), secret fields of a form,
// and link tokens anywhere.
func RedactBody(body string) string {
	trimmed := strings.TrimSpace(body)
	if trimmed == "" {
		return body
	}
	if (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid([]byte(trimmed)) {
		red := secretJSON.ReplaceAllString(trimmed, `${1}"`+Redacted+`"`)
		red = RedactText(red)
		var out bytes.Buffer
		if json.Indent(&out, []byte(red), "", "  ") == nil {
			return out.String()
		}
		return red
	}
	if looksLikeForm(trimmed) {
		return RedactText(trimmed)
	}
	return RedactText(body)
}

// looksLikeForm reports whether s is an application/x-www-form-urlencoded
// body (a token request, say).
func looksLikeForm(s string) bool {
	if strings.ContainsAny(s, " \n\t") || !strings.Contains(s, "=") {
		return false
	}
	_, err := url.ParseQuery(s)
	return err == nil
}
