package assessments

import (
	"fmt"
	"strconv"
	"time"
)

// ScoreFigure is the one rounding rule for a 0–100 score: one decimal.
// The verdict is decided on this figure, iCIMS's assessmentscore and the
// scorecard fields store it, and the report shows it, so a recruiter never
// sees 86.7 in iCIMS and 87 on the report, nor a "70" that is Consider
// because the unrounded fit was 69.96.
func ScoreFigure(x float64) float64 { return round1(x) }

// FormatScore writes a score as every page shows it: ScoreFigure with no
// trailing ".0", which is how iCIMS displays a decimal field.
func FormatScore(x float64) string {
	return strconv.FormatFloat(ScoreFigure(x), 'f', -1, 64)
}

// TimeTaken is how long a part took the candidate to answer, in whole
// seconds: from opening its first question to its last answer. Reading
// the consent page, the instructions and the review page is not counted,
// since that time says nothing about the candidate's answers and time
// limits do not count it either.
func (r Result) TimeTaken() time.Duration {
	return time.Duration(r.DurationMS) * time.Millisecond / time.Second * time.Second
}

// TimeTaken is how long the candidate took to answer the whole package:
// the sum of each part's TimeTaken, so that the parts shown on a report
// add up to the total shown beside them. A result stored before parts
// were timed falls back to the time from start to submit.
func (r PackageResult) TimeTaken() time.Duration {
	var d time.Duration
	for _, ir := range r.Instruments {
		d += ir.Result.TimeTaken()
	}
	if d == 0 {
		return r.Duration() / time.Second * time.Second
	}
	return d
}

// FormatTimeTaken writes a TimeTaken as every page shows it: "49 s",
// "12 min 5 s" or "1 h 3 min"; "—" when there is none.
func FormatTimeTaken(d time.Duration) string {
	d = d / time.Second * time.Second
	if d <= 0 {
		return "—"
	}
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %d min", h, m)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}
