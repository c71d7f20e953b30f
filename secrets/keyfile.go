package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFileName is the file in the data directory that keeps the generated
// key when none is configured.
const KeyFileName = "secret.key"

// ParseKeys reads a comma- or newline-separated list of base64 master keys,
// the active key first. This is the format of JOBCANNON_SECRET_KEY and of
// the key file, so rotating is "put the new key first, keep the old one".
func ParseKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		k, err := base64.StdEncoding.DecodeString(f)
		if err != nil {
			if k, err = base64.RawURLEncoding.DecodeString(f); err != nil {
				return nil, fmt.Errorf("secrets: key %d is not base64", len(keys)+1)
			}
		}
		if len(k) != KeySize {
			return nil, fmt.Errorf("secrets: key %d is %d bytes, want %d (generate one with: openssl rand -base64 32)", len(keys)+1, len(k), KeySize)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("secrets: no key given")
	}
	return keys, nil
}

// NewKey returns a fresh random master key, base64-encoded.
func NewKey() (string, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("secrets: new key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(k), nil
}

// LoadOrCreateKeyFile returns the keys in dir/secret.key, creating the file
// with a new key (mode 0600) when it does not exist. created tells the caller
// to say so in the log: losing this file makes stored tokens unreadable.
func LoadOrCreateKeyFile(dir string) (keys [][]byte, path string, created bool, err error) {
	path = filepath.Join(dir, KeyFileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := NewKey()
		if err != nil {
			return nil, path, false, err
		}
		// O_EXCL: two processes starting at once must not each write a key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateKeyFile(dir)
		} else if err != nil {
			return nil, path, false, fmt.Errorf("secrets: create key file: %w", err)
		}
		if _, err := f.WriteString(k + "\n"); err != nil {
			f.Close()
			return nil, path, false, fmt.Errorf("secrets: write key file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, path, false, fmt.Errorf("secrets: sync key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, path, false, fmt.Errorf("secrets: close key file: %w", err)
		}
		keys, err := ParseKeys(k)
		return keys, path, true, err
	} else if err != nil {
		return nil, path, false, fmt.Errorf("secrets: read key file: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, path, false, fmt.Errorf("secrets: %s is readable by others (mode %v); run: chmod 600 %s", path, st.Mode().Perm(), path)
	}
	keys, err = ParseKeys(string(b))
	if err != nil {
		return nil, path, false, fmt.Errorf("%w (in %s)", err, path)
	}
	return keys, path, false, nil
}
