package assessments

import (
	"strings"
	"unicode/utf8"
)

// PackageFit turns a package's instrument results into the one overall
// score and verdict iCIMS shows; a result with any validity flag gets
// VerdictReview (see FlaggedVerdict). Each instrument is fitted against the part
// of the profile that names its scales; the overall is the mean of those
// fits weighted by the profile weight each instrument carries (1 for an
// instrument without ranges), so a package of a personality test and a
// reasoning test counts both as the admin weighted them.
func PackageFit(p Package, insts []*Instrument, results []Result) (overall float64, verdict string) {
	var sum, weights float64
	for i, inst := range insts {
		if i >= len(results) {
			break
		}
		sub, w := subProfile(p.Profile, inst)
		fit, _ := Fit(sub, p.Thresholds, results[i])
		sum += w * fit
		weights += w
	}
	if weights > 0 {
		overall = ScoreFigure(sum / weights)
	}
	var flags []ValidityFlag
	for _, r := range results {
		flags = append(flags, r.Flags...)
	}
	return overall, FlaggedVerdict(p.Thresholds.Verdict(overall), flags)
}

// subProfile returns the ranges and weights of the profile that belong to
// inst, and the weight the instrument carries in the package's overall.
func subProfile(p TargetProfile, inst *Instrument) (TargetProfile, float64) {
	sub := TargetProfile{Ranges: map[string]ScaleRange{}, Weights: map[string]float64{}}
	var w float64
	for _, id := range scaleIDs(inst) {
		rg, ok := p.Ranges[id]
		if !ok {
			continue
		}
		sub.Ranges[id] = rg
		weight, set := p.Weights[id]
		if !set {
			weight = 1
		}
		if set {
			sub.Weights[id] = weight
		}
		w += weight
	}
	if len(sub.Ranges) == 0 {
		return sub, 1
	}
	return sub, w
}

// PackageSummary is the ≤ SummaryMaxLen line for iCIMS's assessmentnotes:
// each instrument's Summary, joined, cut with "..." when too long.
func PackageSummary(insts []*Instrument, results []Result) string {
	parts := make([]string, 0, len(insts))
	for i, inst := range insts {
		if i < len(results) {
			parts = append(parts, Summary(inst, results[i]))
		}
	}
	s := strings.Join(parts, " | ")
	if utf8.RuneCountInString(s) <= SummaryMaxLen {
		return s
	}
	r := []rune(s)
	return string(r[:SummaryMaxLen-3]) + "..."
}
