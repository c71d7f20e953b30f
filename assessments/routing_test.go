package assessments

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeFacts counts how often iCIMS would be asked.
type fakeFacts struct {
	job       JobFacts
	workflow  WorkflowFacts
	err       error
	jobs, wfs int
}

func (f *fakeFacts) Job(context.Context) (JobFacts, error) {
	f.jobs++
	return f.job, f.err
}

func (f *fakeFacts) Workflow(context.Context) (WorkflowFacts, error) {
	f.wfs++
	return f.workflow, f.err
}

func statusRule(id int64, name string, mode RuleMode, to string) Rule {
	return Rule{ID: id, TenantID: 1, Name: name, Mode: mode, Enabled: true, PackageID: 10,
		Conditions: RuleConditions{Statuses: []StatusPair{{To: to}}, Jobs: JobsAll}}
}

func moveEvent(from, to, job string) InboundEvent {
	return InboundEvent{Type: EventStatusChange, CustomerID: "1234", WorkflowID: "3001", JobID: job, PersonID: "1001",
		OldStatus: from, NewStatus: to}
}

func TestRouteAtIntake(t *testing.T) {
	fromReview := statusRule(2, "from review", RuleAuto, "S3")
	fromReview.Conditions.Statuses[0].From = "S2"
	chosen := statusRule(3, "chosen jobs", RuleManual, "S4")
	chosen.Conditions.Jobs, chosen.Conditions.JobIDs = JobsChosen, []string{"2001"}
	off := statusRule(4, "off", RuleAuto, "S5")
	off.Enabled = false
	needsJob := statusRule(5, "needs job", RuleAuto, "S6")
	needsJob.Conditions.Jobs = JobsFolder
	needsJob.Conditions.Folders = []string{"Approved"}
	after := statusRule(6, "after", RuleAuto, "S6")
	inline := Rule{ID: 7, Name: "inline", Mode: RuleInline, Enabled: true, PackageID: 10, Conditions: RuleConditions{Jobs: JobsAll}}
	rules := []Rule{fromReview, chosen, off, needsJob, after, inline}

	cases := []struct {
		name     string
		ev       InboundEvent
		matched  int64
		deferred bool
	}{
		{"from the given status", moveEvent("S2", "S3", "2001"), 2, false},
		{"from another status", moveEvent("S1", "S3", "2001"), 0, false},
		{"a chosen job", moveEvent("S1", "S4", "2001"), 3, false},
		{"a job not chosen", moveEvent("S1", "S4", "2002"), 0, false},
		{"a rule switched off", moveEvent("S1", "S5", "2001"), 0, false},
		{"a rule that needs the job stops routing", moveEvent("S1", "S6", "2001"), 5, true},
		{"an inline rule", InboundEvent{Type: EventApplicationComplete, WorkflowID: "3001"}, 7, false},
		{"another event type", InboundEvent{Type: "JobPostToWebEvent"}, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := RouteAtIntake(rules, c.ev)
			assert.Equal(t, c.deferred, r.Deferred)
			assert.Equal(t, c.matched != 0 && !c.deferred, r.Matched)
			if c.matched != 0 {
				assert.Equal(t, c.matched, r.Rule.ID)
			}
			assert.Len(t, r.Trace, len(rules), "every rule is accounted for")
		})
	}
}

func TestRouteEventWithFacts(t *testing.T) {
	packages := []Package{
		{ID: 10, Name: "Big Five", AssessmentTypeID: "C1", Enabled: true},
		{ID: 11, Name: "Reasoning", AssessmentTypeID: "C3", Enabled: true},
		{ID: 12, Name: "Off", AssessmentTypeID: "C2", Enabled: false},
	}
	facts := func() *fakeFacts {
		return &fakeFacts{
			job: JobFacts{ID: "2001", Title: "Account Executive", FolderID: "F1", FolderName: "Approved",
				AssessmentTypes: []AssessmentType{{ID: "C3"}, {ID: "C2"}, {ID: "C1"}}, Fields: map[string]string{"joblocation": "Remote, US"}},
			workflow: WorkflowFacts{Source: "Referral"},
		}
	}
	byType := statusRule(1, "by type", RuleAuto, "S3")
	byType.Conditions.Jobs, byType.PackageID = JobsAssessmentType, 0
	folder := statusRule(2, "folder", RuleAuto, "S3")
	folder.Conditions.Jobs, folder.Conditions.Folders = JobsFolder, []string{"approved"}
	field := statusRule(3, "field", RuleWorkflow, "S3")
	field.Conditions.JobField = &FieldCondition{Field: "joblocation", Value: "remote, us"}
	wrongField := statusRule(4, "wrong field", RuleWorkflow, "S3")
	wrongField.Conditions.JobField = &FieldCondition{Field: "joblocation", Value: "Boston"}
	source := statusRule(5, "source", RuleWorkflow, "S3")
	source.Conditions.Sources = []string{"Agency", "referral"}
	otherSource := statusRule(6, "other source", RuleWorkflow, "S3")
	otherSource.Conditions.Sources = []string{"Agency"}
	notInJob := statusRule(7, "package not in job", RuleAuto, "S3")
	notInJob.Conditions.Jobs, notInJob.PackageID = JobsAssessmentType, 12

	cases := []struct {
		name  string
		rule  Rule
		match bool
		sends []int64
	}{
		{"the job's types, in the job's order, enabled only", byType, true, []int64{11, 10}},
		{"folder by name", folder, true, []int64{10}},
		{"job field", field, true, []int64{10}},
		{"job field differs", wrongField, false, nil},
		{"source", source, true, []int64{10}},
		{"source differs", otherSource, false, nil},
		{"a package the job does not name", notInJob, false, nil},
	}
	ev := moveEvent("S2", "S3", "2001")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			route, err := RouteEvent(context.Background(), []Rule{c.rule}, ev, packages, f)
			require.NoError(t, err)
			require.Equal(t, c.match, route.Matched, route.Trace)
			if !c.match {
				return
			}
			targets, reason, err := Targets(context.Background(), route.Rule, packages, f)
			require.NoError(t, err)
			var ids []int64
			for _, p := range targets {
				ids = append(ids, p.ID)
			}
			assert.Equal(t, c.sends, ids, reason)
			assert.LessOrEqual(t, f.jobs, 2, "facts are asked at most once per need")
		})
	}

	t.Run("iCIMS errors are returned", func(t *testing.T) {
		f := facts()
		f.err = errors.New("down")
		_, err := RouteEvent(context.Background(), []Rule{folder}, ev, packages, f)
		assert.Error(t, err)
	})
	t.Run("a rule that needs nothing makes no call", func(t *testing.T) {
		f := facts()
		route, err := RouteEvent(context.Background(), []Rule{statusRule(9, "plain", RuleAuto, "S3")}, ev, packages, f)
		require.NoError(t, err)
		assert.True(t, route.Matched)
		assert.Zero(t, f.jobs+f.wfs)
	})
	t.Run("a missing or switched-off package is explained", func(t *testing.T) {
		r := statusRule(9, "gone", RuleAuto, "S3")
		r.PackageID = 99
		targets, reason, err := Targets(context.Background(), r, packages, facts())
		require.NoError(t, err)
		assert.Empty(t, targets)
		assert.Contains(t, reason, "no longer exists")
		r.PackageID = 12
		_, reason, _ = Targets(context.Background(), r, packages, facts())
		assert.Contains(t, reason, "switched off")
	})
}

func TestRuleValidate(t *testing.T) {
	valid := statusRule(0, "ok", RuleAuto, "C51003")
	cases := []struct {
		name    string
		change  func(*Rule)
		message string
	}{
		{"valid", func(*Rule) {}, ""},
		{"no name", func(r *Rule) { r.Name = "  " }, "name"},
		{"unknown mode", func(r *Rule) { r.Mode = "sometimes" }, "Choose when"},
		{"no status", func(r *Rule) { r.Conditions.Statuses = nil }, "status that triggers"},
		{"a status that is no id", func(r *Rule) { r.Conditions.Statuses[0].To = "C5 OR 1=1" }, "not an iCIMS status id"},
		{"the same status twice", func(r *Rule) { r.Conditions.Statuses[0].From = "C51003" }, "two different"},
		{"chosen jobs with letters", func(r *Rule) { r.Conditions.Jobs, r.Conditions.JobIDs = JobsChosen, []string{"abc"} }, "must be digits"},
		{"manual with job data", func(r *Rule) { r.Mode, r.Conditions.Jobs = RuleManual, JobsAssessmentType }, "only use statuses"},
		{"sources on an auto rule", func(r *Rule) { r.Conditions.Sources = []string{"Referral"} }, "custom workflow"},
		{"follow-up on an auto rule", func(r *Rule) { r.FollowUp.MoveOtherwise = "C51008" }, "custom workflow"},
		{"second package the same", func(r *Rule) { r.Mode, r.FollowUp.SecondPackageID = RuleWorkflow, r.PackageID }, "must differ"},
		{"inline needs no status", func(r *Rule) { r.Mode = RuleInline }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := valid
			r.Conditions.Statuses = []StatusPair{{To: "C51003"}}
			c.change(&r)
			err := r.Normalize().Validate()
			if c.message == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, EINVALID, ErrorCode(err))
			assert.Contains(t, ErrorMessage(err), c.message)
		})
	}
}

func TestRuleProblems(t *testing.T) {
	r := statusRule(1, "r", RuleWorkflow, "C1")
	r.FollowUp = FollowUp{SecondPackageID: 11, MoveIfRecommended: "C9"}
	statuses := []WorkflowStatus{{ID: "C1", Value: "Assessment"}}
	packages := []Package{{ID: 10, Name: "Big Five", Enabled: true}, {ID: 11, Name: "Reasoning"}}
	assert.Equal(t, []string{
		"Status C9 no longer exists in iCIMS.",
		"The second package, Reasoning, is switched off in the catalog.",
	}, r.Problems(statuses, packages))
	assert.Equal(t, []string{"The second package, Reasoning, is switched off in the catalog."}, r.Problems(nil, packages),
		"statuses are not checked when they could not be loaded")
}

// A package mapped to an Assessment Name node is named by a job's
// Assessment Type node of the same value: vendors load both lists alike.
func TestJobPackagesMatchAssessmentNameByValue(t *testing.T) {
	packages := []Package{
		{ID: 20, Name: "Big Five", AssessmentTypeID: "C42001", AssessmentTypeName: "Big Five Work Personality",
			AssessmentList: ListAssessmentName, Enabled: true},
		{ID: 21, Name: "Reasoning", AssessmentTypeID: "C42002", AssessmentTypeName: "Reasoning",
			AssessmentList: ListAssessmentType, Enabled: true},
	}
	byType := statusRule(1, "by type", RuleAuto, "S3")
	byType.Conditions.Jobs, byType.PackageID = JobsAssessmentType, 0
	job := JobFacts{ID: "2001", AssessmentTypes: []AssessmentType{
		{ID: "C41001", Value: " big five work personality "}, {ID: "C41002", Value: "Reasoning"}}}
	got := jobPackages(byType, job, packages)
	require.Len(t, got, 1, "an Assessment Type package is matched by its node id only")
	assert.Equal(t, int64(20), got[0].ID)
}
