package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreReasoning(t *testing.T) {
	inst := builtin(t, "reasoning")
	t0 := attemptStart()
	require.Equal(t, 12*time.Minute, inst.TimeLimit())
	deadline := t0.Add(12 * time.Minute)
	at := func(seconds int) time.Time { return t0.Add(time.Duration(seconds) * time.Second) }

	answers := map[string]Answer{
		// Correct and on time (difficulty in brackets).
		"n01": {Choice: "b", AnsweredAt: at(30)},  // [1]
		"l01": {Choice: "b", AnsweredAt: at(60)},  // [1]
		"n02": {Choice: "c", AnsweredAt: at(90)},  // [1]
		"l02": {Choice: "d", AnsweredAt: at(120)}, // [1]
		"n03": {Choice: "a", AnsweredAt: at(150)}, // [1]
		"n04": {Choice: "c", AnsweredAt: at(210)}, // [2]
		"l04": {Choice: "d", AnsweredAt: at(240)}, // [2]
		"n05": {Choice: "d", AnsweredAt: at(270)}, // [2]
		"l06": {Choice: "a", AnsweredAt: at(360)}, // [2]
		"l07": {Choice: "c", AnsweredAt: at(450)}, // [3]
		// Wrong and on time; l05 lands exactly on the deadline, which is
		// still in time.
		"l03": {Choice: "a", AnsweredAt: at(180)},
		"n06": {Choice: "a", AnsweredAt: at(330)},
		"l05": {Choice: "d", AnsweredAt: deadline},
		// Correct but after the limit: not scored. n10's answer has no
		// timestamp, so it counts as given at the (late) finish.
		"n08": {Choice: "c", AnsweredAt: deadline.Add(time.Second)},
		"n09": {Choice: "a", AnsweredAt: deadline.Add(20 * time.Second)},
		"n10": {Choice: "d"},
		// n07 and l08 skipped.
	}
	for id, a := range answers {
		a.ElapsedMS = 25_000
		answers[id] = a
	}
	res, err := Score(inst, Responses{StartedAt: t0, FinishedAt: t0.Add(13 * time.Minute), Answers: answers})
	require.NoError(t, err)

	// 10 correct of 18 questions: 55.56 → 55.6%.
	// Difficulty of all 18: numerical 1+1+1+2+2+2+2+3+3+3 = 20, logical
	// 1+1+1+2+2+2+3+3 = 15, total 35; of the correct: 1*5 + 2*4 + 3 = 16;
	// 16/35 = 45.71 → 45.7%.
	// Numerical: n01-n05 correct of 10 = 50%; answered in time n01-n06 = 6.
	// Logical: l01 l02 l04 l06 l07 correct of 8 = 62.5%; answered in time
	// l01-l07 = 7.
	assert.Equal(t, 55.6, res.PercentCorrect)
	assert.Equal(t, 45.7, res.WeightedPercent)
	assert.Equal(t, []ScaleScore{
		{Scale: "numerical", Raw: 5, Score: 50, Band: BandAverage, Answered: 6, Scored: true},
		{Scale: "logical", Raw: 5, Score: 62.5, Band: BandAverage, Answered: 7, Scored: true},
	}, res.Scales)
	assert.Equal(t, 13, res.Answered)
	assert.Equal(t, 3, res.Late)
	assert.Equal(t, 2, res.Skipped)
	assert.Equal(t, int64(13*60*1000), res.DurationMS)
	assert.Equal(t, []ValidityFlag{FlagOverTime}, res.Flags)
}

func TestScoreReasoningAllCorrect(t *testing.T) {
	inst := builtin(t, "reasoning")
	t0 := attemptStart()
	answers := map[string]Answer{}
	for _, it := range inst.Items {
		answers[it.ID] = Answer{Choice: it.Answer, ElapsedMS: 30_000}
	}
	res, err := Score(inst, Responses{StartedAt: t0, FinishedAt: t0.Add(11 * time.Minute), Answers: answers})
	require.NoError(t, err)
	assert.Equal(t, 100.0, res.PercentCorrect)
	assert.Equal(t, 100.0, res.WeightedPercent)
	assert.Equal(t, 0, res.Late, "unstamped answers take the finish time, which is in time")
	assert.Empty(t, res.Flags)
}

func TestScoreAbilitySkippedScale(t *testing.T) {
	inst := builtin(t, "reasoning")
	t0 := attemptStart()
	res, err := Score(inst, Responses{StartedAt: t0, FinishedAt: t0.Add(time.Minute), Answers: map[string]Answer{
		"n01": {Choice: "b", ElapsedMS: 10_000},
	}})
	require.NoError(t, err)
	l, ok := res.Scale("logical")
	require.True(t, ok)
	// A skipped question is wrong, so an unanswered ability scale is a
	// real 0, not "not scored".
	assert.Equal(t, ScaleScore{Scale: "logical", Raw: 0, Score: 0, Band: BandLow, Answered: 0, Scored: true}, l)
	// 1 correct of 18 = 5.56 → 5.6; difficulty 1 of 35 = 2.86 → 2.9.
	assert.Equal(t, 5.6, res.PercentCorrect)
	assert.Equal(t, 2.9, res.WeightedPercent)
	assert.Contains(t, res.Flags, FlagTooManySkipped)
}
