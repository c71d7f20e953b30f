package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newKeyring(t *testing.T, n int) (*Keyring, [][]byte) {
	t.Helper()
	var masters [][]byte
	for range n {
		s, err := NewKey()
		require.NoError(t, err)
		k, err := ParseKeys(s)
		require.NoError(t, err)
		masters = append(masters, k[0])
	}
	kr, err := NewKeyring(masters...)
	require.NoError(t, err)
	return kr, masters
}

func TestSealOpenRoundTrip(t *testing.T) {
	kr, _ := newKeyring(t, 1)
	sealed, err := kr.Seal([]byte("access-token-123"), "tenant:1")
	require.NoError(t, err)
	assert.NotContains(t, sealed, "access-token-123")
	got, err := kr.Open(sealed, "tenant:1")
	require.NoError(t, err)
	assert.Equal(t, "access-token-123", string(got))

	again, err := kr.Seal([]byte("access-token-123"), "tenant:1")
	require.NoError(t, err)
	assert.NotEqual(t, sealed, again, "each seal uses a fresh nonce")
}

func TestOpenRejectsTampering(t *testing.T) {
	kr, _ := newKeyring(t, 1)
	sealed, err := kr.Seal([]byte("secret"), "tenant:1")
	require.NoError(t, err)
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	cases := map[string]string{
		"flipped last char":   flip(sealed, len(sealed)-1),
		"flipped nonce char":  flip(sealed, len("v1:")+8+1+2),
		"truncated":           sealed[:len(sealed)-4],
		"unknown key id":      "v1:00000000:" + strings.SplitN(sealed, ":", 3)[2],
		"wrong version":       "v9" + sealed[2:],
		"not a sealed value":  "plain",
		"empty":               "",
		"payload too short":   "v1:" + kr.ActiveKeyID() + ":AAAA",
		"payload not base64!": "v1:" + kr.ActiveKeyID() + ":***",
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := kr.Open(bad, "tenant:1")
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
	t.Run("other context", func(t *testing.T) {
		_, err := kr.Open(sealed, "tenant:2")
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

func TestRotationOpensOldValues(t *testing.T) {
	oldKR, masters := newKeyring(t, 1)
	sealed, err := oldKR.Seal([]byte("v"), "c")
	require.NoError(t, err)
	sig := oldKR.Sign([]byte("msg"))

	fresh, err := NewKey()
	require.NoError(t, err)
	newMaster, err := ParseKeys(fresh)
	require.NoError(t, err)
	rotated, err := NewKeyring(newMaster[0], masters[0])
	require.NoError(t, err)

	got, err := rotated.Open(sealed, "c")
	require.NoError(t, err)
	assert.Equal(t, "v", string(got))
	assert.True(t, rotated.Verify([]byte("msg"), sig))
	assert.NotEqual(t, oldKR.ActiveKeyID(), rotated.ActiveKeyID())

	dropped, err := NewKeyring(newMaster[0])
	require.NoError(t, err)
	_, err = dropped.Open(sealed, "c")
	assert.ErrorIs(t, err, ErrInvalid, "a retired key no longer opens")
}

func TestSignVerify(t *testing.T) {
	kr, _ := newKeyring(t, 1)
	sig := kr.Sign([]byte("report:42"))
	assert.True(t, kr.Verify([]byte("report:42"), sig))
	assert.False(t, kr.Verify([]byte("report:43"), sig))
	assert.False(t, kr.Verify([]byte("report:42"), sig[:len(sig)-1]+"x"))
	assert.False(t, kr.Verify([]byte("report:42"), "nodot"))
	other, _ := newKeyring(t, 1)
	assert.False(t, other.Verify([]byte("report:42"), sig))
}

func TestKeyFileIsCreatedPrivateAndReused(t *testing.T) {
	dir := t.TempDir()
	keys, path, created, err := LoadOrCreateKeyFile(dir)
	require.NoError(t, err)
	assert.True(t, created)
	require.Len(t, keys, 1)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	again, _, created, err := LoadOrCreateKeyFile(dir)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, keys, again)

	require.NoError(t, os.Chmod(path, 0o644))
	_, _, _, err = LoadOrCreateKeyFile(dir)
	assert.ErrorContains(t, err, "chmod 600")
}

func TestParseKeysErrors(t *testing.T) {
	_, err := ParseKeys("")
	assert.ErrorContains(t, err, "no key")
	_, err = ParseKeys("c2hvcnQ=")
	assert.ErrorContains(t, err, "want 32")
	_, err = ParseKeys("!!!")
	assert.ErrorContains(t, err, "not base64")
	k1, _ := NewKey()
	k2, _ := NewKey()
	keys, err := ParseKeys(k1 + ", " + k2 + "\n")
	require.NoError(t, err)
	assert.Len(t, keys, 2)
	_, err = NewKeyring(keys[0], keys[0])
	assert.ErrorContains(t, err, "twice")
	_, err = NewKeyring([]byte("short"))
	assert.ErrorContains(t, err, "want 32")
	assert.NoFileExists(t, filepath.Join(t.TempDir(), KeyFileName))
}

func TestSealedByActiveNamesTheKeyThatSealed(t *testing.T) {
	kr, masters := newKeyring(t, 2)
	older, err := NewKeyring(masters[1])
	require.NoError(t, err)
	byActive, err := kr.Seal([]byte("v"), "c")
	require.NoError(t, err)
	byOlder, err := older.Seal([]byte("v"), "c")
	require.NoError(t, err)
	assert.True(t, kr.SealedByActive(byActive))
	assert.False(t, kr.SealedByActive(byOlder), "opens, but with the second key of the ring")
	assert.True(t, older.SealedByActive(byOlder))
	for _, bad := range []string{"", "v1", "v2:" + kr.ActiveKeyID() + ":x", "x:" + kr.ActiveKeyID()} {
		assert.False(t, kr.SealedByActive(bad), bad)
	}
}
