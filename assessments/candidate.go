package assessments

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CandidateService runs the candidate's side of an invitation: opening the
// link, consent, saving answers page by page, and scoring on submit. Every
// change of the invitation's state goes through the InvitationStore (or the
// stores that call it in their transactions), so each one is recorded.
type CandidateService struct {
	Library     *Library
	Catalog     CatalogStore
	Invitations InvitationStore
	Answers     AnswerStore
	Results     ResultStore
	Clock       Clock
	// MinNormGroup is the smallest comparison group whose percentiles are
	// used; 0 means DefaultMinGroup.
	MinNormGroup int
}

// LinkState says why a candidate link cannot be used as asked.
type LinkState string

// The link states a candidate page explains instead of showing questions.
const (
	LinkUnknown   LinkState = "unknown"
	LinkExpired   LinkState = "expired"
	LinkCancelled LinkState = "cancelled"
	LinkCompleted LinkState = "completed"
	// LinkNotStarted: the candidate has not given consent yet; the pages
	// send them to the welcome page.
	LinkNotStarted LinkState = "not_started"
)

// LinkError is returned when a link is unknown or its invitation is in a
// state that shows a page of its own. Invitation is zero for LinkUnknown.
type LinkError struct {
	State      LinkState
	Invitation Invitation
}

// Error implements error.
func (e *LinkError) Error() string { return "candidate link: " + string(e.State) }

// submitGrace absorbs the network time between the candidate pressing a
// button before the time limit and the request arriving after it.
const submitGrace = 15 * time.Second

// maxAnswerTime caps the time credited to one answer, so a page left open
// overnight does not read as a slow, careful candidate.
const maxAnswerTime = 10 * time.Minute

// maxAccommodationLength caps a request's text.
const maxAccommodationLength = 2000

// open finds the invitation of a token and refuses the states that have a
// page of their own. A live invitation past its deadline is expired here,
// so the candidate sees the truth even before the expiry job runs.
func (s *CandidateService) open(ctx context.Context, token string) (Invitation, error) {
	if !WellFormedToken(token) {
		return Invitation{}, &LinkError{State: LinkUnknown}
	}
	inv, err := s.Invitations.InvitationByToken(ctx, token)
	if ErrorCode(err) == ENOTFOUND {
		return Invitation{}, &LinkError{State: LinkUnknown}
	} else if err != nil {
		return Invitation{}, err
	}
	if inv.Overdue(s.Clock.Now()) {
		if inv, err = s.Invitations.Expire(ctx, inv.TenantID, inv.ID); err != nil {
			return Invitation{}, err
		}
	}
	switch inv.Status {
	case StatusCompleted:
		return inv, &LinkError{State: LinkCompleted, Invitation: inv}
	case StatusCancelled:
		return inv, &LinkError{State: LinkCancelled, Invitation: inv}
	case StatusExpired:
		return inv, &LinkError{State: LinkExpired, Invitation: inv}
	}
	return inv, nil
}

func (s *CandidateService) session(ctx context.Context, inv Invitation) (Session, error) {
	pkg, err := s.Catalog.Package(ctx, inv.TenantID, inv.PackageID)
	if err != nil {
		return Session{}, err
	}
	insts, err := pkg.Instruments(s.Library, inv.ExtraTimeMinutes)
	if err != nil {
		return Session{}, err
	}
	prog, err := s.Answers.Progress(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return Session{}, err
	}
	return Session{Invitation: inv, Package: pkg, Instruments: insts, Steps: BuildSteps(insts), Progress: prog}, nil
}

// Visit opens the welcome page: the first visit marks the invitation
// opened.
func (s *CandidateService) Visit(ctx context.Context, token string) (Session, error) {
	inv, err := s.open(ctx, token)
	if err != nil {
		return Session{}, err
	}
	if inv, err = s.markOpened(ctx, inv); err != nil {
		return Session{}, err
	}
	return s.session(ctx, inv)
}

func (s *CandidateService) markOpened(ctx context.Context, inv Invitation) (Invitation, error) {
	switch inv.Status {
	case StatusCreated, StatusSent, StatusFailed:
		return s.Invitations.Transition(ctx, inv.TenantID, inv.ID, StatusOpened, "link opened")
	}
	return inv, nil
}

// Open returns the invitation of a usable link without changing it, or a
// LinkError.
func (s *CandidateService) Open(ctx context.Context, token string) (Invitation, error) {
	return s.open(ctx, token)
}

// Load returns the session of a started invitation, for the question and
// review pages.
func (s *CandidateService) Load(ctx context.Context, token string) (Session, error) {
	inv, err := s.open(ctx, token)
	if err != nil {
		return Session{}, err
	}
	if inv.Status != StatusInProgress {
		return Session{}, &LinkError{State: LinkNotStarted, Invitation: inv}
	}
	return s.session(ctx, inv)
}

// Start records the candidate's consent and starts the invitation.
// Starting twice is harmless.
func (s *CandidateService) Start(ctx context.Context, token string, consent bool) (Session, error) {
	inv, err := s.open(ctx, token)
	if err != nil {
		return Session{}, err
	}
	if inv.Status == StatusInProgress {
		return s.session(ctx, inv)
	}
	if !consent {
		return Session{}, Errorf(EINVALID, "Please tick the box to say you agree before you start.")
	}
	if inv, err = s.markOpened(ctx, inv); err != nil {
		return Session{}, err
	}
	if inv, err = s.Invitations.Transition(ctx, inv.TenantID, inv.ID, StatusInProgress, "consent given"); err != nil {
		return Session{}, err
	}
	return s.session(ctx, inv)
}

// Resolve returns the step a candidate may see when asking for step n:
// n itself once they have reached it, else the furthest step reached.
func (s Session) Resolve(n int) int {
	switch {
	case n < 0:
		return 0
	case n > s.Progress.Step:
		return min(s.Progress.Step, s.ReviewStep())
	}
	return n
}

// StepOutcome says where a saved step leads.
type StepOutcome struct {
	Next int
	// Problems are answers the candidate must fix; Next is then the same
	// step.
	Problems []Problem
	// TimeUp is set when the part's time ran out and the candidate was
	// moved past it.
	TimeUp bool
	// Answers are the answers read from the form, to show again with the
	// problems.
	Answers map[string]Answer
}

// Nav is where the candidate asked to go from a page.
type Nav string

// The buttons of a question page.
const (
	NavNext Nav = "next"
	NavBack Nav = "back"
	// NavReview returns to the review page once it has been reached.
	NavReview Nav = "review"
)

// SaveStep saves step n of a started invitation and says which step comes
// next. get reads the submitted form; nav is the button pressed; shownAt is
// when the page was shown (zero if unknown), to time the answers.
func (s *CandidateService) SaveStep(ctx context.Context, token string, n int, get func(string) string, nav Nav, shownAt time.Time) (StepOutcome, error) {
	sess, err := s.Load(ctx, token)
	if err != nil {
		return StepOutcome{}, err
	}
	return s.saveStep(ctx, sess, n, get, nav, shownAt)
}

func (s *CandidateService) saveStep(ctx context.Context, sess Session, n int, get func(string) string, nav Nav, shownAt time.Time) (StepOutcome, error) {
	if n < 0 || n >= len(sess.Steps) || n > sess.Progress.Step {
		return StepOutcome{Next: sess.Resolve(n)}, nil
	}
	now := s.Clock.Now()
	st := sess.Steps[n]
	inst := sess.Instruments[st.Instrument]
	u := ProgressUpdate{InstrumentID: inst.ID, At: now, Step: sess.Progress.Step}
	out := StepOutcome{Next: n + 1}
	if st.Kind == StepIntro {
		u.Start = true
		u.Detail = "started " + inst.Name
		if sess.TimeUp(st.Instrument, now) {
			out = StepOutcome{Next: sess.AfterInstrument(st.Instrument), TimeUp: true}
		}
		u.Step = max(u.Step, out.Next)
		return out, s.save(ctx, sess, u)
	}

	answers, problems, err := ReadPageAnswers(inst, sess.PageItems(st), get)
	if err != nil {
		return StepOutcome{}, err
	}
	deadline, timed := sess.Deadline(st.Instrument)
	u.Late = timed && now.After(deadline.Add(submitGrace))
	u.Answers = timeAnswers(answers, now, shownAt, sess.Attempt(st.Instrument).StartedAt)
	u.Detail = "answered page " + strconv.Itoa(st.Page+1) + " of " + inst.Name
	last := st.Page == sess.PageCount(st.Instrument)-1
	switch {
	case u.Late:
		out = StepOutcome{Next: sess.AfterInstrument(st.Instrument), TimeUp: true}
		u.Finish = true
	case len(problems) > 0:
		out = StepOutcome{Next: n, Problems: problems, Answers: shownAnswers(answers, problems, get)}
	case nav == NavBack:
		out.Next = n - 1
	case nav == NavReview && sess.Progress.Step >= sess.ReviewStep():
		out.Next = sess.ReviewStep()
		u.Finish = true
	default:
		u.Finish = last
	}
	if nav != NavBack {
		u.Step = max(u.Step, out.Next)
	}
	return out, s.save(ctx, sess, u)
}

// shownAnswers adds the half-made picks of the blocks with problems to the
// answers, so the page shown again keeps every choice the candidate made.
func shownAnswers(answers map[string]Answer, problems []Problem, get func(string) string) map[string]Answer {
	out := make(map[string]Answer, len(answers)+len(problems))
	for id, a := range answers {
		out[id] = a
	}
	for _, p := range problems {
		out[p.Field] = Answer{Most: get(MostField(p.Field)), Least: get(LeastField(p.Field))}
	}
	return out
}

func (s *CandidateService) save(ctx context.Context, sess Session, u ProgressUpdate) error {
	if sess.Preview {
		return nil
	}
	return s.Answers.SaveProgress(ctx, sess.Invitation.TenantID, sess.Invitation.ID, u)
}

// timeAnswers stamps answers with the server's time and shares the page's
// time among them. The page time comes from the form, so it is bounded by
// what the server knows: not before the attempt started, at most
// maxAnswerTime per answer.
func timeAnswers(answers map[string]Answer, now, shownAt, started time.Time) map[string]Answer {
	var per int64
	if len(answers) > 0 && !shownAt.IsZero() {
		if shownAt.Before(started) {
			shownAt = started
		}
		if d := now.Sub(shownAt); d > 0 {
			per = min(d/time.Duration(len(answers)), maxAnswerTime).Milliseconds()
		}
	}
	out := make(map[string]Answer, len(answers))
	for id, a := range answers {
		a.AnsweredAt = now
		a.ElapsedMS = per
		out[id] = a
	}
	return out
}

// RequestAccommodation records a candidate's request for the tenant's
// admins.
func (s *CandidateService) RequestAccommodation(ctx context.Context, token, message string) (Invitation, error) {
	inv, err := s.open(ctx, token)
	if err != nil {
		return Invitation{}, err
	}
	message = strings.TrimSpace(message)
	switch {
	case message == "":
		return inv, Errorf(EINVALID, "Please tell us what would help you.")
	case utf8.RuneCountInString(message) > maxAccommodationLength:
		return inv, Errorf(EINVALID, "Please keep your request to %d characters.", maxAccommodationLength)
	}
	_, err = s.Invitations.RequestAccommodation(ctx, inv.TenantID, inv.ID, message)
	return inv, err
}

// Preview builds the session an admin previews: the package as a candidate
// would see it, for an example candidate, with every step reachable and
// nothing stored.
func (s *CandidateService) Preview(ctx context.Context, tenantID, packageID int64, company string) (Session, error) {
	pkg, err := s.Catalog.Package(ctx, tenantID, packageID)
	if err != nil {
		return Session{}, err
	}
	insts, err := pkg.Instruments(s.Library, 0)
	if err != nil {
		return Session{}, err
	}
	now := s.Clock.Now()
	inv := Invitation{
		TenantID: tenantID, PackageID: pkg.ID, CandidateFirstName: "Alex", CandidateLastName: "Example",
		JobTitle: "Example job", CompanyName: company, Status: StatusInProgress,
		ExpiresAt: now.AddDate(0, 0, pkg.WithDefaults().ExpiryDays), StartedAt: now,
	}
	steps := BuildSteps(insts)
	return Session{
		Invitation: inv, Package: pkg, Instruments: insts, Steps: steps, Preview: true,
		Progress: Progress{Step: len(steps), Attempts: map[string]Attempt{}},
	}, nil
}

// SavePreviewStep is SaveStep for a preview: it reads the form to show
// problems the way a candidate would see them, and stores nothing.
func (s *CandidateService) SavePreviewStep(ctx context.Context, sess Session, n int, get func(string) string, nav Nav) (StepOutcome, error) {
	return s.saveStep(ctx, sess, n, get, nav, time.Time{})
}

// IsLinkError returns the link state of err, if it is a LinkError.
func IsLinkError(err error) (*LinkError, bool) {
	var le *LinkError
	ok := errors.As(err, &le)
	return le, ok
}
