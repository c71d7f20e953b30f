package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/storage"
)

func TestRuleStoreKeepsOrderAndAuditsEveryChange(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	rules := storage.NewRuleStore(f.db, f.clock)
	admin := assessments.Actor{AdminID: 0, Email: "ada@acme.example"}
	newRule := func(name string) assessments.Rule {
		r, err := rules.SaveRule(ctx, admin, assessments.Rule{TenantID: f.tenantID, Name: name, Mode: assessments.RuleAuto, Enabled: true,
			PackageID: f.pkg.ID, Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: "C51003"}}}})
		require.NoError(t, err)
		return r
	}
	a, b, c := newRule("a"), newRule("b"), newRule("c")
	assert.Equal(t, []int{1, 2, 3}, []int{a.Position, b.Position, c.Position})
	assert.Equal(t, assessments.JobsAll, a.Conditions.Jobs, "defaults are stored")

	names := func(tenantID int64) []string {
		all, err := rules.Rules(ctx, tenantID)
		require.NoError(t, err)
		var out []string
		for _, r := range all {
			out = append(out, r.Name)
		}
		return out
	}
	require.NoError(t, rules.MoveRule(ctx, admin, f.tenantID, c.ID, -1))
	assert.Equal(t, []string{"a", "c", "b"}, names(f.tenantID))
	require.NoError(t, rules.MoveRule(ctx, admin, f.tenantID, a.ID, -1), "already first: nothing moves")
	require.NoError(t, rules.DeleteRule(ctx, admin, f.tenantID, a.ID))
	require.NoError(t, rules.MoveRule(ctx, admin, f.tenantID, b.ID, -1))
	assert.Equal(t, []string{"b", "c"}, names(f.tenantID))
	require.NoError(t, rules.SetRuleEnabled(ctx, admin, f.tenantID, b.ID, false))

	audit, err := rules.RuleAudit(ctx, f.tenantID, a.ID)
	require.NoError(t, err)
	require.Len(t, audit, 2, "created, deleted; the move that moved nothing is not audited")
	assert.Equal(t, assessments.RuleDeleted, audit[0].Action)
	assert.Empty(t, audit[0].After)
	assert.Contains(t, audit[0].Before, `"name":"a"`)
	assert.Equal(t, "ada@acme.example", audit[0].Actor)
	assert.Equal(t, assessments.RuleCreated, audit[1].Action)
	assert.Empty(t, audit[1].Before)

	// Another tenant neither sees nor changes these rules.
	other := f.tenant(t, "5678")
	assert.Empty(t, names(other))
	_, err = rules.Rule(ctx, other, b.ID)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	for _, change := range []error{
		rules.SetRuleEnabled(ctx, admin, other, b.ID, true),
		rules.MoveRule(ctx, admin, other, b.ID, 1),
		rules.DeleteRule(ctx, admin, other, b.ID),
	} {
		assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(change))
	}
	b.TenantID = other
	_, err = rules.SaveRule(ctx, admin, b)
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err))
	got, err := rules.Rule(ctx, f.tenantID, b.ID)
	require.NoError(t, err)
	assert.False(t, got.Enabled)

	// Invalid rules are refused before anything is written.
	_, err = rules.SaveRule(ctx, admin, assessments.Rule{TenantID: f.tenantID, Name: "x", Mode: assessments.RuleAuto})
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
}

func TestRulesAreCachedBrieflyAndDroppedOnChange(t *testing.T) {
	f := newInvFixture(t)
	ctx := context.Background()
	here, elsewhere := storage.NewRuleStore(f.db, f.clock), storage.NewRuleStore(f.db, f.clock) // two instances of the service
	admin := assessments.Actor{Email: "ada@acme.example"}
	r, err := here.SaveRule(ctx, admin, assessments.Rule{TenantID: f.tenantID, Name: "a", Mode: assessments.RuleAuto, Enabled: true,
		PackageID: f.pkg.ID, Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: "C1"}}}})
	require.NoError(t, err)
	first, err := here.Rules(ctx, f.tenantID)
	require.NoError(t, err)
	require.Len(t, first, 1)

	require.NoError(t, here.SetRuleEnabled(ctx, admin, f.tenantID, r.ID, false))
	got, err := here.Rules(ctx, f.tenantID)
	require.NoError(t, err)
	assert.False(t, got[0].Enabled, "this instance's change is seen at once")

	_, err = elsewhere.Rules(ctx, f.tenantID)
	require.NoError(t, err)
	require.NoError(t, here.SetRuleEnabled(ctx, admin, f.tenantID, r.ID, true))
	got, err = elsewhere.Rules(ctx, f.tenantID)
	require.NoError(t, err)
	assert.False(t, got[0].Enabled, "another instance sees it within the TTL")
	f.clock.Advance(storage.RulesTTL)
	got, err = elsewhere.Rules(ctx, f.tenantID)
	require.NoError(t, err)
	assert.True(t, got[0].Enabled)
}
