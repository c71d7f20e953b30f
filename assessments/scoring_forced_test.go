package assessments

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreWorkStyle(t *testing.T) {
	inst := builtin(t, "work-style")
	t0 := attemptStart()
	// Each row picks the statement most and least like the candidate; the
	// styles say which style each statement is keyed to, and are checked
	// against the definition below so the arithmetic rests on real keys.
	picks := []struct {
		block, most, least, mostStyle, leastStyle string
	}{
		{"b01", "b01-1", "b01-3", "driving", "steady"},
		{"b02", "b02-2", "b02-4", "driving", "steady"},
		{"b03", "b03-3", "b03-1", "driving", "steady"},
		{"b04", "b04-4", "b04-2", "driving", "steady"},
		{"b05", "b05-1", "b05-4", "driving", "steady"},
		{"b06", "b06-3", "b06-2", "driving", "steady"},
		{"b07", "b07-4", "b07-1", "driving", "steady"},
		{"b08", "b08-2", "b08-3", "driving", "steady"},
		{"b09", "b09-4", "b09-3", "connecting", "analytical"},
		{"b10", "b10-2", "b10-1", "connecting", "analytical"},
		{"b11", "b11-4", "b11-2", "analytical", "driving"},
		{"b12", "b12-2", "b12-4", "analytical", "driving"},
		{"b13", "b13-4", "b13-2", "steady", "connecting"},
		{"b14", "b14-3", "b14-4", "steady", "connecting"},
		// b15 and b16 skipped.
	}
	answers := map[string]Answer{}
	for _, p := range picks {
		block, ok := inst.Item(p.block)
		require.True(t, ok, p.block)
		most, _ := statementStyle(block, p.most)
		least, _ := statementStyle(block, p.least)
		require.Equal(t, p.mostStyle, most, p.most)
		require.Equal(t, p.leastStyle, least, p.least)
		answers[p.block] = Answer{Most: p.most, Least: p.least, ElapsedMS: 6000}
	}

	res, err := Score(inst, Responses{StartedAt: t0, FinishedAt: t0.Add(5 * time.Minute), Answers: answers})
	require.NoError(t, err)

	// 14 blocks answered; raw = most - least; score = (raw+14)/28*100.
	// driving:    8 most, 2 least → +6 → 20/28 = 71.43 → 71.4, high
	// connecting: 2 most, 2 least →  0 → 14/28 = 50, average
	// steady:     2 most, 8 least → -6 →  8/28 = 28.57 → 28.6, low
	// analytical: 2 most, 2 least →  0 → 14/28 = 50, average
	// Connecting and Analytical tie on score and on "most" picks, so the
	// one defined first (connecting) is secondary.
	assert.Equal(t, []ScaleScore{
		{Scale: "driving", Raw: 6, Score: 71.4, Band: BandHigh, Answered: 14, Scored: true},
		{Scale: "connecting", Raw: 0, Score: 50, Band: BandAverage, Answered: 14, Scored: true},
		{Scale: "steady", Raw: -6, Score: 28.6, Band: BandLow, Answered: 14, Scored: true},
		{Scale: "analytical", Raw: 0, Score: 50, Band: BandAverage, Answered: 14, Scored: true},
	}, res.Scales)
	assert.Equal(t, "driving", res.PrimaryStyle)
	assert.Equal(t, "connecting", res.SecondaryStyle)
	assert.Equal(t, 14, res.Answered)
	assert.Equal(t, 2, res.Skipped)
	assert.Equal(t, int64(6000), res.MedianAnswerMS)
	assert.Empty(t, res.Flags, "2 of 16 skipped is 12.5%, under 20%")
}

func TestScoreForcedChoiceTieBreak(t *testing.T) {
	lib, err := LoadInstruments(os.DirFS("testdata/valid"))
	require.NoError(t, err)
	inst, err := lib.Get("tiny-forced")
	require.NoError(t, err)

	tests := []struct {
		name               string
		answers            map[string]Answer
		primary, secondary string
	}{
		{
			// b1: most alpha, least beta; b2: most gamma, least alpha.
			// alpha 1-1 = 0, beta -1, gamma +1: gamma, then alpha.
			name: "by score",
			answers: map[string]Answer{
				"b1": {Most: "s1", Least: "s2"},
				"b2": {Most: "s1", Least: "s2"},
			},
			primary: "gamma", secondary: "alpha",
		},
		{
			// b1: most beta, least gamma; b2: most gamma, least beta.
			// beta and gamma both 0 with one "most" each; alpha 0 with
			// none: beta and gamma first, in definition order.
			name: "by most picks, then definition order",
			answers: map[string]Answer{
				"b1": {Most: "s2", Least: "s3"},
				"b2": {Most: "s1", Least: "s3"},
			},
			primary: "beta", secondary: "gamma",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(inst, Responses{Answers: tt.answers})
			require.NoError(t, err)
			assert.Equal(t, tt.primary, res.PrimaryStyle)
			assert.Equal(t, tt.secondary, res.SecondaryStyle)
		})
	}

	res, err := Score(inst, Responses{})
	require.NoError(t, err)
	assert.Empty(t, res.PrimaryStyle, "nothing answered, no style")
	assert.Contains(t, res.Flags, FlagTooManySkipped)
}
