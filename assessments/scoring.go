package assessments

import (
	"math"
	"slices"
	"time"
)

// Responses is everything a candidate gave for one instrument: an answer per
// item id (skipped items are absent) and when the attempt started and ended.
type Responses struct {
	StartedAt  time.Time         `json:"started_at"`
	FinishedAt time.Time         `json:"finished_at"`
	Answers    map[string]Answer `json:"answers"`
}

// Answer is the candidate's answer to one item. Which field is set depends
// on the instrument's kind: Value for likert, Most and Least (statement ids)
// for forced_choice, Choice (a choice id) for ability.
type Answer struct {
	Value  int    `json:"value,omitempty"`
	Most   string `json:"most,omitempty"`
	Least  string `json:"least,omitempty"`
	Choice string `json:"choice,omitempty"`
	// ElapsedMS is how long the candidate spent on the item; 0 means not
	// measured, and such answers are left out of the speed check.
	ElapsedMS int64 `json:"elapsed_ms"`
	// AnsweredAt is when the server saved the answer. On a timed instrument
	// it decides whether the answer came in time; when it is zero the answer
	// counts as given at Responses.FinishedAt, and in time if that is zero
	// too.
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// Result is a scored attempt. It is stored as JSON, so its keys are part of
// the stored format: add fields, never rename them.
type Result struct {
	InstrumentID      string         `json:"instrument_id"`
	InstrumentVersion string         `json:"instrument_version"`
	Kind              InstrumentKind `json:"kind"`
	// Scales holds one entry per scale, in the definition's order.
	Scales []ScaleScore `json:"scales"`
	// PrimaryStyle and SecondaryStyle are the two highest styles of a
	// forced-choice instrument (scale ids), empty for other kinds.
	PrimaryStyle   string `json:"primary_style"`
	SecondaryStyle string `json:"secondary_style"`
	// PercentCorrect and WeightedPercent are set for ability instruments:
	// skipped and late answers count as wrong, and WeightedPercent weighs
	// each question by its difficulty.
	PercentCorrect  float64 `json:"percent_correct"`
	WeightedPercent float64 `json:"weighted_percent"`
	// Answered, Skipped and Late add up to the number of items; late answers
	// (after a time limit) are not scored.
	Answered       int            `json:"answered"`
	Skipped        int            `json:"skipped"`
	Late           int            `json:"late"`
	DurationMS     int64          `json:"duration_ms"`
	MedianAnswerMS int64          `json:"median_answer_ms"`
	Flags          []ValidityFlag `json:"flags"`
}

// ScaleScore is the score on one scale. Raw is the sum of keyed Likert
// values, the count of "most" minus "least" picks of a style, or the number
// of correct answers; Score puts it on 0–100 so that scales compare.
type ScaleScore struct {
	Scale    string  `json:"scale"`
	Raw      float64 `json:"raw"`
	Score    float64 `json:"score"`
	Band     Band    `json:"band"`
	Answered int     `json:"answered"`
	// Scored is false when nothing was answered on a personality scale, so
	// that Score means nothing; ability scales are always scored, since a
	// skipped question is simply wrong.
	Scored bool `json:"scored"`
}

// Scale returns the score for the given scale id.
func (r Result) Scale(id string) (ScaleScore, bool) {
	for _, s := range r.Scales {
		if s.Scale == id {
			return s, true
		}
	}
	return ScaleScore{}, false
}

// HasFlag reports whether the result carries the given validity flag.
func (r Result) HasFlag(f ValidityFlag) bool {
	return slices.Contains(r.Flags, f)
}

// Score scores a candidate's responses to an instrument. Answers that do not
// fit the instrument (unknown item, value out of range, unknown statement or
// choice, most == least, a finish before the start) are an EINVALID error,
// because they mean a bug or tampering, never a candidate's honest answer.
func Score(inst *Instrument, r Responses) (Result, error) {
	if inst == nil {
		return Result{}, Errorf(EINVALID, "No assessment to score.")
	}
	if err := checkResponses(inst, r); err != nil {
		return Result{}, err
	}
	onTime := make(map[string]Answer, len(r.Answers))
	late := 0
	for id, a := range r.Answers {
		if isLate(inst, r, a) {
			late++
			continue
		}
		onTime[id] = a
	}
	res := Result{
		InstrumentID:      inst.ID,
		InstrumentVersion: inst.Version,
		Kind:              inst.Kind,
		Answered:          len(onTime),
		Late:              late,
		Skipped:           len(inst.Items) - len(onTime) - late,
	}
	cut := inst.BandCutoffs
	switch inst.Kind {
	case KindLikert:
		res.Scales = scoreLikert(inst, onTime)
	case KindForcedChoice:
		res.Scales, res.PrimaryStyle, res.SecondaryStyle = scoreForcedChoice(inst, onTime)
	case KindAbility:
		res.Scales, res.PercentCorrect, res.WeightedPercent = scoreAbility(inst, onTime)
	default:
		return Result{}, Errorf(EINVALID, "Assessment %q has unknown kind %q.", inst.ID, inst.Kind)
	}
	for i, s := range res.Scales {
		if s.Scored {
			res.Scales[i].Band = cut.Band(s.Score)
		}
	}
	if !r.StartedAt.IsZero() && !r.FinishedAt.IsZero() {
		res.DurationMS = r.FinishedAt.Sub(r.StartedAt).Milliseconds()
	}
	res.MedianAnswerMS = medianElapsed(onTime)
	res.Flags = validityFlags(inst, r, res, onTime)
	return res, nil
}

// checkResponses rejects responses that cannot have come from an honest
// attempt at this instrument.
func checkResponses(inst *Instrument, r Responses) error {
	if !r.StartedAt.IsZero() && !r.FinishedAt.IsZero() && r.FinishedAt.Before(r.StartedAt) {
		return Errorf(EINVALID, "The assessment finished before it started.")
	}
	if inst.TimeLimitSeconds > 0 && r.StartedAt.IsZero() {
		return Errorf(EINVALID, "A timed assessment needs its start time.")
	}
	ids := make([]string, 0, len(r.Answers))
	for id := range r.Answers {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the first problem reported should not depend on map order
	for _, id := range ids {
		it, ok := inst.Item(id)
		if !ok {
			return Errorf(EINVALID, "Unknown item %q.", id)
		}
		a := r.Answers[id]
		if a.ElapsedMS < 0 {
			return Errorf(EINVALID, "Item %q: negative time.", id)
		}
		var err error
		switch inst.Kind {
		case KindLikert:
			err = checkLikertAnswer(inst, it, a)
		case KindForcedChoice:
			err = checkForcedChoiceAnswer(it, a)
		case KindAbility:
			err = checkAbilityAnswer(it, a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isLate reports whether an answer came after the time limit.
func isLate(inst *Instrument, r Responses, a Answer) bool {
	if inst.TimeLimitSeconds <= 0 {
		return false
	}
	at := a.AnsweredAt
	if at.IsZero() {
		at = r.FinishedAt
	}
	return !at.IsZero() && at.After(r.StartedAt.Add(inst.TimeLimit()))
}

// round1 rounds to one decimal: scores are shown and stored that way, and
// rounding here keeps stored JSON free of float noise.
func round1(x float64) float64 {
	return math.Round(x*10) / 10
}
