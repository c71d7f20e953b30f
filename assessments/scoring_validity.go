package assessments

import (
	"math"
	"slices"
)

// ValidityFlag marks a result whose answers may not reflect the candidate:
// recruiters see it beside the score, and norms leave such results out.
type ValidityFlag string

// The validity flags, in the order a result lists them.
const (
	// FlagStraightLining: a long run of the same Likert answer, or answers
	// with almost no spread.
	FlagStraightLining ValidityFlag = "straight_lining"
	// FlagTooFast: the median time per answer is implausibly short.
	FlagTooFast ValidityFlag = "too_fast"
	// FlagTooManySkipped: more items skipped than the instrument allows.
	FlagTooManySkipped ValidityFlag = "too_many_skipped"
	// FlagOverTime: a timed attempt finished after the time limit; answers
	// given after it were not scored.
	FlagOverTime ValidityFlag = "over_time"
)

// ValidityRules are an instrument's thresholds for the validity flags. Zero
// fields take the defaults of DefaultValidity; to switch a check off, set a
// threshold no attempt can reach (for example MaxSkippedPercent 100).
type ValidityRules struct {
	// MaxRun: this many identical Likert answers in a row is straight-lining.
	MaxRun int `json:"max_run,omitempty"`
	// MinStdDev: Likert answers spread less than this (standard deviation
	// on the rating scale) are straight-lining.
	MinStdDev float64 `json:"min_stddev,omitempty"`
	// MinMedianMS: a median time per answer below this is too fast.
	MinMedianMS int64 `json:"min_median_ms,omitempty"`
	// MaxSkippedPercent: skipping more than this share of items is flagged.
	MaxSkippedPercent float64 `json:"max_skipped_percent,omitempty"`
}

// minAnswersForSpread is the fewest Likert answers on which a low spread
// means anything; a handful of identical answers can be honest.
const minAnswersForSpread = 8

// DefaultValidity returns the default thresholds for a kind. The speed
// floors are roughly the time it takes to read an item once: about a second
// for a short statement, longer for four statements or a question that needs
// working out. Ability tests allow more skips, since a timed test is often
// left unfinished honestly.
func DefaultValidity(kind InstrumentKind) ValidityRules {
	v := ValidityRules{MaxRun: 10, MinStdDev: 0.25, MinMedianMS: 1200, MaxSkippedPercent: 20}
	switch kind {
	case KindForcedChoice:
		v.MinMedianMS = 2500
	case KindAbility:
		v.MinMedianMS = 3000
		v.MaxSkippedPercent = 50
	}
	return v
}

func (v ValidityRules) withDefaults(kind InstrumentKind) ValidityRules {
	d := DefaultValidity(kind)
	if v.MaxRun == 0 {
		v.MaxRun = d.MaxRun
	}
	if v.MinStdDev == 0 {
		v.MinStdDev = d.MinStdDev
	}
	if v.MinMedianMS == 0 {
		v.MinMedianMS = d.MinMedianMS
	}
	if v.MaxSkippedPercent == 0 {
		v.MaxSkippedPercent = d.MaxSkippedPercent
	}
	return v
}

// validityFlags works out the flags of a scored result; the result is
// always a non-nil slice so that stored JSON says [] rather than null.
func validityFlags(inst *Instrument, r Responses, res Result, onTime map[string]Answer) []ValidityFlag {
	rules := inst.Validity.withDefaults(inst.Kind)
	flags := []ValidityFlag{}
	if inst.Kind == KindLikert && straightLining(inst, onTime, rules) {
		flags = append(flags, FlagStraightLining)
	}
	if res.MedianAnswerMS > 0 && res.MedianAnswerMS < rules.MinMedianMS {
		flags = append(flags, FlagTooFast)
	}
	if n := len(inst.Items); n > 0 && float64(res.Skipped)*100/float64(n) > rules.MaxSkippedPercent {
		flags = append(flags, FlagTooManySkipped)
	}
	if inst.TimeLimitSeconds > 0 {
		deadline := r.StartedAt.Add(inst.TimeLimit())
		if res.Late > 0 || r.FinishedAt.After(deadline) {
			flags = append(flags, FlagOverTime)
		}
	}
	return flags
}

// straightLining looks at the answered values in the order the candidate saw
// them: a long run of one value, or almost no spread overall.
func straightLining(inst *Instrument, answers map[string]Answer, rules ValidityRules) bool {
	var values []float64
	run, longest := 0, 0
	for _, it := range inst.Items {
		a, ok := answers[it.ID]
		if !ok {
			continue
		}
		if len(values) > 0 && float64(a.Value) == values[len(values)-1] {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
		values = append(values, float64(a.Value))
	}
	if longest >= rules.MaxRun {
		return true
	}
	return len(values) >= minAnswersForSpread && stdDev(values) < rules.MinStdDev
}

func stdDev(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	var sq float64
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	return math.Sqrt(sq / float64(len(xs)))
}

// medianElapsed is the median time per answer over the answers that carry a
// time; 0 when none do.
func medianElapsed(answers map[string]Answer) int64 {
	var ms []int64
	for _, a := range answers {
		if a.ElapsedMS > 0 {
			ms = append(ms, a.ElapsedMS)
		}
	}
	if len(ms) == 0 {
		return 0
	}
	slices.Sort(ms)
	mid := len(ms) / 2
	if len(ms)%2 == 1 {
		return ms[mid]
	}
	return (ms[mid-1] + ms[mid]) / 2
}
