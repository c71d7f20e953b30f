package assessments

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitWithoutProfile(t *testing.T) {
	tests := []struct {
		name        string
		result      Result
		wantScore   float64
		wantVerdict string
	}{
		{
			// (80 + 60) / 2 = 70, beta not scored: exactly Recommended.
			name: "likert mean of scored scales",
			result: Result{Kind: KindLikert, Scales: []ScaleScore{
				{Scale: "alpha", Score: 80, Scored: true},
				{Scale: "beta"},
				{Scale: "gamma", Score: 60, Scored: true},
			}},
			wantScore: 70, wantVerdict: VerdictRecommended,
		},
		{
			name: "ability uses percent correct, not the scales",
			result: Result{Kind: KindAbility, PercentCorrect: 55.6, Scales: []ScaleScore{
				{Scale: "numerical", Score: 90, Scored: true},
			}},
			wantScore: 55.6, wantVerdict: VerdictConsider,
		},
		{
			// (33.3 + 33.3 + 33.4) / 3 = 33.33 → 33.3.
			name: "rounded to one decimal",
			result: Result{Kind: KindLikert, Scales: []ScaleScore{
				{Scale: "a", Score: 33.3, Scored: true}, {Scale: "b", Score: 33.3, Scored: true}, {Scale: "c", Score: 33.4, Scored: true},
			}},
			wantScore: 33.3, wantVerdict: VerdictNotRecommended,
		},
		{"nothing scored", Result{Kind: KindLikert, Scales: []ScaleScore{{Scale: "a"}}}, 0, VerdictNotRecommended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, verdict := Fit(TargetProfile{}, Thresholds{}, tt.result)
			assert.Equal(t, tt.wantScore, score)
			assert.Equal(t, tt.wantVerdict, verdict)
		})
	}
}

func TestFitWorkStyleWithoutProfileIsNeutral(t *testing.T) {
	inst := builtin(t, "work-style")
	answers := map[string]Answer{}
	for _, it := range inst.Items {
		answers[it.ID] = Answer{Most: it.Statements[0].ID, Least: it.Statements[3].ID}
	}
	res, err := Score(inst, Responses{Answers: answers})
	require.NoError(t, err)
	// Every block adds 1 and takes 1, so style scores always average 50.
	score, verdict := Fit(TargetProfile{}, Thresholds{}, res)
	assert.Equal(t, 50.0, score)
	assert.Equal(t, VerdictConsider, verdict)
}

func TestFitWithProfile(t *testing.T) {
	result := Result{Kind: KindLikert, Scales: []ScaleScore{
		{Scale: "alpha", Score: 50, Scored: true},
		{Scale: "beta", Score: 55, Scored: true},
		{Scale: "gamma", Score: 10, Scored: true},
		{Scale: "delta"},
	}}
	ranges := map[string]ScaleRange{
		"alpha": {Min: 40, Max: 60},  // 50 inside: 100
		"beta":  {Min: 70, Max: 100}, // 55 is 15 below: 100*(1-15/50) = 70
		"gamma": {Min: 70, Max: 100}, // 10 is 60 below, past the falloff: 0
		"delta": {Min: 0, Max: 100},  // not scored: left out
	}
	tests := []struct {
		name        string
		profile     TargetProfile
		wantScore   float64
		wantVerdict string
	}{
		// (100 + 70 + 0) / 3 = 56.67 → 56.7.
		{"equal weights", TargetProfile{Ranges: ranges}, 56.7, VerdictConsider},
		// (1*100 + 3*70 + 0*0) / 4 = 77.5.
		{"weighted, gamma weight 0", TargetProfile{Ranges: ranges, Weights: map[string]float64{"beta": 3, "gamma": 0}}, 77.5, VerdictRecommended},
		// (100 + 70 + 4*0) / 6 = 28.33 → 28.3.
		{"gamma heavy", TargetProfile{Ranges: ranges, Weights: map[string]float64{"gamma": 4}}, 28.3, VerdictNotRecommended},
		// 55 is 5 above 50: 100*(1-5/50) = 90.
		{"above the range", TargetProfile{Ranges: map[string]ScaleRange{"beta": {Min: 0, Max: 50}}}, 90, VerdictRecommended},
		{"only unscored scales", TargetProfile{Ranges: map[string]ScaleRange{"delta": {Min: 0, Max: 100}}}, 0, VerdictNotRecommended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, verdict := Fit(tt.profile, Thresholds{}, result)
			assert.Equal(t, tt.wantScore, score)
			assert.Equal(t, tt.wantVerdict, verdict)
		})
	}
}

func TestFitFallsSmoothly(t *testing.T) {
	profile := TargetProfile{Ranges: map[string]ScaleRange{"alpha": {Min: 40, Max: 60}}}
	fit := func(score float64) float64 {
		s, _ := Fit(profile, Thresholds{}, Result{Kind: KindLikert, Scales: []ScaleScore{{Scale: "alpha", Score: score, Scored: true}}})
		return s
	}
	assert.Equal(t, 100.0, fit(60))
	assert.Equal(t, 99.8, fit(60.1), "no cliff at the edge of the range")
	assert.Equal(t, 99.8, fit(39.9), "symmetric below the range")
	prev := fit(60)
	for score := 61.0; score <= 100; score++ {
		cur := fit(score)
		assert.Less(t, cur, prev, "fit keeps falling at %v", score)
		assert.InDelta(t, prev-cur, 2, 0.01, "and by the same step at %v", score)
		prev = cur
		if cur == 0 {
			break
		}
	}
	assert.Equal(t, 20.0, fit(0), "40 below: 100*(1-40/50)")
}

func TestFitAbilityProfile(t *testing.T) {
	result := Result{Kind: KindAbility, PercentCorrect: 45, Scales: []ScaleScore{{Scale: "numerical", Score: 80, Scored: true}}}
	// 45 is 15 under 60 on the overall score: 70; numerical 80 is inside: 100.
	score, _ := Fit(TargetProfile{Ranges: map[string]ScaleRange{OverallScaleID: {Min: 60, Max: 100}}}, Thresholds{}, result)
	assert.Equal(t, 70.0, score)
	score, _ = Fit(TargetProfile{Ranges: map[string]ScaleRange{
		OverallScaleID: {Min: 60, Max: 100}, "numerical": {Min: 70, Max: 100},
	}}, Thresholds{}, result)
	assert.Equal(t, 85.0, score) // (70 + 100) / 2
}

func TestVerdictBands(t *testing.T) {
	tests := []struct {
		th      Thresholds
		overall float64
		want    string
	}{
		{Thresholds{}, 100, VerdictRecommended},
		{Thresholds{}, 70, VerdictRecommended},
		{Thresholds{}, 69.9, VerdictConsider},
		{Thresholds{}, 50, VerdictConsider},
		{Thresholds{}, 49.9, VerdictNotRecommended},
		{Thresholds{}, 0, VerdictNotRecommended},
		{Thresholds{Recommended: 80, Consider: 60}, 79.9, VerdictConsider},
		{Thresholds{Recommended: 80, Consider: 60}, 80, VerdictRecommended},
		{Thresholds{Recommended: 80, Consider: 60}, 59.9, VerdictNotRecommended},
		{Thresholds{Recommended: 80}, 1, VerdictConsider},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.th.Verdict(tt.overall), "%+v at %v", tt.th, tt.overall)
		})
	}
	assert.Equal(t, Thresholds{Recommended: 70, Consider: 50}, DefaultThresholds())
}

func TestProfileAndThresholdValidation(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	reasoning := builtin(t, "reasoning")
	tests := []struct {
		name    string
		inst    *Instrument
		profile TargetProfile
		wantErr bool
	}{
		{"good", bigFive, TargetProfile{Ranges: map[string]ScaleRange{"openness": {Min: 40, Max: 80}}, Weights: map[string]float64{"openness": 2}}, false},
		{"unknown scale", bigFive, TargetProfile{Ranges: map[string]ScaleRange{"neuroticism": {Min: 0, Max: 50}}}, true},
		{"min above max", bigFive, TargetProfile{Ranges: map[string]ScaleRange{"openness": {Min: 80, Max: 40}}}, true},
		{"past 100", bigFive, TargetProfile{Ranges: map[string]ScaleRange{"openness": {Min: 80, Max: 101}}}, true},
		{"negative weight", bigFive, TargetProfile{Weights: map[string]float64{"openness": -1}}, true},
		{"overall on ability", reasoning, TargetProfile{Ranges: map[string]ScaleRange{OverallScaleID: {Min: 60, Max: 100}}}, false},
		{"overall on likert", bigFive, TargetProfile{Ranges: map[string]ScaleRange{OverallScaleID: {Min: 60, Max: 100}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.profile.Validate(tt.inst)
			if tt.wantErr {
				assert.Equal(t, EINVALID, ErrorCode(err))
			} else {
				assert.NoError(t, err)
			}
		})
	}

	assert.NoError(t, DefaultThresholds().Validate())
	assert.NoError(t, Thresholds{Recommended: 60, Consider: 60}.Validate())
	assert.Equal(t, EINVALID, ErrorCode(Thresholds{Recommended: 50, Consider: 70}.Validate()))
	assert.Equal(t, EINVALID, ErrorCode(Thresholds{Recommended: 101, Consider: 50}.Validate()))
	assert.Equal(t, EINVALID, ErrorCode(Thresholds{Recommended: 70, Consider: -1}.Validate()))
}
