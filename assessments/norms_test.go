package assessments

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// likertResult is a clean result with one score per scale.
func likertResult(scores map[string]float64, flags ...ValidityFlag) Result {
	r := Result{Kind: KindLikert, Flags: append([]ValidityFlag{}, flags...)}
	for _, id := range []string{"alpha", "beta"} {
		if s, ok := scores[id]; ok {
			r.Scales = append(r.Scales, ScaleScore{Scale: id, Score: s, Scored: true})
		} else {
			r.Scales = append(r.Scales, ScaleScore{Scale: id})
		}
	}
	return r
}

func group(n int) []Result {
	out := make([]Result, n)
	for i := range out {
		out[i] = likertResult(map[string]float64{"alpha": float64(i)})
	}
	return out
}

func TestNormsThreshold(t *testing.T) {
	tests := []struct {
		name      string
		results   int
		minGroup  int
		wantOK    bool
		wantGroup int
	}{
		{"default, one short", 29, 0, false, 29},
		{"default, exactly 30", 30, 0, true, 30},
		{"negative means default", 29, -1, false, 29},
		{"custom 5, one short", 4, 5, false, 4},
		{"custom 5, exactly 5", 5, 5, true, 5},
		{"nobody", 0, 5, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := BuildNorms(group(tt.results), tt.minGroup)
			pct, size, ok := n.Percentile("alpha", 2)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.wantGroup, size)
			if ok {
				// Scores 0..n-1: two below 2 and one equal, (2 + 0.5)/n.
				assert.InDelta(t, 250/float64(tt.results), pct, 0.05)
			} else {
				assert.Zero(t, pct, "no percentile below the threshold")
			}
		})
	}
}

func TestNormsPercentile(t *testing.T) {
	var results []Result
	for _, s := range []float64{40, 20, 10, 30, 20} {
		results = append(results, likertResult(map[string]float64{"alpha": s}))
	}
	n := BuildNorms(results, 5)
	// Sorted: 10 20 20 30 40; percentile = (below + equal/2) / 5 * 100.
	tests := []struct {
		score, want float64
	}{
		{5, 0},      // (0 + 0) / 5
		{10, 10},    // (0 + 0.5) / 5
		{20, 40},    // (1 + 1) / 5
		{25, 60},    // (3 + 0) / 5
		{40, 90},    // (4 + 0.5) / 5
		{50, 100},   // (5 + 0) / 5
		{30.5, 80},  // (4 + 0) / 5
		{19.99, 20}, // (1 + 0) / 5
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			pct, size, ok := n.Percentile("alpha", tt.score)
			require.True(t, ok)
			assert.Equal(t, 5, size)
			assert.Equal(t, tt.want, pct, "score %v", tt.score)
		})
	}
	_, size, ok := n.Percentile("beta", 50)
	assert.False(t, ok, "nobody scored on beta")
	assert.Zero(t, size)
}

func TestNormsGroupMembership(t *testing.T) {
	results := []Result{
		likertResult(map[string]float64{"alpha": 10, "beta": 10}),
		likertResult(map[string]float64{"alpha": 20}), // beta not scored
		likertResult(map[string]float64{"alpha": 30, "beta": 30}, FlagOverTime),
		likertResult(map[string]float64{"alpha": 99, "beta": 99}, FlagStraightLining),
		likertResult(map[string]float64{"alpha": 99, "beta": 99}, FlagTooFast),
		likertResult(map[string]float64{"alpha": 99, "beta": 99}, FlagTooManySkipped),
		{Kind: KindAbility, PercentCorrect: 55.6, Scales: []ScaleScore{{Scale: "alpha", Score: 40, Scored: true}}, Flags: []ValidityFlag{}},
	}
	n := BuildNorms(results, 1)
	assert.Equal(t, []float64{10, 20, 30, 40}, n.Scores["alpha"])
	assert.Equal(t, []float64{10, 30}, n.Scores["beta"])
	assert.Equal(t, []float64{55.6}, n.Scores[OverallScaleID])

	data, err := json.Marshal(n)
	require.NoError(t, err)
	var back Norms
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, n, back)
}
