package assessments

import (
	"context"
	"time"
)

// ErrTimeUp is the message of an answer refused because its part's time ran
// out; the page's script then shows the page again, and the server's
// time-up rules take over.
const ErrTimeUp = "The time for this part is up, so this answer was not saved."

// SaveAnswers saves the answers that question page n's script sends as the
// candidate gives them, without leaving the page: a reload then shows them.
// It follows the page's own submit (a step reached, a value among the
// options) with two differences. A half-made forced-choice pick is no
// problem here, since the candidate is still choosing: it is simply not
// saved yet. After the part's time (and its grace) nothing is saved and
// the error is ECONFLICT, so a late answer never lands through the back
// door. It returns how many answers were saved.
func (s *CandidateService) SaveAnswers(ctx context.Context, token string, n int, get func(string) string, shownAt time.Time) (int, error) {
	sess, err := s.Load(ctx, token)
	if err != nil {
		return 0, err
	}
	if n < 0 || n >= len(sess.Steps) || n > sess.Progress.Step || sess.Steps[n].Kind != StepPage {
		return 0, Errorf(EINVALID, "This page cannot take answers now.")
	}
	now := s.Clock.Now()
	st := sess.Steps[n]
	inst := sess.Instruments[st.Instrument]
	if d, timed := sess.Deadline(st.Instrument); timed && now.After(d.Add(submitGrace)) {
		return 0, Errorf(ECONFLICT, ErrTimeUp)
	}
	answers, _, err := ReadPageAnswers(inst, sess.PageItems(st), get)
	if err != nil {
		return 0, err
	}
	if len(answers) == 0 {
		return 0, nil
	}
	u := ProgressUpdate{
		InstrumentID: inst.ID, At: now, Step: sess.Progress.Step,
		Answers: timeAnswers(answers, now, shownAt, sess.Attempt(st.Instrument).StartedAt),
		Quiet:   true,
	}
	return len(answers), s.save(ctx, sess, u)
}
