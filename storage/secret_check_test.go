package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/secrets"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// ring builds a keyring from master keys, the active one first.
func ring(t *testing.T, masters ...[]byte) *secrets.Keyring {
	t.Helper()
	kr, err := secrets.NewKeyring(masters...)
	require.NoError(t, err)
	return kr
}

func newMaster(t *testing.T) []byte {
	t.Helper()
	s, err := secrets.NewKey()
	require.NoError(t, err)
	k, err := secrets.ParseKeys(s)
	require.NoError(t, err)
	return k[0]
}

// checkValue is the sealed check value the database holds ("" for none).
func checkValue(t *testing.T, db *storage.DB) string {
	t.Helper()
	var sealed string
	err := db.R.QueryRow(`SELECT COALESCE((SELECT sealed FROM secret_check WHERE id = 1), '')`).Scan(&sealed)
	require.NoError(t, err)
	return sealed
}

// TestSecretKeyCheckRefusesAnotherKeyAndFollowsRotation walks one database
// through the starts of its instances: the first writes the check, the
// same key passes, another key is refused, a rotated ring (new key first,
// old after it) passes and re-seals with the new key, after which the old
// key may leave the ring and the old key alone is refused.
func TestSecretKeyCheckRefusesAnotherKeyAndFollowsRotation(t *testing.T) {
	db := storetest.New(t).DB
	ctx := context.Background()
	oldKey, newKey, strange := newMaster(t), newMaster(t), newMaster(t)
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

	steps := []struct {
		name    string
		ring    *secrets.Keyring
		want    storage.KeyCheck
		refused bool
	}{
		{"first start writes the check", ring(t, oldKey), storage.KeyCheckWritten, false},
		{"the same key passes", ring(t, oldKey), storage.KeyCheckMatched, false},
		{"another key is refused", ring(t, strange), "", true},
	}
	for _, s := range steps {
		before := checkValue(t, db)
		got, err := storage.CheckSecretKey(ctx, db, s.ring, at)
		if s.refused {
			require.ErrorIs(t, err, storage.ErrSecretKeyMismatch, s.name)
			assert.Equal(t, before, checkValue(t, db), "%s: the check is left as it was", s.name)
			continue
		}
		require.NoError(t, err, s.name)
		assert.Equal(t, s.want, got, s.name)
		assert.True(t, s.ring.SealedByActive(checkValue(t, db)), s.name)
	}

	// Rotation: the new key in front, the old one after it.
	rotated := ring(t, newKey, oldKey)
	got, err := storage.CheckSecretKey(ctx, db, rotated, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCheckResealed, got, "opened with the old key, sealed again with the new")
	assert.True(t, rotated.SealedByActive(checkValue(t, db)))
	var updated time.Time
	require.NoError(t, db.R.QueryRow(`SELECT updated_at FROM secret_check`).Scan(&updated))
	assert.True(t, updated.Equal(at.Add(time.Hour)), "updated_at says when")

	got, err = storage.CheckSecretKey(ctx, db, rotated, at)
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCheckMatched, got, "once re-sealed, the next start matches")
	got, err = storage.CheckSecretKey(ctx, db, ring(t, newKey), at)
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCheckMatched, got, "the old key can leave the ring")
	_, err = storage.CheckSecretKey(ctx, db, ring(t, oldKey), at)
	assert.ErrorIs(t, err, storage.ErrSecretKeyMismatch, "the old key alone no longer opens the database")
	assert.Contains(t, err.Error(), "cannot open what this database holds")
}

// TestSecretKeyCheckOnADatabaseWrittenBeforeIt: a database that holds
// sealed credentials but no check value (written before the check existed)
// gets its check value only from a key that opens them, so the first
// instance to upgrade cannot pin a wrong key.
func TestSecretKeyCheckOnADatabaseWrittenBeforeIt(t *testing.T) {
	env := storetest.New(t)
	ctx := context.Background()
	right := newMaster(t)
	tenants := storage.NewTenantStore(env.DB, ring(t, right), clocktest.New(testNow))
	_, err := tenants.Connect(ctx, oauthConnection("1234", "tok-one"))
	require.NoError(t, err)

	_, err = storage.CheckSecretKey(ctx, env.DB, ring(t, newMaster(t)), testNow)
	require.ErrorIs(t, err, storage.ErrSecretKeyMismatch, "the stored credentials do not open")
	assert.Empty(t, checkValue(t, env.DB), "and no check value is written")

	got, err := storage.CheckSecretKey(ctx, env.DB, ring(t, right), testNow)
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCheckWritten, got)

	// A credential left sealed with a key retired long ago does not stop
	// the right key: one of the newest credentials opening is enough.
	fresh := storetest.New(t)
	_, err = storage.NewTenantStore(fresh.DB, ring(t, newMaster(t)), clocktest.New(testNow)).
		Connect(ctx, oauthConnection("1111", "tok-stale"))
	require.NoError(t, err)
	_, err = storage.NewTenantStore(fresh.DB, ring(t, right), clocktest.New(testNow.Add(time.Hour))).
		Connect(ctx, oauthConnection("2222", "tok-live"))
	require.NoError(t, err)
	got, err = storage.CheckSecretKey(ctx, fresh.DB, ring(t, right), testNow)
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCheckWritten, got)
}
