package icimstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
)

// The simulator signs and checks HMAC with its own code, written from the
// contract (§2 "HMAC, as iCIMS really sends it"), never with the product's
// icims.SignHMAC or icims.VerifyHMAC: a test where both ends share one
// implementation cannot catch a layout both ends get wrong.
const (
	hmacScheme = "x-icims-v1-hmac-sha256"
	// hmacEventDateLayout is the x-icims-date of the event iCIMS staff
	// posted in 2017: 2017-10-18T14:53:40+0000.
	hmacEventDateLayout = "2006-01-02T15:04:05-0700"
	// hmacEventSignedHeaders is the list that 2017 event signed.
	hmacEventSignedHeaders = "content-type;host;x-icims-content-sha256;x-icims-date"
	// hmacMaxSkew is how far a signed call's date may be from the
	// simulator's clock.
	hmacMaxSkew = 5 * time.Minute
)

// signEvent signs an outbound event as iCIMS does: the content hash is of
// the bytes as sent (the gzip bytes when gzipped), the date has a +0000
// offset, and the Authorization parameters have no spaces after commas.
// req must already carry its Content-Type.
func signEvent(req *http.Request, wire []byte, user, key string, now time.Time) {
	sum := sha256.Sum256(wire)
	req.Header.Set("x-icims-date", now.UTC().Format(hmacEventDateLayout))
	req.Header.Set("x-icims-content-sha256", hex.EncodeToString(sum[:]))
	names := strings.Split(hmacEventSignedHeaders, ";")
	sig := hmacSignatureOf(req, names, key)
	req.Header.Set("Authorization", hmacScheme+" user="+user+",signedheaders="+hmacEventSignedHeaders+",signature="+sig)
}

// hmacSignatureOf is the contract's signature: hex HMAC-SHA256, with the key
// as given, of "scheme\ndate\nhex sha256(canonical request)".
func hmacSignatureOf(req *http.Request, names []string, key string) string {
	canon := sha256.Sum256([]byte(hmacCanonical(req, names)))
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(hmacScheme + "\n" + req.Header.Get("x-icims-date") + "\n" + hex.EncodeToString(canon[:])))
	return hex.EncodeToString(m.Sum(nil))
}

// hmacCanonical is METHOD\npath\nrawquery\n<sorted name:value lines>\n\n<signed
// headers>, with nothing after the signed-headers line.
func hmacCanonical(req *http.Request, names []string) string {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	lines := make([]string, 0, len(sorted))
	for _, n := range sorted {
		v := strings.Join(req.Header.Values(n), ",")
		if n == "host" {
			// Go keeps Host out of req.Header on both ends.
			v = req.Host
			if v == "" {
				v = req.URL.Host
			}
		}
		lines = append(lines, n+":"+strings.TrimSpace(v))
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	return req.Method + "\n" + path + "\n" + req.URL.RawQuery + "\n" + strings.Join(lines, "\n") + "\n\n" + strings.Join(names, ";")
}

// verifyCall checks an HMAC-signed API call as the contract describes what
// iCIMS accepts; keyFor returns a user's key. It answers only yes or no
// and, for the simulator's log, why not.
func verifyCall(r *http.Request, body []byte, keyFor func(user string) (string, bool), now time.Time) (bool, string) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !strings.EqualFold(scheme, hmacScheme) {
		return false, "not an hmac Authorization"
	}
	params := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	names := strings.Split(params["signedheaders"], ";")
	signed := map[string]bool{}
	for _, n := range names {
		signed[n] = true
	}
	if !signed["host"] || !signed["x-icims-date"] {
		return false, "signedheaders lacks host or x-icims-date"
	}
	key, ok := keyFor(params["user"])
	if !ok {
		return false, "unknown user"
	}
	date := r.Header.Get("x-icims-date")
	at, err := time.Parse(time.RFC3339, date)
	if err != nil {
		if at, err = time.Parse(hmacEventDateLayout, date); err != nil {
			return false, "x-icims-date " + date + " is not ISO 8601"
		}
	}
	if d := now.Sub(at); d > hmacMaxSkew || d < -hmacMaxSkew {
		return false, "x-icims-date too far from now"
	}
	if h := r.Header.Get("x-icims-content-sha256"); h != "" {
		sum := sha256.Sum256(body)
		if !strings.EqualFold(h, hex.EncodeToString(sum[:])) {
			return false, "x-icims-content-sha256 is not the body's"
		}
	}
	if !hmac.Equal([]byte(strings.ToLower(params["signature"])), []byte(hmacSignatureOf(r, names, key))) {
		return false, "bad signature"
	}
	return true, ""
}
