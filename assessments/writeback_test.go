package assessments

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNextWriteConvergesOnTheCurrentState(t *testing.T) {
	pkg := Package{Scorecard: []ScorecardMapping{{Field: "rcf3001", Source: SourceOverall}}}
	noCard := Package{}
	on, off := DefaultWritebackSettings(), WritebackSettings{InProgress: false}
	row := func(written InvitationStatus) Writeback {
		return Writeback{Location: "https://api.icims.com/customers/1/applicantworkflows/2/fields/assessmentresults/3", Written: written}
	}
	cases := []struct {
		name   string
		status InvitationStatus
		wb     Writeback
		pkg    Package
		set    WritebackSettings
		want   WritebackPlan
		ok     bool
	}{
		{"created: nothing yet", StatusCreated, Writeback{}, pkg, on, WritebackPlan{}, false},
		{"sent: the row is created", StatusSent, Writeback{}, pkg, on, WritebackPlan{StepCreateRow, StatusSent}, true},
		// A row that does not exist is always created as Sent, so a
		// repeated POST has the same body; the update follows.
		{"completed before any write: create as Sent first", StatusCompleted, Writeback{}, pkg, on, WritebackPlan{StepCreateRow, StatusSent}, true},
		{"opened shows as Sent: nothing new", StatusOpened, row(StatusSent), pkg, on, WritebackPlan{}, false},
		{"in progress", StatusInProgress, row(StatusSent), pkg, on, WritebackPlan{StepUpdateRow, StatusInProgress}, true},
		{"in progress, switched off", StatusInProgress, row(StatusSent), pkg, off, WritebackPlan{}, false},
		{"completed straight from Sent: In-Progress is skipped", StatusCompleted, row(StatusSent), pkg, on, WritebackPlan{StepUpdateRow, StatusCompleted}, true},
		{"completed, row written: scorecard", StatusCompleted, row(StatusCompleted), pkg, on, WritebackPlan{Step: StepScorecard}, true},
		{"completed, no mapping: done", StatusCompleted, row(StatusCompleted), noCard, on, WritebackPlan{}, false},
		{"scorecard done", StatusCompleted, Writeback{Location: "x", Written: StatusCompleted, Scorecard: "done"}, pkg, on, WritebackPlan{}, false},
		{"scorecard failed does not hold up the move", StatusCompleted,
			Writeback{Location: "x", Written: StatusCompleted, Scorecard: "failed", MoveTo: "C51005"}, pkg, on, WritebackPlan{Step: StepMove}, true},
		{"the move waits for Complete", StatusInProgress, Writeback{Location: "x", Written: StatusInProgress, MoveTo: "C51005"}, pkg, on, WritebackPlan{}, false},
		{"expired after in progress", StatusExpired, row(StatusInProgress), pkg, on, WritebackPlan{StepUpdateRow, StatusExpired}, true},
		{"cancelled before any write: nothing to tell", StatusCancelled, Writeback{}, pkg, on, WritebackPlan{}, false},
		{"failed e-mail is shown", StatusFailed, Writeback{}, pkg, on, WritebackPlan{StepCreateRow, StatusSent}, true},
		{"resent after a failure", StatusSent, row(StatusFailed), pkg, on, WritebackPlan{StepUpdateRow, StatusSent}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := NextWrite(Invitation{Status: c.status}, c.wb, c.pkg, c.set)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestScorecardValues(t *testing.T) {
	pkg := Package{Scorecard: []ScorecardMapping{
		{Field: "rcf1", Source: SourceOverall}, {Field: "rcf2", Source: SourceVerdict}, {Field: "rcf3", Source: SourceReportURL},
		{Field: "rcf4", Source: "extraversion"}, {Field: "rcf5", Source: "percentile:extraversion"},
		{Field: "rcf6", Source: "agreeableness"}, {Field: "rcf7", Source: "percentile:agreeableness"},
	}}
	res := PackageResult{Overall: 71.26, Verdict: VerdictRecommended, Instruments: []InstrumentResult{{
		Result:      Result{Scales: []ScaleScore{{Scale: "extraversion", Score: 64.04, Scored: true}, {Scale: "agreeableness", Scored: false}}},
		Percentiles: []ScalePercentile{{Scale: "extraversion", Percentile: 80, Normed: true}, {Scale: "agreeableness", Normed: false}},
	}}}
	got := ScorecardValues(pkg, res, "https://jc.example/r/abc.sig")
	assert.Equal(t, map[string]any{
		"rcf1": 71.3, "rcf2": VerdictRecommended, "rcf3": "https://jc.example/r/abc.sig", "rcf4": 64.0, "rcf5": 80.0,
	}, got, "unscored scales and unnormed percentiles are left out, never sent empty")
}

func TestIncompleteNoteFitsTheNotesField(t *testing.T) {
	for _, s := range []InvitationStatus{StatusExpired, StatusCancelled, StatusFailed} {
		n := IncompleteNote(Invitation{Status: s})
		assert.NotEmpty(t, n, s)
		assert.LessOrEqual(t, len([]rune(n)), SummaryMaxLen, s)
	}
}
