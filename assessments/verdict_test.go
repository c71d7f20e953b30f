package assessments

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxAssessmentResultLen is iCIMS's assessmentresult length (contract).
const maxAssessmentResultLen = 128

func TestFlaggedResultIsNeverRecommended(t *testing.T) {
	big := builtin(t, "big-five-work")
	p := Package{Profile: TargetProfile{
		Ranges:  map[string]ScaleRange{"extraversion": {Min: 60, Max: 100}, "conscientiousness": {Min: 60, Max: 100}},
		Weights: map[string]float64{"conscientiousness": 2},
	}}.WithDefaults()
	good := []ScaleScore{{Scale: "extraversion", Score: 80, Scored: true}, {Scale: "conscientiousness", Score: 90, Scored: true}}
	weak := []ScaleScore{{Scale: "extraversion", Score: 10, Scored: true}, {Scale: "conscientiousness", Score: 5, Scored: true}}
	tests := []struct {
		name    string
		scales  []ScaleScore
		flags   []ValidityFlag
		verdict string
	}{
		{"in range, no flag", good, nil, VerdictRecommended},
		{"in range, too fast", good, []ValidityFlag{FlagTooFast}, VerdictReview},
		{"in range, same answer repeated", good, []ValidityFlag{FlagStraightLining}, VerdictReview},
		{"in range, skipped and late", good, []ValidityFlag{FlagTooManySkipped, FlagOverTime}, VerdictReview},
		{"out of range, no flag", weak, nil, VerdictNotRecommended},
		{"out of range, too fast: not a rejection either", weak, []ValidityFlag{FlagTooFast}, VerdictReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Result{Kind: KindLikert, Scales: tt.scales, Flags: tt.flags}
			_, verdict := PackageFit(p, []*Instrument{big}, []Result{r})
			assert.Equal(t, tt.verdict, verdict)
			assert.LessOrEqual(t, utf8.RuneCountInString(verdict), maxAssessmentResultLen, "fits assessmentresult")
			notes := PackageSummary([]*Instrument{big}, []Result{r})
			assert.LessOrEqual(t, utf8.RuneCountInString(notes), SummaryMaxLen, "fits assessmentnotes")
			if len(tt.flags) > 0 {
				assert.Contains(t, notes, "Check: "+flagLabel(tt.flags[0]), "the notes in iCIMS say why too")
			}
		})
	}
}

func TestExplainVerdict(t *testing.T) {
	big := builtin(t, "big-five-work")
	reasoning := builtin(t, "reasoning")
	p := Package{Profile: TargetProfile{
		Ranges: map[string]ScaleRange{
			"extraversion": {Min: 60, Max: 100}, "conscientiousness": {Min: 60, Max: 100}, OverallScaleID: {Min: 50, Max: 100},
		},
		Weights: map[string]float64{"conscientiousness": 2},
	}}.WithDefaults()
	personality := Result{Kind: KindLikert, Flags: []ValidityFlag{FlagTooFast}, Scales: []ScaleScore{
		{Scale: "extraversion", Score: 93.75, Scored: true}, {Scale: "conscientiousness", Score: 40, Scored: true},
	}}
	ability := Result{Kind: KindAbility, PercentCorrect: 55.56, Flags: []ValidityFlag{FlagTooFast, FlagOverTime}}
	insts, results := []*Instrument{big, reasoning}, []Result{personality, ability}
	overall, verdict := PackageFit(p, insts, results)
	require.Equal(t, VerdictReview, verdict)

	why := ExplainVerdict(p, insts, results, overall, verdict)
	assert.Equal(t, []TraitFit{
		{Instrument: big.Name, Scale: "extraversion", Name: "Extraversion", Scored: true, Score: 93.8, Range: ScaleRange{Min: 60, Max: 100}, Weight: 1, InRange: true},
		{Instrument: big.Name, Scale: "conscientiousness", Name: "Conscientiousness", Scored: true, Score: 40, Range: ScaleRange{Min: 60, Max: 100}, Weight: 2, InRange: false},
		{Instrument: reasoning.Name, Scale: OverallScaleID, Name: "Percent correct", Scored: true, Score: 55.6, Range: ScaleRange{Min: 50, Max: 100}, Weight: 1, InRange: true},
	}, why.Traits)
	require.Len(t, why.Flags, 2, "each flag once, though two parts carry too_fast")
	assert.Equal(t, FlagTooFast, why.Flags[0].Flag)
	assert.Equal(t, FlagText(FlagTooFast), why.Flags[0].Meaning)
	assert.Equal(t, FlagOverTime, why.Flags[1].Flag)
	assert.Contains(t, why.Sentence(), "answered very fast, over the time limit")
	assert.Contains(t, why.Sentence(), FormatScore(overall))
}

func TestVerdictSentence(t *testing.T) {
	th := DefaultThresholds()
	tests := []struct {
		verdict string
		overall float64
		want    string
	}{
		{VerdictRecommended, 86.66, "The fit of 86.7 is at or above 70, the line for Recommended."},
		{VerdictConsider, 55, "The fit of 55 is at or above 50, the line for Consider, and below 70, the line for Recommended."},
		{VerdictNotRecommended, 20.04, "The fit of 20 is below 50, the line for Consider."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, VerdictReason{Verdict: tt.verdict, Overall: tt.overall, Thresholds: th}.Sentence())
	}

	// Recommended with the double-weighted trait outside its range: the
	// sentence says so, and a trait weighted 0 is not counted.
	traits := []TraitFit{
		{Name: "Extraversion", Weight: 1, Scored: true, InRange: true},
		{Name: "Conscientiousness", Weight: 2, Scored: true, InRange: false},
		{Name: "Openness", Weight: 0, Scored: true, InRange: false},
	}
	assert.Equal(t, "The fit of 73.3 is at or above 70, the line for Recommended. 1 of 2 weighted traits are inside their ideal range.",
		VerdictReason{Verdict: VerdictRecommended, Overall: 73.3, Thresholds: th, Traits: traits}.Sentence())
}

func TestFollowUpMovesNothingForAFlaggedResult(t *testing.T) {
	f := FollowUp{MoveIfRecommended: "offer", MoveOtherwise: "rejected"}
	assert.Equal(t, "offer", f.MoveFor(VerdictRecommended))
	assert.Equal(t, "rejected", f.MoveFor(VerdictConsider))
	assert.Equal(t, "rejected", f.MoveFor(VerdictNotRecommended))
	assert.Empty(t, f.MoveFor(VerdictReview))
}
