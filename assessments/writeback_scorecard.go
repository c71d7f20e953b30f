package assessments

import (
	"context"
	"strings"
)

// ScorecardValues are the values a result sends to the package's mapped
// iCIMS fields, by field id. A source with no value (a scale that was not
// scored, a percentile without a comparison group yet) is left out rather
// than sent empty, since iCIMS reads an empty value as "delete".
func ScorecardValues(pkg Package, res PackageResult, reportURL string) map[string]any {
	out := make(map[string]any, len(pkg.Scorecard))
	for _, m := range pkg.Scorecard {
		if v, ok := scorecardValue(m.Source, res, reportURL); ok {
			out[m.Field] = v
		}
	}
	return out
}

func scorecardValue(source string, res PackageResult, reportURL string) (any, bool) {
	switch source {
	case SourceOverall:
		return ScoreFigure(res.Overall), true
	case SourceVerdict:
		return res.Verdict, res.Verdict != ""
	case SourceReportURL:
		return reportURL, reportURL != ""
	}
	if scale, ok := strings.CutPrefix(source, PercentilePrefix); ok {
		for _, ir := range res.Instruments {
			if p, found := ir.Percentile(scale); found && p.Normed {
				return ScoreFigure(p.Percentile), true
			}
		}
		return nil, false
	}
	for _, ir := range res.Instruments {
		for _, sc := range ir.Result.Scales {
			if sc.Scale == source {
				return ScoreFigure(sc.Score), sc.Scored
			}
		}
	}
	return nil, false
}

// ScorecardCheck is what iCIMS said about a package's mapped fields.
type ScorecardCheck struct {
	// Checked is false when the check could not run (no connection,
	// iCIMS unavailable, no candidate to check against); Note says why.
	Checked bool
	// Missing lists mapped fields that do not exist in iCIMS (or that the
	// integration user may not see, which is the same for writing).
	Missing []string
	// Problems explain each field that cannot take its value, ready to
	// show on the form.
	Problems []string
	// Note explains anything else the admin should know.
	Note string
}

// ScorecardChecker checks a scorecard mapping against a tenant's iCIMS
// when an admin saves it, so a missing field is found before any
// candidate finishes.
type ScorecardChecker interface {
	CheckScorecard(ctx context.Context, t Tenant, mapping []ScorecardMapping) ScorecardCheck
}

// ScorecardSourceIsText reports whether a scorecard source sends text (the
// verdict, the report link) rather than a number.
func ScorecardSourceIsText(source string) bool {
	return source == SourceVerdict || source == SourceReportURL
}
