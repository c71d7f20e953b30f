package storage_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

// One resend per interval, whichever store instance asks: the limit is in
// the database, and a refused resend queues nothing.
func TestWithResendThrottles(t *testing.T) {
	f := newEmailFixture(t)
	ctx := context.Background()
	inv, _ := f.invite(t, "w1")
	ran := 0
	fn := func(context.Context, *sql.Tx, assessments.Invitation) error { ran++; return nil }
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	every := 10 * time.Minute

	require.NoError(t, storage.NewLifecycleStore(f.db, f.invitations, f.emails).WithResend(ctx, inv.TenantID, inv.ID, now, every, fn))
	// Another instance (a new store on the same file), a minute later.
	other := storage.NewLifecycleStore(f.db, f.invitations, f.emails)
	err := other.WithResend(ctx, inv.TenantID, inv.ID, now.Add(time.Minute), every, fn)
	assert.Equal(t, assessments.ETOOMANY, assessments.ErrorCode(err))
	assert.Contains(t, assessments.ErrorMessage(err), "The next resend is possible after 10:10 UTC.")
	assert.Equal(t, 1, ran, "a refused resend queues nothing")
	last, ok, err := other.LastResend(ctx, inv.TenantID, inv.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, now, last, "the refusal did not move the window")

	require.NoError(t, other.WithResend(ctx, inv.TenantID, inv.ID, now.Add(every), every, fn))
	assert.Equal(t, 2, ran)
	_, ok, err = other.LastResend(ctx, f.tenant(t, "9999"), inv.ID)
	require.NoError(t, err)
	assert.False(t, ok, "scoped by tenant")
}
