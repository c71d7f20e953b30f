package icims

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
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

// HMACDateFormat is the x-icims-date layout SignHMAC writes: RFC 3339 to
// the second in UTC (…T14:53:40Z), as the public vendor code that signs
// iCIMS API calls writes it.
const HMACDateFormat = "2006-01-02T15:04:05Z"

// HMACEventDateFormat is the x-icims-date layout of the event iCIMS staff
// posted in 2017 (2017-10-18T14:53:40+0000). VerifyHMAC accepts it and RFC
// 3339.
const HMACEventDateFormat = "2006-01-02T15:04:05-0700"

// HMACMaxSkew is how far x-icims-date may be from the verifier's clock, either
// way, before a request is refused as replayed or mis-clocked.
const HMACMaxSkew = 5 * time.Minute

// maxHMACInflatedBytes bounds the inflating VerifyHMAC does to check a
// content hash taken over the JSON rather than the gzip bytes; events are a
// few kilobytes, and the event decoder refuses far less than this.
const maxHMACInflatedBytes = 8 << 20

// hmacRequiredHeaders are the headers a signature must cover, whatever
// else it lists (contract §2).
var hmacRequiredHeaders = []string{"host", HeaderDate}

// HMACLayout names the canonical request a signature matched. The
// documented material leaves one point open, a line with the content hash
// after the signed-headers line, so VerifyHMAC accepts both and says which.
type HMACLayout string

// The canonical request layouts VerifyHMAC accepts.
const (
	// HMACLayoutContract ends with the signed-headers line, as the public
	// vendor code does; SignHMAC writes it.
	HMACLayoutContract HMACLayout = "signed-headers-last"
	// HMACLayoutTrailingHash adds "\n<x-icims-content-sha256>" after it.
	HMACLayoutTrailingHash HMACLayout = "trailing-content-hash"
)

// HMACBodyHash says what x-icims-content-sha256 was found to hash. iCIMS
// documents nothing about gzip, so both the bytes received and the inflated
// body are accepted.
type HMACBodyHash string

// What x-icims-content-sha256 matched.
const (
	HMACBodyHashAbsent   HMACBodyHash = "absent"
	HMACBodyHashWire     HMACBodyHash = "wire"
	HMACBodyHashInflated HMACBodyHash = "inflated"
)

// HMACVerified is what VerifyHMAC learnt from a request it accepted; the
// layout and the body hash are logged, to find out how iCIMS really signs.
type HMACVerified struct {
	User     string
	Layout   HMACLayout
	BodyHash HMACBodyHash
}

// Reasons a VerifyError carries; each failure has its own so that logs and
// the simulator can tell them apart.
const (
	ReasonMissingHeader    = "missing header"
	ReasonMalformedHeader  = "malformed header"
	ReasonUnknownUser      = "unknown user"
	ReasonDateSkew         = "date skew"
	ReasonBadSignature     = "bad signature"
	ReasonBodyHashMismatch = "body hash mismatch"
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

// SignHMAC signs req with iCIMS's x-icims-v1-hmac-sha256 scheme in the
// contract's layout: it sets x-icims-date (RFC 3339, UTC),
// x-icims-content-sha256 and Authorization. body must be the exact bytes
// that will be sent (nil for none); req's body is not read. Content-Type is
// signed when req has one, so set it first. A request without one (a GET)
// leaves it out of signedheaders rather than signing an empty value: how
// iCIMS renders a header that is not there is undocumented, while a list
// without it is the documented minimum (host;x-icims-date) plus the hash.
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
	signed := []string{"host", HeaderContentSHA256, HeaderDate}
	if req.Header.Get("Content-Type") != "" {
		signed = append([]string{"content-type"}, signed...)
	}
	sig := hmacSignature(CanonicalRequest(req, signed), date, key)
	// Spaces after the commas, as iCIMS's own HMAC page writes the header.
	req.Header.Set("Authorization", fmt.Sprintf("%s user=%s, signedheaders=%s, signature=%s",
		HMACScheme, user, strings.Join(signed, ";"), sig))
	return nil
}

// VerifyHMAC checks req's HMAC signature and, when sent, its content hash
// over body (the bytes as received), and returns the signing user with the
// layout that matched. keyFor looks up a user's key. Failures are
// *VerifyError. The signature is checked before the content hash, so that
// only a correctly signed request can make it inflate a body.
func VerifyHMAC(req *http.Request, body []byte, keyFor func(user string) ([]byte, bool), now time.Time) (HMACVerified, error) {
	authz := req.Header.Get("Authorization")
	if authz == "" {
		return HMACVerified{}, &VerifyError{Reason: ReasonMissingHeader, Detail: "Authorization"}
	}
	p, err := parseHMACAuthorization(authz)
	if err != nil {
		return HMACVerified{}, err
	}
	date := req.Header.Get(HeaderDate)
	if date == "" {
		return HMACVerified{}, &VerifyError{Reason: ReasonMissingHeader, Detail: HeaderDate}
	}
	signedAt, err := parseHMACDate(date)
	if err != nil {
		return HMACVerified{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: HeaderDate + " " + date}
	}
	contentHash := req.Header.Get(HeaderContentSHA256)
	if contentHash == "" && slices.Contains(p.signedHeaders, HeaderContentSHA256) {
		return HMACVerified{}, &VerifyError{Reason: ReasonMissingHeader, Detail: HeaderContentSHA256}
	}
	key, ok := keyFor(p.user)
	if !ok || len(key) == 0 {
		return HMACVerified{}, &VerifyError{Reason: ReasonUnknownUser, Detail: p.user}
	}
	if skew := now.Sub(signedAt); skew > HMACMaxSkew || skew < -HMACMaxSkew {
		return HMACVerified{}, &VerifyError{Reason: ReasonDateSkew, Detail: fmt.Sprintf("%s is %s from now", date, skew.Round(time.Second))}
	}
	v := HMACVerified{User: p.user, BodyHash: HMACBodyHashAbsent}
	canonical := CanonicalRequest(req, p.signedHeaders)
	switch {
	case hmac.Equal([]byte(hmacSignature(canonical, date, key)), []byte(p.signature)):
		v.Layout = HMACLayoutContract
	case contentHash != "" && hmac.Equal([]byte(hmacSignature(canonical+"\n"+contentHash, date, key)), []byte(p.signature)):
		v.Layout = HMACLayoutTrailingHash
	default:
		return HMACVerified{}, &VerifyError{Reason: ReasonBadSignature}
	}
	if contentHash != "" {
		if v.BodyHash = bodyHashMatch(req.Header.Values("Content-Encoding"), body, strings.ToLower(contentHash)); v.BodyHash == "" {
			return HMACVerified{}, &VerifyError{Reason: ReasonBodyHashMismatch}
		}
	}
	return v, nil
}

// parseHMACDate reads x-icims-date in either layout iCIMS is seen to use.
func parseHMACDate(date string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, date); err == nil {
		return t, nil
	}
	return time.Parse(HMACEventDateFormat, date)
}

// bodyHashMatch says which form of the body hashes to want: the bytes as
// received or, for a gzip body, the inflated JSON; "" when neither does.
func bodyHashMatch(encodings []string, wire []byte, want string) HMACBodyHash {
	if hmac.Equal([]byte(want), []byte(sha256Hex(wire))) {
		return HMACBodyHashWire
	}
	if len(encodings) == 0 {
		return ""
	}
	inflated, err := decodeContent(encodings, wire, maxHMACInflatedBytes)
	if err != nil || !hmac.Equal([]byte(want), []byte(sha256Hex(inflated))) {
		return ""
	}
	return HMACBodyHashInflated
}

type hmacParams struct {
	user          string
	signedHeaders []string
	signature     string
}

// parseHMACAuthorization reads "x-icims-v1-hmac-sha256 user=…, signedheaders=…,
// signature=…", with or without spaces after the commas.
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
	for _, name := range hmacRequiredHeaders {
		if !listed[name] {
			return hmacParams{}, &VerifyError{Reason: ReasonMalformedHeader, Detail: "signedheaders lacks " + name}
		}
	}
	p.signature = strings.ToLower(p.signature)
	return p, nil
}

// hmacSignature is hex HMAC-SHA256, with the key as given, of
// "scheme\ndate\nhex sha256(canonical request)".
func hmacSignature(canonical, date string, key []byte) string {
	toSign := HMACScheme + "\n" + date + "\n" + sha256Hex([]byte(canonical))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(toSign))
	return hex.EncodeToString(m.Sum(nil))
}

// CanonicalRequest is the text the HMAC scheme hashes before signing, in
// the contract's layout: METHOD, escaped path, raw query, the signed
// headers as sorted name:value lines, an empty line and the signed-headers
// list, with nothing after it. It is exported so that a failing
// verification can be debugged from both ends.
func CanonicalRequest(req *http.Request, signedHeaders []string) string {
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	sorted := slices.Clone(signedHeaders)
	slices.Sort(sorted)
	var b strings.Builder
	b.WriteString(req.Method + "\n" + path + "\n" + req.URL.RawQuery + "\n")
	for _, name := range sorted {
		b.WriteString(name + ":" + strings.TrimSpace(signedHeaderValue(req, name)) + "\n")
	}
	b.WriteString("\n" + strings.Join(signedHeaders, ";"))
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

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
