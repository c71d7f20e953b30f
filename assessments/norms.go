package assessments

import (
	"slices"
	"sort"
)

// DefaultMinGroup is the smallest comparison group whose percentiles are
// shown. Below about thirty people a percentile moves by several points with
// each new candidate, which reads as precision it does not have.
const DefaultMinGroup = 30

// Norms are a tenant's comparison group for one instrument: the sorted scores
// of its completed results on each scale. They are plain data so that they
// can be cached as JSON.
type Norms struct {
	MinGroup int `json:"min_group"`
	// Scores maps a scale id (and OverallScaleID for ability percent
	// correct) to the group's scores in ascending order.
	Scores map[string][]float64 `json:"scores"`
}

// BuildNorms builds norms from a tenant's completed results of one
// instrument; the caller selects the results, since scale ids are only unique
// within an instrument. Results flagged for straight-lining, speed or skipped
// items are left out: their scores say little about the candidate and would
// pull the group towards the middle. Over-time results stay in, because
// their late answers were already left unscored. minGroup <= 0 means
// DefaultMinGroup.
func BuildNorms(results []Result, minGroup int) Norms {
	if minGroup <= 0 {
		minGroup = DefaultMinGroup
	}
	n := Norms{MinGroup: minGroup, Scores: map[string][]float64{}}
	for _, r := range results {
		if !normable(r) {
			continue
		}
		for _, s := range r.Scales {
			if s.Scored {
				n.Scores[s.Scale] = append(n.Scores[s.Scale], s.Score)
			}
		}
		if r.Kind == KindAbility {
			n.Scores[OverallScaleID] = append(n.Scores[OverallScaleID], r.PercentCorrect)
		}
	}
	for _, scores := range n.Scores {
		slices.Sort(scores)
	}
	return n
}

func normable(r Result) bool {
	for _, f := range r.Flags {
		if f != FlagOverTime {
			return false
		}
	}
	return true
}

// Percentile returns the share of the group scoring below score, counting
// ties as half (the mid-rank percentile, so that a score shared by everyone
// is the 50th, not the 0th or 100th), rounded to one decimal, and the size
// of the group. ok is false when the group is smaller than MinGroup: callers
// then show the 0–100 score instead.
func (n Norms) Percentile(scaleID string, score float64) (pct float64, groupSize int, ok bool) {
	scores := n.Scores[scaleID]
	groupSize = len(scores)
	minGroup := n.MinGroup
	if minGroup <= 0 {
		minGroup = DefaultMinGroup
	}
	if groupSize == 0 || groupSize < minGroup {
		return 0, groupSize, false
	}
	below := sort.SearchFloat64s(scores, score)
	notAbove := sort.Search(len(scores), func(i int) bool { return scores[i] > score })
	equal := notAbove - below
	return round1((float64(below) + float64(equal)/2) / float64(groupSize) * 100), groupSize, true
}
