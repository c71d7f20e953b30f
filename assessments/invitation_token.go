package assessments

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// TokenBytes is the entropy of a candidate token: 256 bits, so a token
// cannot be guessed and its unsalted SHA-256 is safe to store.
const TokenBytes = 32

// reportIDBytes is the entropy of a report id. The id is only half of a
// report link (the other half is the signature), so 128 bits is plenty.
const reportIDBytes = 16

// NewToken returns a fresh candidate token read from random, URL-safe
// base64 without padding (43 characters).
func NewToken(random io.Reader) (string, error) {
	return randomString(random, TokenBytes)
}

// NewReportID returns a fresh random report id (22 characters).
func NewReportID(random io.Reader) (string, error) {
	return randomString(random, reportIDBytes)
}

func randomString(random io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns the hex SHA-256 of a token: what the store keeps and
// looks tokens up by.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// WellFormedToken reports whether s could be a candidate token, so that a
// mistyped link is answered without a database lookup.
func WellFormedToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(TokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// deliveryIDTimeBytes is the part of a delivery id that is its time.
const deliveryIDTimeBytes = 6

// NewDeliveryID returns a fresh public id for a delivery (22 characters,
// URL-safe): the milliseconds of now in its first six bytes, then 80
// random bits. Ids made close in time share a prefix, so the unique index
// on them takes each new id beside the last ones (a few pages touched per
// group commit, not one page per delivery as with a fully random id),
// and 80 random bits still cannot be guessed.
func NewDeliveryID(random io.Reader, now time.Time) (string, error) {
	b := make([]byte, reportIDBytes)
	ms := uint64(now.UnixMilli())
	for i := range deliveryIDTimeBytes {
		b[i] = byte(ms >> (8 * (deliveryIDTimeBytes - 1 - i)))
	}
	if _, err := io.ReadFull(random, b[deliveryIDTimeBytes:]); err != nil {
		return "", fmt.Errorf("delivery id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
