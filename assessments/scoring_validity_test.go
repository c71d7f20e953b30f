package assessments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// likertSequence answers the instrument's items in order with the given
// values, cycling through them.
func likertSequence(inst *Instrument, values []int, ms int64) map[string]Answer {
	out := map[string]Answer{}
	for i, it := range inst.Items {
		out[it.ID] = Answer{Value: values[i%len(values)], ElapsedMS: ms}
	}
	return out
}

// variedLikert is an attempt that raises no flag: no two neighbours equal.
func variedLikert(inst *Instrument, ms int64) map[string]Answer {
	return likertSequence(inst, []int{1, 2, 3, 4, 5}, ms)
}

// withRun overwrites n answers from position start with the value 3; the
// neighbours of the run in variedLikert are never 3 for the starts used.
func withRun(inst *Instrument, answers map[string]Answer, start, n int) map[string]Answer {
	for _, it := range inst.Items[start : start+n] {
		a := answers[it.ID]
		a.Value = 3
		answers[it.ID] = a
	}
	return answers
}

func withRules(inst *Instrument, rules ValidityRules) *Instrument {
	c := *inst
	c.Validity = rules
	return &c
}

func TestStraightLining(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	runRules := withRules(bigFive, ValidityRules{MaxRun: 6, MinStdDev: 0.01})
	spreadRules := withRules(bigFive, ValidityRules{MaxRun: 50, MinStdDev: 0.5})
	first := func(n int, answers map[string]Answer) map[string]Answer {
		out := map[string]Answer{}
		for _, it := range bigFive.Items[:n] {
			out[it.ID] = answers[it.ID]
		}
		return out
	}
	// 3 nine times, then a 4: mean 3.1, variance 0.9*0.01 + 0.1*0.81 = 0.09,
	// standard deviation 0.3.
	mostlyThrees := []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 4}

	tests := []struct {
		name    string
		inst    *Instrument
		answers map[string]Answer
		want    bool
	}{
		{"varied answers", bigFive, variedLikert(bigFive, 3000), false},
		{"same answer throughout, default rules", bigFive, likertSequence(bigFive, []int{4}, 3000), true},
		// Positions 9 and 15/16 hold 5, 1 and 2 in variedLikert, so the run
		// is exactly 5 or 6 long.
		{"run one short of the limit", runRules, withRun(bigFive, variedLikert(bigFive, 3000), 10, 5), false},
		{"run at the limit", runRules, withRun(bigFive, variedLikert(bigFive, 3000), 10, 6), true},
		{"spread 0.3 under 0.5", spreadRules, likertSequence(bigFive, mostlyThrees, 3000), true},
		// Alternating 3 and 4: every answer is 0.5 from the mean of 3.5.
		{"spread exactly 0.5", spreadRules, likertSequence(bigFive, []int{3, 4}, 3000), false},
		{"7 identical answers are too few to judge spread", spreadRules, first(7, likertSequence(bigFive, []int{3}, 3000)), false},
		{"8 identical answers", spreadRules, first(8, likertSequence(bigFive, []int{3}, 3000)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(tt.inst, Responses{Answers: tt.answers})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.HasFlag(FlagStraightLining))
		})
	}
}

func TestTooFast(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	workStyle := builtin(t, "work-style")
	// Half the answers at 500 ms and half at 5000 ms: the median of an even
	// count is the mean of the middle two, (500+5000)/2 = 2750.
	mixed := variedLikert(bigFive, 5000)
	for _, it := range bigFive.Items[:20] {
		a := mixed[it.ID]
		a.ElapsedMS = 500
		mixed[it.ID] = a
	}
	blocks := func(ms int64) map[string]Answer {
		out := map[string]Answer{}
		for _, it := range workStyle.Items {
			out[it.ID] = Answer{Most: it.Statements[0].ID, Least: it.Statements[1].ID, ElapsedMS: ms}
		}
		return out
	}

	tests := []struct {
		name       string
		inst       *Instrument
		answers    map[string]Answer
		wantMedian int64
		want       bool
	}{
		{"likert just under 1200 ms", bigFive, variedLikert(bigFive, 1199), 1199, true},
		{"likert at 1200 ms", bigFive, variedLikert(bigFive, 1200), 1200, false},
		{"likert mixed", bigFive, mixed, 2750, false},
		{"times not measured", bigFive, variedLikert(bigFive, 0), 0, false},
		{"forced choice under 2500 ms", workStyle, blocks(2499), 2499, true},
		{"forced choice at 2500 ms", workStyle, blocks(2500), 2500, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(tt.inst, Responses{Answers: tt.answers})
			require.NoError(t, err)
			assert.Equal(t, tt.wantMedian, res.MedianAnswerMS)
			assert.Equal(t, tt.want, res.HasFlag(FlagTooFast))
		})
	}
}

func TestTooManySkipped(t *testing.T) {
	bigFive := builtin(t, "big-five-work")
	// 40 items and a 20% limit: 8 skipped is 20%, allowed; 9 is 22.5%.
	for _, tt := range []struct {
		skip int
		want bool
	}{{0, false}, {8, false}, {9, true}, {40, true}} {
		t.Run("", func(t *testing.T) {
			answers := variedLikert(bigFive, 3000)
			for _, it := range bigFive.Items[len(bigFive.Items)-tt.skip:] {
				delete(answers, it.ID)
			}
			res, err := Score(bigFive, Responses{Answers: answers})
			require.NoError(t, err)
			assert.Equal(t, tt.skip, res.Skipped)
			assert.Equal(t, tt.want, res.HasFlag(FlagTooManySkipped), "%d skipped", tt.skip)
		})
	}
}

func TestOverTime(t *testing.T) {
	reasoning := builtin(t, "reasoning")
	t0 := attemptStart()
	deadline := t0.Add(reasoning.TimeLimit())
	answers := map[string]Answer{}
	for _, it := range reasoning.Items {
		answers[it.ID] = Answer{Choice: it.Answer, ElapsedMS: 20_000, AnsweredAt: t0.Add(10 * time.Minute)}
	}

	tests := []struct {
		name     string
		finished time.Time
		want     bool
	}{
		{"finished at the limit", deadline, false},
		{"finished a second after the limit", deadline.Add(time.Second), true},
		{"finish not recorded", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(reasoning, Responses{StartedAt: t0, FinishedAt: tt.finished, Answers: answers})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.HasFlag(FlagOverTime))
			assert.Equal(t, 0, res.Late, "every answer was stamped in time")
			assert.Equal(t, 100.0, res.PercentCorrect)
		})
	}

	untimed, err := Score(builtin(t, "big-five-work"), Responses{
		StartedAt: t0, FinishedAt: t0.Add(3 * time.Hour), Answers: variedLikert(builtin(t, "big-five-work"), 3000),
	})
	require.NoError(t, err)
	assert.False(t, untimed.HasFlag(FlagOverTime), "no limit, no over time")
}

func TestDefaultValidity(t *testing.T) {
	assert.Equal(t, ValidityRules{MaxRun: 10, MinStdDev: 0.25, MinMedianMS: 1200, MaxSkippedPercent: 20}, DefaultValidity(KindLikert))
	assert.Equal(t, int64(2500), DefaultValidity(KindForcedChoice).MinMedianMS)
	assert.Equal(t, 50.0, DefaultValidity(KindAbility).MaxSkippedPercent)
	assert.Equal(t, ValidityRules{MaxRun: 3, MinStdDev: 0.25, MinMedianMS: 1200, MaxSkippedPercent: 20},
		ValidityRules{MaxRun: 3}.withDefaults(KindLikert), "zero fields take defaults, set ones stay")
}
