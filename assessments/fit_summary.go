package assessments

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// SummaryMaxLen is the length, in characters, of iCIMS's assessmentnotes
// field.
const SummaryMaxLen = 192

// flagLabel is the words a recruiter reads for a validity flag.
func flagLabel(f ValidityFlag) string {
	switch f {
	case FlagStraightLining:
		return "same answer repeated"
	case FlagTooFast:
		return "answered very fast"
	case FlagTooManySkipped:
		return "many items skipped"
	case FlagOverTime:
		return "over the time limit"
	}
	return string(f)
}

// Summary is a plain one-line account of a result for iCIMS's
// assessmentnotes, at most SummaryMaxLen characters: validity warnings first,
// because they change how everything after them reads, then the headline
// (primary style, percent correct), then each scale. When it does not fit,
// whole scales are dropped from the end, or failing that the text is cut,
// and "..." marks the cut.
func Summary(inst *Instrument, r Result) string {
	var head []string
	if len(r.Flags) > 0 {
		labels := make([]string, len(r.Flags))
		for i, f := range r.Flags {
			labels[i] = flagLabel(f)
		}
		head = append(head, "Check: "+strings.Join(labels, ", ")+".")
	}
	var parts []string
	switch r.Kind {
	case KindAbility:
		head = append(head, fmt.Sprintf("%s%% correct (weighted %s%%).", whole(r.PercentCorrect), whole(r.WeightedPercent)))
		for _, s := range r.Scales {
			parts = append(parts, fmt.Sprintf("%s %s%%", scaleName(inst, s.Scale), whole(s.Score)))
		}
	case KindForcedChoice:
		if r.PrimaryStyle != "" {
			head = append(head, fmt.Sprintf("Primary %s, secondary %s.", scaleName(inst, r.PrimaryStyle), scaleName(inst, r.SecondaryStyle)))
		}
		parts = scaleParts(inst, r, false)
	default:
		parts = scaleParts(inst, r, true)
	}
	return fitSummary(strings.Join(head, " "), parts)
}

func scaleParts(inst *Instrument, r Result, withBand bool) []string {
	parts := make([]string, 0, len(r.Scales))
	for _, s := range r.Scales {
		switch {
		case !s.Scored:
			parts = append(parts, scaleName(inst, s.Scale)+" n/a")
		case withBand:
			parts = append(parts, fmt.Sprintf("%s %s (%s)", scaleName(inst, s.Scale), whole(s.Score), s.Band))
		default:
			parts = append(parts, fmt.Sprintf("%s %s", scaleName(inst, s.Scale), whole(s.Score)))
		}
	}
	return parts
}

// fitSummary joins the head and as many parts as fit in SummaryMaxLen.
func fitSummary(head string, parts []string) string {
	const more = "..."
	join := func(n int) string {
		s := strings.Join(parts[:n], ", ")
		if head != "" && s != "" {
			s = head + " " + s
		} else if head != "" {
			s = head
		}
		if n < len(parts) {
			s += more
		}
		return s
	}
	for n := len(parts); n >= 1; n-- {
		if s := join(n); utf8.RuneCountInString(s) <= SummaryMaxLen {
			return s
		}
	}
	all := join(len(parts))
	if utf8.RuneCountInString(all) <= SummaryMaxLen {
		return all
	}
	// Not even one scale fits beside the head (very long names): cut
	// mid-word rather than drop everything after the head.
	r := []rune(all)
	return string(r[:SummaryMaxLen-len(more)]) + more
}

func scaleName(inst *Instrument, id string) string {
	if inst != nil {
		if s, ok := inst.Scale(id); ok {
			return s.Name
		}
	}
	return id
}

// whole formats a score without decimals: recruiters compare them at a
// glance, and a tenth of a point is noise.
func whole(x float64) string {
	return fmt.Sprintf("%.0f", math.Round(x))
}
