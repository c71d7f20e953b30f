package web

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/alexedwards/scs/v2"
)

// HashedSessionStore keeps sessions in Store under the SHA-256 of their
// token, so that a copy of the database (a backup, a stolen file) holds
// nothing a browser could present as a session cookie. The token is 256
// random bits, so an unsalted fast hash is enough: there is nothing to
// guess. It does not offer All: scs's Iterate would get hashes back where
// it needs tokens.
type HashedSessionStore struct {
	Store scs.Store
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Find loads the session whose token hashes to a stored key.
func (s HashedSessionStore) Find(token string) ([]byte, bool, error) {
	return s.Store.Find(hashToken(token))
}

// Commit saves the session under its token's hash.
func (s HashedSessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.Store.Commit(hashToken(token), b, expiry)
}

// Delete removes the session stored under its token's hash.
func (s HashedSessionStore) Delete(token string) error {
	return s.Store.Delete(hashToken(token))
}
