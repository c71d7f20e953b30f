package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/icims"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

// TestPaceStoreSavesOnlyOverTheVersionItRead: of two instances that read
// one version and save, one wins and the other is told to read again, for
// the first record (an insert) as for later ones (updates).
func TestPaceStoreSavesOnlyOverTheVersionItRead(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t).DB
	tn, err := storage.NewTenantStore(db, storetest.NewKeyring(t), clocktest.New(testNow)).
		Connect(ctx, oauthConnection("1234", "tok-1a2b3c"))
	require.NoError(t, err)
	store := db.TenantPace(tn.ID)

	rec, err := store.LoadPace(ctx)
	require.NoError(t, err)
	assert.Equal(t, icims.PaceRecord{}, rec, "nothing stored yet")

	first := icims.PaceRecord{Limit: 490, Pace: 490, Quota: 10_000, NextAt: testNow.Add(122449 * time.Microsecond),
		Day: testNow.Truncate(24 * time.Hour), Used: 1}
	saved, err := store.SavePace(ctx, first)
	require.NoError(t, err)
	require.True(t, saved)
	saved, err = store.SavePace(ctx, first)
	require.NoError(t, err)
	assert.False(t, saved, "another instance inserted first")

	rec, err = store.LoadPace(ctx)
	require.NoError(t, err)
	first.Version = 1
	assert.Equal(t, first, rec)

	held := rec
	held.Pace, held.HeldUntil, held.LastCut, held.QuietFrom, held.Last429 = 245, testNow.Add(time.Minute), testNow, testNow, testNow
	saved, err = store.SavePace(ctx, held)
	require.NoError(t, err)
	require.True(t, saved)
	stale := rec
	stale.Used = 2
	saved, err = store.SavePace(ctx, stale)
	require.NoError(t, err)
	assert.False(t, saved, "saved over a version another instance replaced")

	rec, err = store.LoadPace(ctx)
	require.NoError(t, err)
	held.Version = 2
	assert.Equal(t, held, rec)

	other, err := db.TenantPace(tn.ID + 1).LoadPace(ctx)
	require.NoError(t, err)
	assert.Equal(t, icims.PaceRecord{}, other, "each tenant has its own pace")
}
