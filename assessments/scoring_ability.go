package assessments

import "slices"

// checkAbilityAnswer accepts one of the question's choices.
func checkAbilityAnswer(it Item, a Answer) error {
	if a.Value != 0 || a.Most != "" || a.Least != "" {
		return Errorf(EINVALID, "Question %q takes a choice.", it.ID)
	}
	if !slices.ContainsFunc(it.Choices, func(c Choice) bool { return c.ID == a.Choice }) {
		return Errorf(EINVALID, "Question %q has no choice %q.", it.ID, a.Choice)
	}
	return nil
}

// scoreAbility counts correct answers against every question, not only the
// answered ones, so that skipping a hard question never raises a score.
// The weighted percentage weighs each question by its difficulty (1–3).
func scoreAbility(inst *Instrument, answers map[string]Answer) (scores []ScaleScore, percent, weighted float64) {
	scores = make([]ScaleScore, len(inst.Scales))
	total := make([]int, len(inst.Scales))
	index := map[string]int{}
	for i, s := range inst.Scales {
		scores[i].Scale = s.ID
		index[s.ID] = i
	}
	var correct, weightCorrect, weightAll int
	for _, it := range inst.Items {
		i := index[it.Scale]
		total[i]++
		weightAll += it.Difficulty
		a, ok := answers[it.ID]
		if !ok {
			continue
		}
		scores[i].Answered++
		if a.Choice == it.Answer {
			scores[i].Raw++
			correct++
			weightCorrect += it.Difficulty
		}
	}
	for i := range scores {
		if total[i] > 0 {
			scores[i].Score = round1(scores[i].Raw / float64(total[i]) * 100)
			scores[i].Scored = true
		}
	}
	if n := len(inst.Items); n > 0 && weightAll > 0 {
		percent = round1(float64(correct) / float64(n) * 100)
		weighted = round1(float64(weightCorrect) / float64(weightAll) * 100)
	}
	return scores, percent, weighted
}
