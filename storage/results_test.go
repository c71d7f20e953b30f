package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
)

func personalityResult(f *invFixture, inv assessments.Invitation, extraversion float64) assessments.PackageResult {
	return assessments.PackageResult{
		TenantID: inv.TenantID, InvitationID: inv.ID, PackageID: inv.PackageID,
		Overall: extraversion, Verdict: assessments.VerdictConsider, Summary: "Extraversion", Flags: []assessments.ValidityFlag{},
		StartedAt: inv.StartedAt, CompletedAt: f.clock.Now(),
		Instruments: []assessments.InstrumentResult{{
			InstrumentID: "big-five-work",
			Result: assessments.Result{
				InstrumentID: "big-five-work", Kind: assessments.KindLikert, Flags: []assessments.ValidityFlag{},
				Scales: []assessments.ScaleScore{{Scale: "extraversion", Score: extraversion, Scored: true}},
			},
			Percentiles: []assessments.ScalePercentile{{Scale: "extraversion", GroupSize: 0}},
		}},
	}
}

func TestCompleteStoresOnceAndCompletesTheInvitation(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv := f.started(t, "w1")
	f.clock.Advance(10 * time.Minute)

	stored, err := f.results.Complete(ctx, personalityResult(f, inv, 70))
	require.NoError(t, err)
	assert.NotZero(t, stored.ID)
	assert.Equal(t, 70.0, stored.Overall)
	require.Len(t, stored.Instruments, 1)
	assert.Equal(t, "extraversion", stored.Instruments[0].Result.Scales[0].Scale)

	got, err := f.invitations.Invitation(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusCompleted, got.Status)
	assert.True(t, f.clock.Now().Equal(got.CompletedAt))

	// A double submit stores nothing new and returns the first result.
	again, err := f.results.Complete(ctx, personalityResult(f, inv, 10))
	require.NoError(t, err)
	assert.Equal(t, stored.ID, again.ID)
	assert.Equal(t, 70.0, again.Overall)
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM results`).Scan(&n))
	assert.Equal(t, 1, n)

	// Only a started invitation can complete.
	notStarted, _ := f.invite(t, "w2")
	_, err = f.results.Complete(ctx, personalityResult(f, notStarted, 50))
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM results`).Scan(&n))
	assert.Equal(t, 1, n)
}

func TestNormsSwitchOnAtTheThresholdThroughTheStore(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	const minGroup = 3
	scores := []float64{40, 60, 80}
	for i, score := range scores {
		norms, err := f.results.Norms(ctx, f.tenantID, "big-five-work", minGroup)
		require.NoError(t, err)
		_, size, ok := norms.Percentile("extraversion", 60)
		assert.Equal(t, i, size)
		assert.False(t, ok, "below the threshold there is no percentile (group of %d)", i)

		inv := f.started(t, "w"+string(rune('a'+i)))
		_, err = f.results.Complete(ctx, personalityResult(f, inv, score))
		require.NoError(t, err)
	}
	norms, err := f.results.Norms(ctx, f.tenantID, "big-five-work", minGroup)
	require.NoError(t, err)
	pct, size, ok := norms.Percentile("extraversion", 60)
	assert.True(t, ok, "at the threshold percentiles switch on")
	assert.Equal(t, 3, size)
	assert.Equal(t, 50.0, pct, "one below, one tie counted half: 1.5 of 3")

	// Other instruments and other tenants have their own groups.
	other, err := f.results.Norms(ctx, f.tenantID, "reasoning", minGroup)
	require.NoError(t, err)
	assert.Empty(t, other.Scores)
	foreign, err := f.results.Norms(ctx, f.tenant(t, "31"), "big-five-work", minGroup)
	require.NoError(t, err)
	assert.Empty(t, foreign.Scores)
}

func TestRevokeReport(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	inv := f.started(t, "w1")
	stored, err := f.results.Complete(ctx, personalityResult(f, inv, 70))
	require.NoError(t, err)
	assert.True(t, stored.RevokedAt.IsZero())

	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(f.results.RevokeReport(ctx, f.tenant(t, "8"), stored.ID)))
	got, err := f.results.ResultByInvitation(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.True(t, got.RevokedAt.IsZero(), "another tenant cannot revoke it")

	require.NoError(t, f.results.RevokeReport(ctx, f.tenantID, stored.ID))
	got, err = f.results.ResultByInvitation(ctx, f.tenantID, inv.ID)
	require.NoError(t, err)
	assert.True(t, f.clock.Now().Equal(got.RevokedAt))
}
