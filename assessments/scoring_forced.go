package assessments

import "sort"

// checkForcedChoiceAnswer accepts two different statements of the block.
func checkForcedChoiceAnswer(it Item, a Answer) error {
	if a.Value != 0 || a.Choice != "" {
		return Errorf(EINVALID, "Block %q takes a most and a least statement.", it.ID)
	}
	if a.Most == "" || a.Least == "" {
		return Errorf(EINVALID, "Block %q: choose both the statement most and least like you.", it.ID)
	}
	if a.Most == a.Least {
		return Errorf(EINVALID, "Block %q: the same statement cannot be both most and least like you.", it.ID)
	}
	for _, id := range []string{a.Most, a.Least} {
		if _, ok := statementStyle(it, id); !ok {
			return Errorf(EINVALID, "Block %q has no statement %q.", it.ID, id)
		}
	}
	return nil
}

func statementStyle(it Item, statementID string) (string, bool) {
	for _, st := range it.Statements {
		if st.ID == statementID {
			return st.Style, true
		}
	}
	return "", false
}

// scoreForcedChoice gives each style +1 for a "most" pick and -1 for a
// "least" pick. Over n answered blocks a style's raw score runs from -n to
// +n, and (raw+n)/2n puts it on 0–100, 50 being neither chosen nor rejected.
// Primary and secondary are the two highest styles; ties go to the style
// picked "most" more often, then to the one defined first.
func scoreForcedChoice(inst *Instrument, answers map[string]Answer) (scores []ScaleScore, primary, secondary string) {
	scores = make([]ScaleScore, len(inst.Scales))
	most := make([]int, len(inst.Scales))
	index := map[string]int{}
	for i, s := range inst.Scales {
		scores[i].Scale = s.ID
		index[s.ID] = i
	}
	blocks := 0
	for _, it := range inst.Items {
		a, ok := answers[it.ID]
		if !ok {
			continue
		}
		blocks++
		m, _ := statementStyle(it, a.Most)
		l, _ := statementStyle(it, a.Least)
		scores[index[m]].Raw++
		most[index[m]]++
		scores[index[l]].Raw--
	}
	if blocks == 0 {
		return scores, "", ""
	}
	order := make([]int, len(scores))
	for i := range scores {
		s := &scores[i]
		s.Answered = blocks
		s.Score = round1((s.Raw + float64(blocks)) / float64(2*blocks) * 100)
		s.Scored = true
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := order[x], order[y]
		if scores[a].Score != scores[b].Score {
			return scores[a].Score > scores[b].Score
		}
		return most[a] > most[b]
	})
	primary = scores[order[0]].Scale
	if len(order) > 1 {
		secondary = scores[order[1]].Scale
	}
	return scores, primary, secondary
}
