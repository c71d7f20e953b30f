package icims

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// HMACScheme is the Authorization scheme of iCIMS's HMAC signature.
const HMACScheme = "x-icims-v1-hmac-sha256"

// Header names the HMAC scheme signs and sets.
const (
	HeaderDate          = "x-icims-date"
	HeaderContentSHA256 = "x-icims-content-sha256"
)

// HMACDateFormat is the layout of the x-icims-date header (UTC).
const HMACDateFormat = "20060102T150405Z"

// HMACMaxSkew is how far x-icims-date may be from the verifier's clock, either
// way, before a request is refused as replayed or mis-clocked.
const HMACMaxSkew = 5 * time.Minute

// hmacSignedHeaders is the fixed list SignHMAC signs; a verifier accepts any
// list that contains at least these, so a signer may add headers later.
var hmacSignedHeaders = []string{"host", HeaderContentSHA256, HeaderDate}

// Reasons a VerifyError carries; each failure has its own so that logs and
// the simulator can tell them apart.
const (
	ReasonMissingHeader    = "missing header"
	ReasonMalformedHeader  = "malformed header"
	ReasonUnknownUser      = "unknown user"
	ReasonDateSkew         = "date skew"
	ReasonBodyHashMismatch = "body hash mismatch"
	ReasonBadSignature     = "bad signature"
)

// VerifyError is why VerifyHMAC refused a request. Reason is one of the
// Reason* constants; Detail says which header or value, for logs only.
type VerifyError struct {
	Reason string
	Detail string
}

// Error implements the error interface.
func (e *VerifyError) Error() string {
	if e.Detail == "" {
		return "icims: hmac: " + e.Reason
	}
	return "icims: hmac: " + e.Reason + ": " + e.Detail
}

// SignHMAC signs req with iCIMS's x-icims-v1-hmac-sha256 scheme: it sets
// x-icims-date, x-icims-content-sha256 and Authorization. body must be the
// exact bytes that will be sent (nil for none); req's body is not read.
func SignHMAC(req *http.Request, body []byte, user string, key []byte, now time.Time) error {
	if user == "" || strings.ContainsAny(user, ", =") {
		return fmt.Errorf("icims: sign hmac: invalid user %q", user)
	}
	if len(key) == 0 {
		return fmt.Errorf("icims: sign hmac: empty key")
	}
	date := now.UTC().Format(HMACDateFormat)
	req.Header.Set(HeaderDate, date)
	req.Header.Set(HeaderContentSHA256, sha256Hex(body))
	sig := hmacSignature(req, hmacSignedHeaders, date, key)
	req.Header.Set("Authorization", fmt.Sprintf("%s user=%s, signedheaders=%s, signature=%s",
		HMACScheme, user, strings.Join(hmacSignedHeaders, ";"), sig))
	return nil
}

// VerifyHMAC checks req's HMAC signature over body (the bytes as received)
// and returns the signing user. keyFor looks up a user's key. Failures are
// *VerifyError; the checks run in the order of the Reason* constants.
func VerifyHMAC(req *http.Request, body []byte, keyFor func(user string) ([]byte, bool), now time.Time) (string, error) {
	authz := req.Header.Get("Authorization")
	if authz == "" {
		return "", &VerifyError{Reason: ReasonMissingHeader, Detail: "Authorization"}
	}
	date := req.Header.Get(HeaderDate)
	if date == "" {
		return "", &VerifyError{Reason: ReasonMissingHeader, Detail: HeaderDate}
	}
	contentHash := req.Header.Get(HeaderContentSHA256)
	if contentHash == "" {
		return "", &VerifyError{Reason: ReasonMissingHeader, Detail: HeaderContentSHA256}
	}
	p, err := parseHMACAuthorization(authz)
	if err != nil {
		return "", err
	}
	signedAt, err := time.Parse(HMACDateFormat, date)
	if err != nil {
		return "", &VerifyError{Reason: ReasonMalformedHeader, Detail: HeaderDate}
	}
	key, ok := keyFor(p.user)
	if !ok || len(key) == 0 {
		return "", &VerifyError{Reason: ReasonUnknownUser, Detail: p.user}
	}
	if skew := now.Sub(signedAt); skew > HMACMaxSkew || skew < -HMACMaxSkew {
		return "", &VerifyError{Reason: ReasonDateSkew, Detail: fmt.Sprintf("%s is %s from now", date, skew.Round(time.Second))}
	}
	if !hmac.Equal([]byte(strings.ToLower(contentHash)), []byte(sha256Hex(body))) {
		return "", &VerifyError{Reason: ReasonBodyHashMismatch}
	}
	want := hmacSignature(req, p.signedHeaders, date, key)
	if !hmac.Equal([]byte(want), []byte(p.signature)) {
		return "", &VerifyError{Reason: ReasonBadSignature}
	}
	return p.user, nil
}

type hmacParams struct {
	user          string
	signedHeaders []string
	signature     string
}

// parseHMACAuthorization reads "x-icims-v1-hmac-sha256 user=…, signedheaders=…, signature=…".
func parseHMACAuthorization(h string) (hmacParams, error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, HMACScheme) {
		return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "Authorization scheme is not " + HMACScheme}
	}
	var p hmacParams
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || v == "" || seen[k] {
			return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "Authorization parameter " + strings.TrimSpace(part)}
		}
		seen[k] = true
		switch k {
		case "user":
			p.user = v
		case "signedheaders":
			p.signedHeaders = strings.Split(v, ";")
		case "signature":
			p.signature = v
		}
	}
	if p.user == "" || p.signature == "" || p.signedHeaders == nil {
		return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "Authorization needs user, signedheaders and signature"}
	}
	if _, err := hex.DecodeString(p.signature); err != nil || len(p.signature) != 2*sha256.Size {
		return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "signature is not a hex SHA-256"}
	}
	listed := map[string]bool{}
	for _, name := range p.signedHeaders {
		if name == "" || name != strings.ToLower(name) || listed[name] {
			return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "signedheaders " + strings.Join(p.signedHeaders, ";")}
		}
		listed[name] = true
	}
	for _, name := range hmacSignedHeaders {
		if !listed[name] {
			return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "signedheaders lacks " + name}
		}
	}
	p.signature = strings.ToLower(p.signature)
	return p, nil
}

// hmacSignature computes the hex signature of req over the given headers.
func hmacSignature(req *http.Request, signedHeaders []string, date string, key []byte) string {
	toSign := HMACScheme + "\n" + date + "\n" + sha256Hex([]byte(CanonicalRequest(req, signedHeaders)))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(toSign))
	return hex.EncodeToString(m.Sum(nil))
}

// CanonicalRequest is the text the HMAC scheme hashes before signing. It is
// exported so that a failing verification can be debugged from both ends.
func CanonicalRequest(req *http.Request, signedHeaders []string) string {
	var b strings.Builder
	b.WriteString(req.Method)
	b.WriteByte('\n')
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(req.URL.Query()))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(signedHeaderValue(req, name)))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(req.Header.Get(HeaderContentSHA256))
	return b.String()
}

// signedHeaderValue reads Host from the request itself: Go moves the Host
// header out of req.Header on both the client and the server side.
func signedHeaderValue(req *http.Request, name string) string {
	if name == "host" {
		if req.Host != "" {
			return req.Host
		}
		return req.URL.Host
	}
	return strings.Join(req.Header.Values(name), ",")
}

func canonicalQuery(q url.Values) string {
	pairs := make([]string, 0, len(q))
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(pairs, "&")
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
