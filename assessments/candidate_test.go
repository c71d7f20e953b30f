package assessments_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/clocktest"
	"github.com/jobcannon/jobcannon/storage"
	"github.com/jobcannon/jobcannon/storetest"
)

var candNow = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)

// candFixture runs the candidate service on a real database.
type candFixture struct {
	db          *storage.DB
	clock       *clocktest.Clock
	lib         *assessments.Library
	catalog     *storage.CatalogStore
	invitations *storage.InvitationStore
	results     *storage.ResultStore
	svc         *assessments.CandidateService
}

func newCandFixture(t *testing.T) *candFixture {
	t.Helper()
	env := storetest.New(t, storetest.At(candNow))
	db, lib, clock := env.DB, env.Library, env.Clock
	f := &candFixture{db: db, clock: clock, lib: lib, catalog: storage.NewCatalogStore(db, clock)}
	f.invitations = storage.NewInvitationStore(db, nil, clock, nil)
	f.results = storage.NewResultStore(db, clock, f.invitations)
	f.svc = &assessments.CandidateService{
		Library: lib, Catalog: f.catalog, Invitations: f.invitations,
		Answers: storage.NewAnswerStore(db, f.invitations), Results: f.results, Clock: clock, MinNormGroup: 2,
	}
	return f
}

// seed creates an invitation to a package of the given instruments.
func (f *candFixture) seed(t *testing.T, workflow string, instruments ...string) (assessments.Invitation, string) {
	t.Helper()
	sb, err := storage.SeedSandboxInvitation(context.Background(), f.invitations, f.catalog, f.lib, storage.SandboxSeed{
		WorkflowID: workflow, PackageName: "P " + instruments[0], InstrumentIDs: instruments,
	})
	require.NoError(t, err)
	return sb.Invitation, sb.Token
}

func form(values map[string]string) func(string) string {
	return func(k string) string { return values[k] }
}

// likertPage answers every item of a Likert page with value, and a
// different value every third item so the answers are not straight-lined.
func likertPage(sess assessments.Session, n, value int) func(string) string {
	v := map[string]string{}
	for i, it := range sess.PageItems(sess.Steps[n]) {
		x := value
		if i%3 == 0 {
			x = 6 - value
		}
		v[assessments.AnswerField(it.ID)] = strconv.Itoa(x)
	}
	return form(v)
}

// completeBigFive walks a started Big Five invitation to the review page.
func (f *candFixture) walkBigFive(t *testing.T, token string, value int) assessments.Session {
	t.Helper()
	ctx := context.Background()
	sess, err := f.svc.Load(ctx, token)
	require.NoError(t, err)
	for n := range sess.Steps {
		shown := f.clock.Now()
		f.clock.Advance(30 * time.Second)
		out, err := f.svc.SaveStep(ctx, token, n, likertPage(sess, n, value), assessments.NavNext, shown)
		require.NoError(t, err)
		require.Empty(t, out.Problems)
		require.Equal(t, n+1, out.Next)
	}
	sess, err = f.svc.Load(ctx, token)
	require.NoError(t, err)
	return sess
}

func linkState(t *testing.T, err error) assessments.LinkState {
	t.Helper()
	le, ok := assessments.IsLinkError(err)
	require.True(t, ok, "want a link error, got %v", err)
	return le.State
}

func TestLinkStates(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()

	_, err := f.svc.Visit(ctx, "nonsense")
	assert.Equal(t, assessments.LinkUnknown, linkState(t, err), "a malformed token")
	other, err := assessments.NewToken(fixedRandom{})
	require.NoError(t, err)
	_, err = f.svc.Visit(ctx, other)
	assert.Equal(t, assessments.LinkUnknown, linkState(t, err), "a well-formed token nobody issued")

	inv, token := f.seed(t, "w1", "big-five-work")
	sess, err := f.svc.Visit(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusOpened, sess.Invitation.Status, "the first visit marks it opened")
	assert.Equal(t, inv.ID, sess.Invitation.ID)
	_, err = f.svc.Load(ctx, token)
	assert.Equal(t, assessments.LinkNotStarted, linkState(t, err), "questions need consent first")

	_, err = f.invitations.Cancel(ctx, inv.TenantID, inv.ID, "withdrawn")
	require.NoError(t, err)
	_, err = f.svc.Visit(ctx, token)
	assert.Equal(t, assessments.LinkCancelled, linkState(t, err))

	// An invitation past its deadline is expired on the spot.
	inv2, token2 := f.seed(t, "w2", "big-five-work")
	f.clock.Advance(8 * 24 * time.Hour)
	_, err = f.svc.Visit(ctx, token2)
	assert.Equal(t, assessments.LinkExpired, linkState(t, err))
	got, err := f.invitations.Invitation(ctx, inv2.TenantID, inv2.ID)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusExpired, got.Status)

	// A started invitation gets StartedGrace past its expiry.
	_, token3 := f.seed(t, "w3", "big-five-work")
	_, err = f.svc.Start(ctx, token3, true)
	require.NoError(t, err)
	f.clock.Advance(7*24*time.Hour + time.Hour)
	_, err = f.svc.Load(ctx, token3)
	require.NoError(t, err, "a candidate who started is not cut off at the expiry")
	f.clock.Advance(assessments.StartedGrace)
	_, err = f.svc.Load(ctx, token3)
	assert.Equal(t, assessments.LinkExpired, linkState(t, err))
}

func TestStartNeedsConsent(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	_, token := f.seed(t, "w1", "big-five-work")
	_, err := f.svc.Start(ctx, token, false)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	assert.Contains(t, assessments.ErrorMessage(err), "tick the box")

	sess, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	assert.Equal(t, assessments.StatusInProgress, sess.Invitation.Status)
	assert.Equal(t, candNow, sess.Invitation.StartedAt.UTC())
	again, err := f.svc.Start(ctx, token, false)
	require.NoError(t, err, "starting twice is harmless")
	assert.Equal(t, sess.Invitation.StartedAt, again.Invitation.StartedAt)
}

func TestResumeAfterLeaving(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	_, token := f.seed(t, "w1", "big-five-work")
	sess, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	assert.Equal(t, 0, sess.Resolve(99), "at first only the instructions are reachable")

	_, err = f.svc.SaveStep(ctx, token, 0, form(nil), assessments.NavNext, time.Time{})
	require.NoError(t, err)
	out, err := f.svc.SaveStep(ctx, token, 1, likertPage(sess, 1, 4), assessments.NavNext, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 2, out.Next)
	partial := map[string]string{assessments.AnswerField(sess.PageItems(sess.Steps[2])[0].ID): "2"}
	out, err = f.svc.SaveStep(ctx, token, 2, form(partial), assessments.NavBack, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, out.Next, "back goes back")

	// The tab closes; a new visit finds everything.
	f.clock.Advance(2 * time.Hour)
	sess, err = f.svc.Visit(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, 2, sess.Progress.Step, "resumes on the furthest page reached")
	assert.Equal(t, 2, sess.Resolve(50))
	answered, total := sess.Counts()
	assert.Equal(t, 11, answered, "page one and the answer given on page two")
	assert.Equal(t, 40, total)
	assert.Equal(t, []int{2, 3, 4}, sess.UnansweredPages(0))
}

func TestSubmitScoresAndDoubleSubmitIsHarmless(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	inv, token := f.seed(t, "w1", "big-five-work")
	_, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)

	_, _, err = f.svc.Submit(ctx, token)
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err), "not before the review")

	sess := f.walkBigFive(t, token, 4)
	assert.Equal(t, sess.ReviewStep(), sess.Progress.Step)
	_, res, err := f.svc.Submit(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, inv.ID, res.InvitationID)
	require.Len(t, res.Instruments, 1)
	ir := res.Instruments[0]
	assert.Equal(t, 40, ir.Result.Answered)
	assert.Empty(t, res.Flags, "30 seconds a page is not too fast and the answers vary")
	assert.NotEmpty(t, res.Summary)
	assert.LessOrEqual(t, len([]rune(res.Summary)), assessments.SummaryMaxLen)
	assert.Equal(t, 5*30*time.Second, res.Duration(), "five steps of thirty seconds")
	for _, p := range ir.Percentiles {
		assert.False(t, p.Normed, "the first result has no comparison group")
	}

	_, _, err = f.svc.Submit(ctx, token)
	assert.Equal(t, assessments.LinkCompleted, linkState(t, err), "a second submit finds it done")
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT COUNT(*) FROM results`).Scan(&n))
	assert.Equal(t, 1, n)
	_, err = f.svc.Visit(ctx, token)
	assert.Equal(t, assessments.LinkCompleted, linkState(t, err))
}

func TestNormsApplyOnceTheGroupIsBigEnough(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	var results []assessments.PackageResult
	for i, value := range []int{2, 4, 5} {
		_, token := f.seed(t, "w"+strconv.Itoa(i), "big-five-work")
		_, err := f.svc.Start(ctx, token, true)
		require.NoError(t, err)
		f.walkBigFive(t, token, value)
		_, res, err := f.svc.Submit(ctx, token)
		require.NoError(t, err)
		results = append(results, res)
	}
	score := func(r assessments.PackageResult) float64 {
		s, ok := r.Instruments[0].Result.Scale("openness")
		require.True(t, ok)
		return s.Score
	}
	// MinNormGroup is 2: the first two have no comparison group, the third
	// is placed among the first two.
	for _, r := range results[:2] {
		p, ok := r.Instruments[0].Percentile("openness")
		require.True(t, ok)
		assert.False(t, p.Normed)
	}
	p, ok := results[2].Instruments[0].Percentile("openness")
	require.True(t, ok)
	assert.True(t, p.Normed)
	assert.Equal(t, 2, p.GroupSize)
	var below float64
	for _, r := range results[:2] {
		switch {
		case score(r) < score(results[2]):
			below++
		case score(r) == score(results[2]):
			below += 0.5
		}
	}
	assert.Equal(t, below/2*100, p.Percentile)
}

func TestTimeLimitIsEnforcedByTheServer(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	_, token := f.seed(t, "w1", "reasoning")
	sess, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	_, err = f.svc.SaveStep(ctx, token, 0, form(nil), assessments.NavNext, time.Time{})
	require.NoError(t, err)
	sess, err = f.svc.Load(ctx, token)
	require.NoError(t, err)
	deadline, ok := sess.Deadline(0)
	require.True(t, ok)
	assert.Equal(t, candNow.Add(12*time.Minute), deadline)

	first := sess.PageItems(sess.Steps[1])
	out, err := f.svc.SaveStep(ctx, token, 1, form(map[string]string{assessments.AnswerField(first[0].ID): first[0].Answer}), assessments.NavNext, f.clock.Now())
	require.NoError(t, err)
	assert.False(t, out.TimeUp)

	f.clock.Advance(13 * time.Minute)
	second := sess.PageItems(sess.Steps[2])
	out, err = f.svc.SaveStep(ctx, token, 2, form(map[string]string{assessments.AnswerField(second[0].ID): second[0].Answer}), assessments.NavNext, f.clock.Now())
	require.NoError(t, err)
	assert.True(t, out.TimeUp)
	assert.Equal(t, sess.ReviewStep(), out.Next, "moved past the timed part")

	_, res, err := f.svc.Submit(ctx, token)
	require.NoError(t, err)
	r := res.Instruments[0].Result
	assert.Equal(t, 1, r.Answered, "the late answer does not count")
	assert.Equal(t, 1, r.Late)
	assert.Contains(t, res.Flags, assessments.FlagOverTime)
}

func TestForcedChoiceProblemsAreShownNotSaved(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	_, token := f.seed(t, "w1", "work-style")
	_, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	_, err = f.svc.SaveStep(ctx, token, 0, form(nil), assessments.NavNext, time.Time{})
	require.NoError(t, err)
	sess, err := f.svc.Load(ctx, token)
	require.NoError(t, err)
	items := sess.PageItems(sess.Steps[1])
	st := func(i, j int) string { return items[i].Statements[j].ID }
	values := map[string]string{
		assessments.MostField(items[0].ID): st(0, 0), assessments.LeastField(items[0].ID): st(0, 0),
		assessments.MostField(items[1].ID): st(1, 1),
		assessments.MostField(items[2].ID): st(2, 0), assessments.LeastField(items[2].ID): st(2, 1),
	}
	out, err := f.svc.SaveStep(ctx, token, 1, form(values), assessments.NavNext, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 1, out.Next, "stays on the page")
	require.Len(t, out.Problems, 2)
	assert.Contains(t, out.Problems[0].Message, "Group 1: choose a different statement")
	assert.Contains(t, out.Problems[1].Message, "Group 2: also choose the statement least like you")

	sess, err = f.svc.Load(ctx, token)
	require.NoError(t, err)
	answered, _ := sess.Counts()
	assert.Equal(t, 1, answered, "only the complete block was saved")

	values[assessments.LeastField(items[0].ID)] = "not-a-statement"
	_, err = f.svc.SaveStep(ctx, token, 1, form(values), assessments.NavNext, time.Time{})
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err), "a value no form can send")
}

func TestPreviewStoresNothing(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	inv, _ := f.seed(t, "w1", "big-five-work")
	sess, err := f.svc.Preview(ctx, inv.TenantID, inv.PackageID, "Acme")
	require.NoError(t, err)
	assert.True(t, sess.Preview)
	assert.Equal(t, sess.ReviewStep(), sess.Resolve(999), "every step is reachable")
	out, err := f.svc.SavePreviewStep(ctx, sess, 3, likertPage(sess, 3, 4), assessments.NavNext)
	require.NoError(t, err)
	assert.Equal(t, 4, out.Next)
	var n int
	require.NoError(t, f.db.R.QueryRow(`SELECT (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM attempts)`).Scan(&n))
	assert.Zero(t, n)

	_, err = f.svc.Preview(ctx, inv.TenantID+1, inv.PackageID, "Acme")
	assert.Equal(t, assessments.ENOTFOUND, assessments.ErrorCode(err), "another tenant's package")
}

func TestAccommodationRequest(t *testing.T) {
	f := newCandFixture(t)
	ctx := context.Background()
	inv, token := f.seed(t, "w1", "reasoning")
	_, err := f.svc.RequestAccommodation(ctx, token, "  ")
	assert.Equal(t, assessments.EINVALID, assessments.ErrorCode(err))
	_, err = f.svc.RequestAccommodation(ctx, token, "I have dyslexia; could I have more time?")
	require.NoError(t, err)
	reqs, err := f.invitations.AccommodationRequests(ctx, inv.TenantID)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	require.NoError(t, f.invitations.ResolveAccommodation(ctx, inv.TenantID, reqs[0].ID, 6))

	sess, err := f.svc.Start(ctx, token, true)
	require.NoError(t, err)
	assert.Equal(t, 18*60, sess.Instruments[0].TimeLimitSeconds, "12 minutes plus the 6 granted")
}

// fixedRandom reads as zeros: a token no invitation was given.
type fixedRandom struct{}

func (fixedRandom) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
