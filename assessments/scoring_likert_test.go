package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attemptStart is when every attempt in the scoring tests starts.
func attemptStart() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }

func builtin(t *testing.T, id string) *Instrument {
	t.Helper()
	lib, err := BuiltinInstruments()
	require.NoError(t, err)
	inst, err := lib.Get(id)
	require.NoError(t, err)
	return inst
}

// likertAnswers turns item id → value into answers that took ms each.
func likertAnswers(values map[string]int, ms int64) map[string]Answer {
	out := make(map[string]Answer, len(values))
	for id, v := range values {
		out[id] = Answer{Value: v, ElapsedMS: ms}
	}
	return out
}

func TestScoreBigFiveWork(t *testing.T) {
	inst := builtin(t, "big-five-work")
	t0 := attemptStart()
	// Items 02, 04, 06 and 08 of every scale are reverse-keyed: v counts as 6-v.
	values := map[string]int{
		// Extraversion: 5, 1r→5, 5, 1r→5, 4, 2r→4, 5, 1r→5 = 38 over 8,
		// mean 4.75, (4.75-1)/4*100 = 93.75 → 93.8, high.
		"e01": 5, "e02": 1, "e03": 5, "e04": 1, "e05": 4, "e06": 2, "e07": 5, "e08": 1,
		// Agreeableness: 3 everywhere, and 6-3 = 3: 24 over 8, mean 3, 50, average.
		"a01": 3, "a02": 3, "a03": 3, "a04": 3, "a05": 3, "a06": 3, "a07": 3, "a08": 3,
		// Conscientiousness: 4, 2r→4, ... = 32 over 8, mean 4, 75, high.
		"c01": 4, "c02": 2, "c03": 4, "c04": 2, "c05": 4, "c06": 2, "c07": 4, "c08": 2,
		// Emotional Stability: 2, 4r→2, 2, 4r→2, 2, 4r→2, 1, 5r→1 = 14 over 8,
		// mean 1.75, 0.75/4*100 = 18.75 → 18.8, low.
		"s01": 2, "s02": 4, "s03": 2, "s04": 4, "s05": 2, "s06": 4, "s07": 1, "s08": 5,
		// Openness, o07 and o08 skipped: 5, 5r→1, 1, 1r→5, 4, 2r→4 = 20 over 6,
		// mean 3.333, 2.333/4*100 = 58.33 → 58.3, average.
		"o01": 5, "o02": 5, "o03": 1, "o04": 1, "o05": 4, "o06": 2,
	}
	res, err := Score(inst, Responses{
		StartedAt:  t0,
		FinishedAt: t0.Add(7*time.Minute + 30*time.Second),
		Answers:    likertAnswers(values, 3000),
	})
	require.NoError(t, err)

	assert.Equal(t, []ScaleScore{
		{Scale: "extraversion", Raw: 38, Score: 93.8, Band: BandHigh, Answered: 8, Scored: true},
		{Scale: "agreeableness", Raw: 24, Score: 50, Band: BandAverage, Answered: 8, Scored: true},
		{Scale: "conscientiousness", Raw: 32, Score: 75, Band: BandHigh, Answered: 8, Scored: true},
		{Scale: "emotional-stability", Raw: 14, Score: 18.8, Band: BandLow, Answered: 8, Scored: true},
		{Scale: "openness", Raw: 20, Score: 58.3, Band: BandAverage, Answered: 6, Scored: true},
	}, res.Scales)
	assert.Equal(t, "big-five-work", res.InstrumentID)
	assert.Equal(t, inst.Version, res.InstrumentVersion)
	assert.Equal(t, 38, res.Answered)
	assert.Equal(t, 2, res.Skipped)
	assert.Equal(t, 0, res.Late)
	assert.Equal(t, int64(450_000), res.DurationMS) // 7 min 30 s
	assert.Equal(t, int64(3000), res.MedianAnswerMS)
	assert.Empty(t, res.Flags)
	assert.Empty(t, res.PrimaryStyle)
}

func TestScoreLikertUnansweredScale(t *testing.T) {
	inst := builtin(t, "big-five-work")
	// Only e02 answered: 2 reverse-keyed is 6-2 = 4, (4-1)/4*100 = 75.
	res, err := Score(inst, Responses{Answers: likertAnswers(map[string]int{"e02": 2}, 0)})
	require.NoError(t, err)

	e, ok := res.Scale("extraversion")
	require.True(t, ok)
	assert.Equal(t, ScaleScore{Scale: "extraversion", Raw: 4, Score: 75, Band: BandHigh, Answered: 1, Scored: true}, e)
	o, ok := res.Scale("openness")
	require.True(t, ok)
	assert.Equal(t, ScaleScore{Scale: "openness"}, o, "nothing answered: not scored, no band")
	assert.Equal(t, int64(0), res.DurationMS, "no start or finish given")
}

func TestBandCutoffs(t *testing.T) {
	tests := []struct {
		cut   BandCutoffs
		score float64
		want  Band
	}{
		{BandCutoffs{}, 34.9, BandLow},
		{BandCutoffs{}, 35, BandAverage},
		{BandCutoffs{}, 65, BandAverage},
		{BandCutoffs{}, 65.1, BandHigh},
		{BandCutoffs{Low: 20, High: 80}, 25, BandAverage},
		{BandCutoffs{Low: 20, High: 80}, 19.9, BandLow},
		{BandCutoffs{Low: 20, High: 80}, 80.1, BandHigh},
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cut.Band(tt.score), "%+v %v", tt.cut, tt.score)
		})
	}
}
