package assessments

// checkLikertAnswer accepts only a value on the instrument's rating scale.
func checkLikertAnswer(inst *Instrument, it Item, a Answer) error {
	f := inst.ResponseFormat
	if a.Most != "" || a.Least != "" || a.Choice != "" {
		return Errorf(EINVALID, "Item %q takes a rating, not a choice.", it.ID)
	}
	if a.Value < f.Min || a.Value > f.Max {
		return Errorf(EINVALID, "Item %q: answer %d is outside %d–%d.", it.ID, a.Value, f.Min, f.Max)
	}
	return nil
}

// scoreLikert averages the keyed values of each scale's answered items, so
// a skipped item neither helps nor hurts, and maps the mean onto 0–100.
// A reverse-keyed answer v counts as min+max-v.
func scoreLikert(inst *Instrument, answers map[string]Answer) []ScaleScore {
	f := inst.ResponseFormat
	scores := make([]ScaleScore, len(inst.Scales))
	index := map[string]int{}
	for i, s := range inst.Scales {
		scores[i].Scale = s.ID
		index[s.ID] = i
	}
	for _, it := range inst.Items {
		a, ok := answers[it.ID]
		if !ok {
			continue
		}
		v := a.Value
		if it.Reverse {
			v = f.Min + f.Max - v
		}
		s := &scores[index[it.Scale]]
		s.Raw += float64(v)
		s.Answered++
	}
	for i := range scores {
		s := &scores[i]
		if s.Answered == 0 {
			continue
		}
		mean := s.Raw / float64(s.Answered)
		s.Score = round1((mean - float64(f.Min)) / float64(f.Max-f.Min) * 100)
		s.Scored = true
	}
	return scores
}
