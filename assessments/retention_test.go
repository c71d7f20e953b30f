package assessments

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/clocktest"
)

func TestRetentionCutoffIsNowMinusThePeriod(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 6, 30, 14, 30, 0, 0, time.UTC))
	cases := []struct {
		days int
		want time.Time
	}{
		{90, time.Date(2026, 4, 1, 14, 30, 0, 0, time.UTC)},
		{7, time.Date(2026, 6, 23, 14, 30, 0, 0, time.UTC)},
		{3650, time.Date(2016, 7, 2, 14, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, RetentionCutoff(clock.Now(), c.days), "%d days", c.days)
	}
	// The cutoff moves with the clock, by exactly the time that passed.
	before := RetentionCutoff(clock.Now(), 90)
	clock.Advance(time.Hour)
	assert.Equal(t, before.Add(time.Hour), RetentionCutoff(clock.Now(), 90))
	// A clock in another zone gives the same instant, in UTC.
	assert.Equal(t, time.UTC, RetentionCutoff(clock.Now().In(time.FixedZone("x", 3600)), 90).Location())
}

func TestValidRetentionDays(t *testing.T) {
	for _, d := range []int{7, 90, 3650} {
		assert.NoError(t, ValidRetentionDays(d), d)
	}
	for _, d := range []int{-1, 0, 6, 3651} {
		assert.Equal(t, EINVALID, ErrorCode(ValidRetentionDays(d)), d)
	}
}

// fakeRetentionStore records the cutoffs it is asked to purge at.
type fakeRetentionStore struct {
	RetentionStore
	days    map[int64]int
	cutoffs map[int64]time.Time
	fail    int64
	mail    time.Time
}

func (f *fakeRetentionStore) RetentionPolicy(_ context.Context, id int64) (RetentionPolicy, error) {
	if d, ok := f.days[id]; ok {
		return RetentionPolicy{Days: d, Custom: true}, nil
	}
	return RetentionPolicy{Days: DefaultRetentionDays}, nil
}

func (f *fakeRetentionStore) Purge(_ context.Context, id int64, cutoff time.Time, _ int) (PurgeCounts, error) {
	if id == f.fail {
		return PurgeCounts{}, errors.New("disk full")
	}
	f.cutoffs[id] = cutoff
	return PurgeCounts{Invitations: int(id)}, nil
}

func (f *fakeRetentionStore) PurgeUnownedMail(_ context.Context, cutoff time.Time) (int, error) {
	f.mail = cutoff
	return 0, nil
}

type fakeTenantList struct {
	TenantStore
	tenants []Tenant
}

func (f fakeTenantList) Tenants(context.Context) ([]Tenant, error) { return f.tenants, nil }

func TestRetentionRunAppliesEachTenantsPolicy(t *testing.T) {
	now := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	store := &fakeRetentionStore{days: map[int64]int{2: 7}, cutoffs: map[int64]time.Time{}, fail: 3}
	r := &Retention{Store: store, Clock: clocktest.New(now), Tenants: fakeTenantList{tenants: []Tenant{
		{ID: 1, CustomerID: "1"}, {ID: 2, CustomerID: "2"}, {ID: 3, CustomerID: "3"}, {ID: 4, CustomerID: "4", Status: TenantUninstalled},
	}}}
	purges, err := r.Run(context.Background())
	require.Error(t, err, "tenant 3's failure is reported")
	assert.Contains(t, err.Error(), "disk full")
	assert.Equal(t, map[int64]time.Time{1: now.AddDate(0, 0, -90), 2: now.AddDate(0, 0, -7), 4: now.AddDate(0, 0, -90)}, store.cutoffs,
		"the others still ran, uninstalled tenants included")
	assert.Len(t, purges, 3)
	assert.Equal(t, now.AddDate(0, 0, -90), store.mail)
}
