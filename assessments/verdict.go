package assessments

import (
	"fmt"
	"strings"
)

// VerdictReview is the verdict of a result that carries a validity flag.
// A flag says the answers may not describe the candidate (too fast, the
// same answer over and over, many skipped, late), so the scores cannot
// back a recommendation, nor a rejection: a person looks at the flags
// first. It is written to iCIMS's assessmentresult as it is, and follow-up
// rules move such an application nowhere.
const VerdictReview = "Review: answers flagged"

// FlaggedVerdict applies the validity rule to the verdict the fit gave:
// with any flag the verdict is VerdictReview, whatever the fit. The fit
// itself is kept and shown, so the recruiter still sees how the answers
// matched the profile.
func FlaggedVerdict(verdict string, flags []ValidityFlag) string {
	if len(flags) > 0 {
		return VerdictReview
	}
	return verdict
}

// VerdictReason says why a result got its verdict: the overall fit against
// the thresholds, how each profiled trait fits its ideal range, and what
// each validity flag means.
type VerdictReason struct {
	Verdict    string
	Overall    float64
	Thresholds Thresholds
	// Traits are the profiled scales, in the instruments' order.
	Traits []TraitFit
	Flags  []FlagReason
}

// TraitFit is one profiled scale of a result against its ideal range.
type TraitFit struct {
	Instrument string
	Scale      string
	Name       string
	Scored     bool
	Score      float64
	Range      ScaleRange
	// Weight is the scale's weight in the fit (1 unless the profile says
	// otherwise; 0 leaves it out).
	Weight  float64
	InRange bool
}

// FlagReason is a validity flag with its short label (as iCIMS's notes
// show it) and its meaning for a recruiter.
type FlagReason struct {
	Flag    ValidityFlag
	Label   string
	Meaning string
}

// ExplainVerdict gives the reasons for a stored result's overall and
// verdict. It does not score again: the verdict and overall are those the
// result was given, so the reasons describe what iCIMS shows.
func ExplainVerdict(p Package, insts []*Instrument, results []Result, overall float64, verdict string) VerdictReason {
	p = p.WithDefaults()
	why := VerdictReason{Verdict: verdict, Overall: ScoreFigure(overall), Thresholds: p.Thresholds}
	seen := map[ValidityFlag]bool{}
	for i, inst := range insts {
		if i >= len(results) {
			break
		}
		r := results[i]
		for _, id := range scaleIDs(inst) {
			rg, ok := p.Profile.Ranges[id]
			if !ok {
				continue
			}
			w, set := p.Profile.Weights[id]
			if !set {
				w = 1
			}
			score, scored := scoreOn(r, id)
			name := scaleName(inst, id)
			if id == OverallScaleID {
				name = "Percent correct"
			}
			why.Traits = append(why.Traits, TraitFit{
				Instrument: inst.Name, Scale: id, Name: name, Scored: scored, Score: ScoreFigure(score),
				Range: rg, Weight: w, InRange: scored && score >= min(rg.Min, rg.Max) && score <= max(rg.Min, rg.Max),
			})
		}
		for _, f := range r.Flags {
			if !seen[f] {
				seen[f] = true
				why.Flags = append(why.Flags, FlagReason{Flag: f, Label: flagLabel(f), Meaning: FlagText(f)})
			}
		}
	}
	return why
}

// Sentence is the reason in plain words, as the report and the PDF print
// it above the traits: the fit against the verdict's line, and how many
// weighted traits are inside their ideal range.
func (v VerdictReason) Sentence() string {
	s := v.verdictSentence()
	counted, in := 0, 0
	for _, t := range v.Traits {
		if t.Weight > 0 {
			counted++
			if t.InRange {
				in++
			}
		}
	}
	if counted > 0 && v.Verdict != VerdictReview {
		s += fmt.Sprintf(" %d of %d weighted traits are inside their ideal range.", in, counted)
	}
	return s
}

func (v VerdictReason) verdictSentence() string {
	fit := FormatScore(v.Overall)
	t := v.Thresholds
	switch v.Verdict {
	case VerdictReview:
		labels := make([]string, len(v.Flags))
		for i, f := range v.Flags {
			labels[i] = f.Label
		}
		return fmt.Sprintf("The answers are flagged (%s), so the fit of %s is not turned into a recommendation either way: read what the flags mean before relying on the scores.",
			strings.Join(labels, ", "), fit)
	case VerdictRecommended:
		return fmt.Sprintf("The fit of %s is at or above %s, the line for %s.", fit, FormatScore(t.Recommended), VerdictRecommended)
	case VerdictConsider:
		return fmt.Sprintf("The fit of %s is at or above %s, the line for %s, and below %s, the line for %s.",
			fit, FormatScore(t.Consider), VerdictConsider, FormatScore(t.Recommended), VerdictRecommended)
	case VerdictNotRecommended:
		return fmt.Sprintf("The fit of %s is below %s, the line for %s.", fit, FormatScore(t.Consider), VerdictConsider)
	}
	return "The fit is " + fit + "."
}

// MoveFor is the status a follow-up moves an application to for a
// verdict: MoveIfRecommended, MoveOtherwise, or none for VerdictReview,
// since a flagged result must reach a person before anything moves it.
func (f FollowUp) MoveFor(verdict string) string {
	switch verdict {
	case VerdictRecommended:
		return f.MoveIfRecommended
	case VerdictReview:
		return ""
	}
	return f.MoveOtherwise
}
