package assessments

import (
	"maps"
	"math"
	"slices"
)

// The verdicts Fit gives, written to iCIMS as they are.
const (
	VerdictRecommended    = "Recommended"
	VerdictConsider       = "Consider"
	VerdictNotRecommended = "Not recommended"
)

// FitFalloff is how far (in 0–100 points) a score may lie outside its ideal
// range before that scale's fit reaches zero. Fit falls linearly over it, so
// each point outside the range costs 100/FitFalloff points of fit: easy to
// explain to a recruiter, and with no cliff at the range's edge.
const FitFalloff = 50.0

// ScaleRange is the ideal range of a 0–100 scale score, inclusive.
type ScaleRange struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// TargetProfile is what a role looks for: an ideal range per scale id (use
// OverallScaleID for an ability test's percent correct) and an optional
// weight per scale (missing weights count 1, zero leaves a scale out).
type TargetProfile struct {
	Ranges  map[string]ScaleRange `json:"ranges"`
	Weights map[string]float64    `json:"weights"`
}

// Thresholds are the lowest overall fits for the verdicts Recommended and
// Consider. The zero value means DefaultThresholds.
type Thresholds struct {
	Recommended float64 `json:"recommended"`
	Consider    float64 `json:"consider"`
}

// DefaultThresholds returns 70 for Recommended and 50 for Consider.
func DefaultThresholds() Thresholds {
	return Thresholds{Recommended: 70, Consider: 50}
}

// Validate returns an EINVALID error unless 0 <= Consider <= Recommended <= 100.
func (t Thresholds) Validate() error {
	if t.Consider < 0 || t.Consider > t.Recommended || t.Recommended > 100 {
		return Errorf(EINVALID, "Thresholds must satisfy 0 ≤ consider ≤ recommended ≤ 100.")
	}
	return nil
}

// Verdict returns the verdict for an overall fit.
func (t Thresholds) Verdict(overall float64) string {
	if t == (Thresholds{}) {
		t = DefaultThresholds()
	}
	switch {
	case overall >= t.Recommended:
		return VerdictRecommended
	case overall >= t.Consider:
		return VerdictConsider
	}
	return VerdictNotRecommended
}

// Validate returns an EINVALID error if the profile names a scale the
// instrument does not have, or has a range or weight out of bounds.
func (p TargetProfile) Validate(inst *Instrument) error {
	known := func(id string) bool {
		_, ok := inst.Scale(id)
		return ok || (id == OverallScaleID && inst.Kind == KindAbility)
	}
	for _, id := range slices.Sorted(maps.Keys(p.Ranges)) {
		rg := p.Ranges[id]
		if !known(id) {
			return Errorf(EINVALID, "%s has no scale %q.", inst.Name, id)
		}
		if rg.Min < 0 || rg.Min > rg.Max || rg.Max > 100 {
			return Errorf(EINVALID, "The range for %q must satisfy 0 ≤ min ≤ max ≤ 100.", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Weights)) {
		if !known(id) {
			return Errorf(EINVALID, "%s has no scale %q.", inst.Name, id)
		}
		if p.Weights[id] < 0 {
			return Errorf(EINVALID, "The weight for %q must not be negative.", id)
		}
	}
	return nil
}

// Fit scores how well a result matches a target profile, 0–100 with one
// decimal, and gives the verdict for it. Each profiled scale scores 100
// inside its range and loses 100/FitFalloff points per point outside it; the
// overall fit is the weighted mean over the scales the result scored. With
// no profile the fit is the mean of the scored scale scores, or the percent
// correct of an ability test. (A forced-choice result's style scores always
// average 50, so work styles need a profile to say anything.)
func Fit(profile TargetProfile, thresholds Thresholds, r Result) (overall float64, verdict string) {
	if len(profile.Ranges) == 0 {
		overall = unprofiledFit(r)
	} else {
		overall = profiledFit(profile, r)
	}
	overall = ScoreFigure(overall)
	return overall, thresholds.Verdict(overall)
}

func unprofiledFit(r Result) float64 {
	if r.Kind == KindAbility {
		return r.PercentCorrect
	}
	var sum float64
	n := 0
	for _, s := range r.Scales {
		if s.Scored {
			sum += s.Score
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func profiledFit(p TargetProfile, r Result) float64 {
	var sum, weights float64
	// Sorted so that the floating-point sum is the same on every run.
	for _, id := range slices.Sorted(maps.Keys(p.Ranges)) {
		w, ok := p.Weights[id]
		if !ok {
			w = 1
		}
		score, scored := scoreOn(r, id)
		if w <= 0 || !scored {
			continue
		}
		rg := p.Ranges[id]
		lo, hi := min(rg.Min, rg.Max), max(rg.Min, rg.Max)
		d := max(lo-score, score-hi, 0)
		sum += w * math.Max(0, 100*(1-d/FitFalloff))
		weights += w
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

// scoreOn returns a result's 0–100 score on a scale id, OverallScaleID
// included.
func scoreOn(r Result, id string) (float64, bool) {
	if id == OverallScaleID && r.Kind == KindAbility {
		return r.PercentCorrect, true
	}
	s, ok := r.Scale(id)
	return s.Score, ok && s.Scored
}
