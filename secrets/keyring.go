// Package secrets encrypts values at rest (AES-256-GCM) and signs links
// (HMAC-SHA-256) with the service's secret keys. Every ciphertext and
// signature names the key that made it, so keys can rotate: the first key
// seals and signs, every key still listed opens and verifies.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length in bytes of a master key.
const KeySize = 32

// ErrInvalid is returned for ciphertexts and signatures that were tampered
// with, truncated, or made with a key the keyring no longer holds.
var ErrInvalid = errors.New("secrets: invalid or tampered value")

const sealPrefix = "v1"

// strictBase64 rejects encodings with stray trailing bits, so every value
// has exactly one accepted spelling and a changed character always shows.
func strictBase64() *base64.Encoding { return base64.RawURLEncoding.Strict() }

type key struct {
	id   string
	aead cipher.AEAD
	mac  []byte
}

// Keyring holds the master keys in order of preference.
type Keyring struct {
	keys []key
	byID map[string]key
}

// NewKeyring derives the encryption and signing keys from each master key.
// The first master key is the active one.
func NewKeyring(masters ...[]byte) (*Keyring, error) {
	if len(masters) == 0 {
		return nil, errors.New("secrets: no key")
	}
	kr := &Keyring{byID: map[string]key{}}
	for i, m := range masters {
		if len(m) != KeySize {
			return nil, fmt.Errorf("secrets: key %d is %d bytes, want %d", i+1, len(m), KeySize)
		}
		k, err := deriveKey(m)
		if err != nil {
			return nil, err
		}
		if _, dup := kr.byID[k.id]; dup {
			return nil, fmt.Errorf("secrets: key %d is listed twice", i+1)
		}
		kr.keys = append(kr.keys, k)
		kr.byID[k.id] = k
	}
	return kr, nil
}

func deriveKey(master []byte) (key, error) {
	// Separate subkeys, so a signature can never be replayed as a ciphertext
	// and the key id reveals nothing about either.
	encKey, err := hkdf.Key(sha256.New, master, nil, "jobcannon encryption v1", 32)
	if err != nil {
		return key{}, fmt.Errorf("secrets: derive: %w", err)
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, "jobcannon signing v1", 32)
	if err != nil {
		return key{}, fmt.Errorf("secrets: derive: %w", err)
	}
	idBytes, err := hkdf.Key(sha256.New, master, nil, "jobcannon key id v1", 4)
	if err != nil {
		return key{}, fmt.Errorf("secrets: derive: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return key{}, fmt.Errorf("secrets: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, fmt.Errorf("secrets: gcm: %w", err)
	}
	return key{id: hex.EncodeToString(idBytes), aead: aead, mac: macKey}, nil
}

// ActiveKeyID names the key that seals and signs.
func (kr *Keyring) ActiveKeyID() string { return kr.keys[0].id }

// Seal encrypts plaintext with the active key. context binds the ciphertext
// to its use (for example "tenant:1234:oauth-token"), so a ciphertext copied
// into another row does not open there.
func (kr *Keyring) Seal(plaintext []byte, context string) (string, error) {
	k := kr.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secrets: nonce: %w", err)
	}
	sealed := k.aead.Seal(nonce, nonce, plaintext, []byte(context))
	return sealPrefix + ":" + k.id + ":" + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value made by Seal with the same context.
func (kr *Keyring) Open(sealed, context string) ([]byte, error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != sealPrefix {
		return nil, ErrInvalid
	}
	k, ok := kr.byID[parts[1]]
	if !ok {
		return nil, ErrInvalid
	}
	raw, err := strictBase64().DecodeString(parts[2])
	if err != nil || len(raw) < k.aead.NonceSize() {
		return nil, ErrInvalid
	}
	nonce, ct := raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():]
	pt, err := k.aead.Open(nil, nonce, ct, []byte(context))
	if err != nil {
		return nil, ErrInvalid
	}
	return pt, nil
}

// SealedByActive reports whether sealed was made by the active key. A
// value that opens but was not is due to be sealed again, so that the old
// key can one day leave the ring.
func (kr *Keyring) SealedByActive(sealed string) bool {
	parts := strings.SplitN(sealed, ":", 3)
	return len(parts) == 3 && parts[0] == sealPrefix && parts[1] == kr.keys[0].id
}

// Sign returns a URL-safe signature of msg made with the active key.
func (kr *Keyring) Sign(msg []byte) string {
	k := kr.keys[0]
	return k.id + "." + base64.RawURLEncoding.EncodeToString(mac(k.mac, msg))
}

// Verify reports whether sig is a signature of msg by a key of the keyring.
func (kr *Keyring) Verify(msg []byte, sig string) bool {
	id, enc, ok := strings.Cut(sig, ".")
	if !ok {
		return false
	}
	k, found := kr.byID[id]
	if !found {
		return false
	}
	got, err := strictBase64().DecodeString(enc)
	if err != nil {
		return false
	}
	return hmac.Equal(got, mac(k.mac, msg))
}

func mac(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}
