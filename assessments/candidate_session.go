package assessments

import "time"

// StepKind is what a step of the candidate flow shows.
type StepKind int

// The kinds of step: each instrument starts with its instructions (which
// also warn about a time limit before the clock starts), then its pages.
const (
	StepIntro StepKind = iota
	StepPage
)

// Step is one screen of the candidate flow between consent and review.
type Step struct {
	Kind       StepKind
	Instrument int // index into Session.Instruments
	Page       int // index into that instrument's pages; 0 for an intro
}

// TimeWarning is how long before a time limit the pages warn that time is
// nearly up.
const TimeWarning = 2 * time.Minute

// Session is everything a candidate page needs: the invitation, its
// package with the effective instruments, the steps and the saved work.
type Session struct {
	Invitation  Invitation
	Package     Package
	Instruments []*Instrument
	Steps       []Step
	Progress    Progress
	// Preview marks an admin's preview: nothing is stored.
	Preview bool
}

// BuildSteps lays out the flow for a package's instruments.
func BuildSteps(insts []*Instrument) []Step {
	var steps []Step
	for i, inst := range insts {
		steps = append(steps, Step{Kind: StepIntro, Instrument: i})
		for p := range inst.Pages() {
			steps = append(steps, Step{Kind: StepPage, Instrument: i, Page: p})
		}
	}
	return steps
}

// ReviewStep is the step number of the review page, after every step.
func (s Session) ReviewStep() int { return len(s.Steps) }

// Attempt returns the saved attempt at instrument i.
func (s Session) Attempt(i int) Attempt {
	a := s.Progress.Attempts[s.Instruments[i].ID]
	if a.Answers == nil {
		a.Answers = map[string]Answer{}
	}
	return a
}

// Deadline returns when instrument i's time runs out; ok is false for an
// untimed instrument or one not started yet.
func (s Session) Deadline(i int) (deadline time.Time, ok bool) {
	inst := s.Instruments[i]
	a := s.Attempt(i)
	if inst.TimeLimitSeconds <= 0 || a.StartedAt.IsZero() {
		return time.Time{}, false
	}
	return a.StartedAt.Add(inst.TimeLimit()), true
}

// TimeUp reports whether instrument i's time limit has passed.
func (s Session) TimeUp(i int, now time.Time) bool {
	d, ok := s.Deadline(i)
	return ok && !now.Before(d)
}

// FirstStepOf returns the step of instrument i's instructions.
func (s Session) FirstStepOf(i int) int {
	for n, st := range s.Steps {
		if st.Instrument == i {
			return n
		}
	}
	return len(s.Steps)
}

// AfterInstrument returns the first step after instrument i.
func (s Session) AfterInstrument(i int) int {
	for n, st := range s.Steps {
		if st.Instrument > i {
			return n
		}
	}
	return len(s.Steps)
}

// Counts returns how many items the candidate has answered and how many
// there are, over the whole package.
func (s Session) Counts() (answered, total int) {
	for i, inst := range s.Instruments {
		a := s.Attempt(i)
		for _, it := range inst.Items {
			if _, ok := a.Answers[it.ID]; ok {
				answered++
			}
		}
		total += len(inst.Items)
	}
	return answered, total
}

// UnansweredPages returns, for instrument i, the step numbers of pages with
// an unanswered item.
func (s Session) UnansweredPages(i int) []int {
	a := s.Attempt(i)
	pages := s.Instruments[i].Pages()
	var out []int
	for n, st := range s.Steps {
		if st.Kind != StepPage || st.Instrument != i {
			continue
		}
		for _, it := range pages[st.Page] {
			if _, ok := a.Answers[it.ID]; !ok {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// PageItems returns the items shown on a page step.
func (s Session) PageItems(st Step) []Item {
	if st.Kind != StepPage {
		return nil
	}
	return s.Instruments[st.Instrument].Pages()[st.Page]
}

// PageCount returns the number of pages of instrument i.
func (s Session) PageCount(i int) int { return len(s.Instruments[i].Pages()) }
