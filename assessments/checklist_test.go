package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func doneKeys(steps []CheckStep) []string {
	var out []string
	for _, s := range steps {
		if s.Done {
			out = append(out, s.Key)
		}
	}
	return out
}

func TestChecklistTurnsGreenStepByStep(t *testing.T) {
	installed := Tenant{CustomerID: "1234", AuthMode: AuthOAuth, Status: TenantActive, Scopes: RequiredScopes(),
		InstalledAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		name   string
		tenant Tenant
		facts  SetupFacts
		want   []string
	}{
		{"nothing", Tenant{CustomerID: "1234", Status: TenantUninstalled}, SetupFacts{}, nil},
		{"installed", installed, SetupFacts{}, []string{"installed", "authorized"}},
		{"a rule", installed, SetupFacts{EnabledRules: 1}, []string{"installed", "authorized", "triggers"}},
		{"a candidate advanced", installed, SetupFacts{EnabledRules: 1, StatusChangeProcessed: true, DeliveryAnswered: true},
			[]string{"installed", "authorized", "triggers", "advanced", "logged"}},
		{"the e-mail", installed, SetupFacts{EnabledRules: 1, StatusChangeProcessed: true, DeliveryAnswered: true, EmailSent: true},
			[]string{"installed", "authorized", "triggers", "advanced", "email", "logged"}},
		{"everything", installed, SetupFacts{EnabledRules: 2, StatusChangeProcessed: true, DeliveryAnswered: true, EmailSent: true,
			CompleteWritten: true}, []string{"installed", "authorized", "triggers", "advanced", "email", "scorecard", "logged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps := BuildChecklist(c.tenant, c.facts, "/reauth")
			assert.Len(t, steps, 7, "the vendor guide's seven lines")
			assert.Equal(t, c.want, doneKeys(steps))
			for _, s := range steps {
				if !s.Done {
					assert.NotEmpty(t, s.FixURL, "%s has a link to fix it", s.Key)
					assert.NotEmpty(t, s.Detail, "%s says why", s.Key)
				}
			}
		})
	}
}

func TestChecklistAuthorizationNeedsEveryScopeAndAWorkingToken(t *testing.T) {
	t.Run("a scope missing", func(t *testing.T) {
		tn := Tenant{AuthMode: AuthOAuth, Status: TenantActive, Scopes: []string{ScopeProfileRead, ScopeDeliveryWrite}}
		s := BuildChecklist(tn, SetupFacts{}, "/reauth")[1]
		assert.False(t, s.Done)
		assert.Contains(t, s.Detail, ScopeProfileWrite)
		assert.Equal(t, "/reauth", s.FixURL)
	})
	t.Run("token expired", func(t *testing.T) {
		tn := Tenant{AuthMode: AuthOAuth, Status: TenantNeedsReauth, Scopes: RequiredScopes()}
		s := BuildChecklist(tn, SetupFacts{}, "/reauth")[1]
		assert.False(t, s.Done)
		assert.Contains(t, s.Detail, "OAuth token expired")
	})
	t.Run("classic credentials", func(t *testing.T) {
		tn := Tenant{AuthMode: AuthBasic, Status: TenantActive}
		s := BuildChecklist(tn, SetupFacts{}, "/reauth")[1]
		assert.True(t, s.Done)
	})
}

func TestTrialRuleIsTheFirstEnabledAutoRule(t *testing.T) {
	rules := []Rule{
		{ID: 1, Mode: RuleManual, Enabled: true, Conditions: RuleConditions{Statuses: []StatusPair{{To: "C1"}}}},
		{ID: 2, Mode: RuleAuto, Enabled: false, Conditions: RuleConditions{Statuses: []StatusPair{{To: "C2"}}}},
		{ID: 3, Mode: RuleAuto, Enabled: true, Conditions: RuleConditions{Statuses: []StatusPair{{From: "C0", To: "C3"}, {To: "C4"}}}},
	}
	r, p, ok := TrialRule(rules)
	assert.True(t, ok)
	assert.Equal(t, int64(3), r.ID)
	assert.Equal(t, StatusPair{To: "C4"}, p, "a move from any status is the simplest to make")
	_, _, ok = TrialRule(rules[:2])
	assert.False(t, ok)
}

func TestHealthQuotaPercent(t *testing.T) {
	assert.Equal(t, 0, Health{}.QuotaPercent())
	assert.Equal(t, 25, Health{CallsToday: 2500, DailyQuota: 10_000}.QuotaPercent())
	assert.Equal(t, 100, Health{CallsToday: 12_000, DailyQuota: 10_000}.QuotaPercent())
}
