package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/storage"
)

func TestRulesAreValidatedAndAudited(t *testing.T) {
	e := newEventsEnv(t)
	bigFive := e.pkg[icimstest.AssessmentBigFive]
	form := e.b.get(e.app.URL + "/admin/rules/new")
	require.Equal(t, http.StatusOK, form.Status)
	assert.Contains(t, form.Body, "Assessment - Recruiter Review", "statuses come from the tenant's iCIMS")
	assert.Contains(t, form.Body, "Big Five", "packages come from the catalog")

	cases := []struct {
		name    string
		fields  url.Values
		message string
	}{
		{"no status", url.Values{"name": {"x"}, "mode": {"auto"}}, "Choose the status that triggers the rule."},
		{"status not in iCIMS", url.Values{"name": {"x"}, "mode": {"auto"}, "to_0": {"C99999"}}, "not one of your iCIMS workflow statuses"},
		{"manual rule needing job data", url.Values{"name": {"x"}, "mode": {"manual"}, "to_0": {icimstest.StatusAssessment},
			"jobs": {"assessment_type"}}, "can only use statuses and chosen jobs"},
		{"follow-up outside a workflow rule", url.Values{"name": {"x"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
			"move_otherwise": {icimstest.StatusRejected}}, "belong to custom workflow rules"},
		{"unknown package", url.Values{"name": {"x"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment}, "package_id": {"999"}},
			"Choose a package from the catalog"},
		{"chosen jobs without ids", url.Values{"name": {"x"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment}, "jobs": {"chosen"}},
			"List the iCIMS ids of the jobs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := e.b.submit(form, "/admin/rules", c.fields)
			assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
			assert.Contains(t, p.Body, c.message)
			assert.Zero(t, e.count(`SELECT COUNT(*) FROM trigger_rules`), "nothing saved")
		})
	}

	first := e.addRule(url.Values{"name": {"Stage entry"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(bigFive.ID)}})
	second := e.addRule(url.Values{"name": {"Workflow"}, "mode": {"workflow"}, "to_0": {icimstest.StatusInterview},
		"from_0": {icimstest.StatusAssessment}, "sources": {"Referral"}, "second_package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)},
		"move_if_recommended": {icimstest.StatusOffer}, "move_otherwise": {icimstest.StatusRejected}, "package_id": {idString(bigFive.ID)}})

	// Change, reorder and switch off: each is kept in the audit trail.
	edit := e.b.get(e.app.URL + "/admin/rules/" + idString(first))
	require.Equal(t, http.StatusOK, edit.Status)
	p := e.b.submit(edit, "/admin/rules/"+idString(first), url.Values{"name": {"Stage entry v2"}, "mode": {"auto"}, "jobs": {"all"},
		"to_0": {icimstest.StatusAssessment}, "package_id": {idString(bigFive.ID)}, "enabled": {"true"}})
	require.Equal(t, "/admin/rules", p.URL.Path, p.Body)
	list := e.b.get(e.app.URL + "/admin/rules")
	e.b.submit(list, "/admin/rules/"+idString(second)+"/move", url.Values{"direction": {"up"}})
	e.b.submit(list, "/admin/rules/"+idString(first)+"/enabled", url.Values{"enabled": {"false"}})

	rules, err := e.app.events.rules.Rules(context.Background(), e.tenant.ID)
	require.NoError(t, err)
	require.Len(t, rules, 2)
	assert.Equal(t, second, rules[0].ID, "moved up")
	assert.False(t, rules[1].Enabled)
	assert.Equal(t, "Stage entry v2", rules[1].Name)
	assert.Equal(t, assessments.FollowUp{SecondPackageID: e.pkg[icimstest.AssessmentReasoning].ID,
		MoveIfRecommended: icimstest.StatusOffer, MoveOtherwise: icimstest.StatusRejected}, rules[0].FollowUp)

	edit = e.b.get(e.app.URL + "/admin/rules/" + idString(first))
	assert.Equal(t, 3, strings.Count(edit.Body, `<tr class="audit">`), "created, updated, disabled")
	for _, action := range []string{"created", "updated", "disabled"} {
		assert.Contains(t, edit.Body, "<td>"+action+"</td>")
	}
	assert.Contains(t, edit.Body, "ops@acme.example")
	assert.Contains(t, edit.Body, "Stage entry v2", "the after JSON")
	audit, err := e.app.events.rules.RuleAudit(context.Background(), e.tenant.ID, first)
	require.NoError(t, err)
	require.Len(t, audit, 3)
	assert.Contains(t, audit[1].Before, `"name":"Stage entry"`)
	assert.Contains(t, audit[1].After, `"name":"Stage entry v2"`)
	moved, err := e.app.events.rules.RuleAudit(context.Background(), e.tenant.ID, second)
	require.NoError(t, err)
	require.Len(t, moved, 2)
	assert.Equal(t, assessments.RuleMoved, moved[0].Action)
	assert.Contains(t, moved[0].Before, `"position":2`)
	assert.Contains(t, moved[0].After, `"position":1`)
}

func TestRulesListFlagsWhatNoLongerExists(t *testing.T) {
	e := newEventsEnv(t)
	ctx := context.Background()
	reasoning := e.pkg[icimstest.AssessmentReasoning]
	id := e.addRule(url.Values{"name": {"Reasoning"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(reasoning.ID)}})
	list := e.b.get(e.app.URL + "/admin/rules")
	assert.NotContains(t, list.Body, "Needs attention")

	// The package is switched off and the status is gone from iCIMS (a
	// rule saved while the list was unavailable).
	catalog := storage.NewCatalogStore(e.app.DB, assessments.SystemClock{})
	require.NoError(t, catalog.SetPackageEnabled(ctx, e.tenant.ID, reasoning.ID, false))
	r, err := e.app.events.rules.Rule(ctx, e.tenant.ID, id)
	require.NoError(t, err)
	r.Conditions.Statuses = []assessments.StatusPair{{To: "C59999"}}
	_, err = e.app.events.rules.SaveRule(ctx, assessments.Actor{Email: "test"}, r)
	require.NoError(t, err)

	list = e.b.get(e.app.URL + "/admin/rules")
	assert.Contains(t, list.Body, "Needs attention")
	assert.Contains(t, list.Body, "Status C59999 no longer exists in iCIMS.")
	assert.Contains(t, list.Body, "Reasoning, is switched off in the catalog")
}

func TestRulesOfAnotherTenantAreNotFound(t *testing.T) {
	e := newEventsEnv(t)
	id := e.addRule(url.Values{"name": {"Acme only"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"package_id": {idString(e.pkg[icimstest.AssessmentBigFive].ID)}})

	other := newBrowser(t)
	p := approve(t, other, consentFor(t, e.app, other, icimstest.CustomerEU, "eu"), allScopes)
	p = other.submit(p, "/admin/setup", url.Values{"company": {"Beispiel GmbH"}, "email": {"ops@beispiel.example"}, "password": {testPassword}})
	require.Equal(t, "/admin", p.URL.Path, p.Body)

	list := other.get(e.app.URL + "/admin/rules")
	assert.NotContains(t, list.Body, "Acme only")
	for _, path := range []string{"/admin/rules/" + idString(id)} {
		assert.Equal(t, http.StatusNotFound, other.get(e.app.URL+path).Status)
	}
	withForm := other.get(e.app.URL + "/admin/rules/new") // any page carrying their CSRF token
	for _, action := range []string{"", "/move", "/enabled", "/delete"} {
		res := other.submit(withForm, "/admin/rules/"+idString(id)+action, url.Values{"name": {"taken"}, "mode": {"auto"},
			"to_0": {icimstest.StatusAssessmentEU}, "enabled": {"false"}})
		assert.Equal(t, http.StatusNotFound, res.Status, action)
	}
	r, err := e.app.events.rules.Rule(context.Background(), e.tenant.ID, id)
	require.NoError(t, err)
	assert.Equal(t, "Acme only", r.Name)
	assert.True(t, r.Enabled)
}

func TestRulesDryRunSendsAndWritesNothing(t *testing.T) {
	e := newEventsEnv(t)
	e.addRule(url.Values{"name": {"Only referrals"}, "mode": {"workflow"}, "to_0": {icimstest.StatusAssessment},
		"sources": {"Referral"}, "package_id": {idString(e.pkg[icimstest.AssessmentReasoning].ID)}})
	e.addRule(url.Values{"name": {"Job's types"}, "mode": {"auto"}, "to_0": {icimstest.StatusAssessment},
		"jobs": {"assessment_type"}, "package_id": {"0"}})
	// The retention job is periodic and may be queued at any moment by
	// River's scheduler; it is not the dry run's doing.
	tables := []string{"deliveries", "invitations", "river_job WHERE kind <> 'retention_purge'", "icims_job_cache", "trigger_rule_audit"}
	counts := func() []int {
		var out []int
		for _, table := range tables {
			out = append(out, e.count(`SELECT COUNT(*) FROM `+table))
		}
		return out
	}
	before := counts()

	page := e.b.get(e.app.URL + "/admin/rules/dry-run")
	require.Equal(t, http.StatusOK, page.Status)
	// Pasted: workflow 3001 came from a Job Board, so the referral rule is
	// skipped and the job's Assessment Type (Big Five and Reasoning) sends.
	event := string(statusEvent(icimstest.CustomerUS, icimstest.USWorkflow1, icimstest.StatusNewSubmission, icimstest.StatusAssessment))
	p := e.b.submit(page, "/admin/rules/dry-run", url.Values{"source": {"json"}, "event": {event}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Rule that fires:</strong> Job&#39;s types")
	assert.Contains(t, p.Body, `<li class="would-send">Big Five</li>`)
	assert.Contains(t, p.Body, `<li class="would-send">Reasoning</li>`)
	assert.Contains(t, p.Body, "avery.brooks@example.com")
	assert.Contains(t, p.Body, "source Job Board is not one of the rule")

	// Picked: workflow 3003 came from a referral, so the first rule fires.
	p = e.b.submit(page, "/admin/rules/dry-run", url.Values{"source": {"workflow"}, "workflow_id": {"3003"},
		"new_status": {icimstest.StatusAssessment}})
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	assert.Contains(t, p.Body, "Rule that fires:</strong> Only referrals")
	assert.Contains(t, p.Body, `<li class="would-send">Reasoning</li>`)

	// Another customer's event is refused, and bad JSON explains itself.
	p = e.b.submit(page, "/admin/rules/dry-run", url.Values{"source": {"json"},
		"event": {string(statusEvent(icimstest.CustomerEU, icimstest.USWorkflow1, "", icimstest.StatusAssessment))}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, p.Body, "this account is customer 1234")
	p = e.b.submit(page, "/admin/rules/dry-run", url.Values{"source": {"json"}, "event": {"{"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Contains(t, p.Body, "not valid JSON")

	assert.Equal(t, before, counts(), "a dry run writes nothing")
}
