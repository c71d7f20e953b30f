package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// CacheControl sets a Cache-Control header on every response of a route
// group: candidate and report pages carry secrets in their URLs and personal
// data in their bodies, so no cache may keep them.
func CacheControl(value string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", value)
			return next(c)
		}
	}
}

// candidatePage is the layout data of a candidate page: no navigation and
// no htmx, so the first question page stays small. Current is left empty
// because the path holds the token.
func (h *Shared) candidatePage(c echo.Context, title string) views.Page {
	p := h.Page(c, title)
	p.BodyClass, p.HTMX, p.Current, p.Nav = "candidate", false, "", ""
	return p
}

// candidateFrame builds the frame of a candidate's page for an invitation,
// in the candidate's language; titleKey is the title's message key ("" for
// a page that sets its own).
func (h *Candidate) candidateFrame(c echo.Context, titleKey string, inv assessments.Invitation) views.CandidateFrame {
	token := c.Param("token")
	p := h.candidatePage(c, "")
	p.Brand, p.Lang = h.brand(c, inv), h.language(c, inv)
	if titleKey != "" {
		p.Title = views.Translate(p.Lang, titleKey)
	}
	return views.CandidateFrame{
		Page: p, Company: inv.CompanyName, Job: inv.JobTitle, Languages: languageLinks(c, p.Lang),
		Token: token, AccommodationURL: routes.CandidateAccommodationShow(token),
	}
}

// allowReturnRedirect lets the page's form end on an inline invitation's
// return URL. A browser applies the page's form-action policy to the
// redirects that follow a form post too, so without the return URL's
// origin in it the 303 back to iCIMS (another origin) is blocked and the
// candidate stays on the page. Only the origin goes in, and only when it
// is plain host characters, so a return URL cannot change the policy.
func allowReturnRedirect(c echo.Context, inv assessments.Invitation) {
	u, err := url.Parse(inv.ReturnURL)
	if inv.ReturnURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || !plainHost.MatchString(u.Host) {
		return
	}
	h := c.Response().Header()
	policy := h.Get("Content-Security-Policy")
	h.Set("Content-Security-Policy", strings.Replace(policy, "form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1))
}

var plainHost = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]+)?$`)

// candidateError answers a candidate request that failed. A link in a
// state of its own gets its kind page (never a 500); one not started yet
// goes to the welcome page; anything else goes to the error handler.
func (h *Candidate) candidateError(c echo.Context, err error) error {
	le, ok := assessments.IsLinkError(err)
	if !ok {
		return err
	}
	if le.State == assessments.LinkNotStarted {
		return c.Redirect(http.StatusSeeOther, routes.CandidateShow(c.Param("token")))
	}
	status, title := http.StatusNotFound, "title.notFound"
	switch le.State {
	case assessments.LinkCompleted:
		status, title = http.StatusOK, "title.thanks"
	case assessments.LinkExpired:
		status, title = http.StatusGone, "title.expired"
	case assessments.LinkCancelled:
		status, title = http.StatusGone, "title.withdrawn"
	}
	f := h.candidateFrame(c, title, le.Invitation)
	f.AccommodationURL, f.Token = "", ""
	return Render(c, status, views.CandidateLinkPage(f, views.LinkView{State: le.State, ReturnURL: le.Invitation.ReturnURL}))
}

// stepTarget is where a candidate goes for step n: the review once every
// step is done.
func stepTarget(f views.CandidateFrame, sess assessments.Session, n int) string {
	if n >= sess.ReviewStep() {
		return f.ReviewURL()
	}
	return f.StepURL(n)
}

// stepView lays out step n of a session for the page, its questions in
// lang where the instrument has them translated.
func stepView(sess assessments.Session, n int, now time.Time, lang string) views.StepView {
	st := sess.Steps[n]
	inst := sess.Instruments[st.Instrument]
	answered, total := sess.Counts()
	shown := inst.In(lang)
	var items []assessments.Item
	for _, it := range sess.PageItems(st) {
		if tr, ok := shown.Item(it.ID); ok {
			it = tr
		}
		items = append(items, it)
	}
	v := views.StepView{
		Number: n, Instrument: shown, Part: st.Instrument + 1, Parts: len(sess.Instruments),
		Page: st.Page + 1, Pages: sess.PageCount(st.Instrument), Intro: st.Kind == assessments.StepIntro,
		Items: items, Answers: sess.Attempt(st.Instrument).Answers,
		Answered: answered, Total: total, TimeLimit: inst.TimeLimit(), ShownAt: now.UnixMilli(),
		CanReview: sess.Progress.Step >= sess.ReviewStep(),
	}
	if d, ok := sess.Deadline(st.Instrument); ok {
		v.Started, v.Deadline, v.Remaining = true, d, max(0, d.Sub(now))
		v.TimeUp = !v.Intro && sess.TimeUp(st.Instrument, now)
	}
	return v
}

// stepTitle names a step in the browser's title, which a screen reader
// reads first on each new page.
func stepTitle(f views.CandidateFrame, v views.StepView) string {
	if v.Intro {
		return f.T("title.instructions", v.Instrument.Name)
	}
	return f.T("title.page", v.Instrument.Name, v.Page, v.Pages)
}

// reviewView lays out the review page.
func reviewView(f views.CandidateFrame, sess assessments.Session, now time.Time) views.ReviewView {
	var v views.ReviewView
	v.Answered, v.Total = sess.Counts()
	for i, inst := range sess.Instruments {
		p := views.ReviewPart{Name: inst.In(f.Page.HTMLLang()).Name, Total: len(inst.Items), TimeUp: sess.TimeUp(i, now)}
		answers := sess.Attempt(i).Answers
		for _, it := range inst.Items {
			if _, ok := answers[it.ID]; ok {
				p.Answered++
			}
		}
		for _, n := range sess.UnansweredPages(i) {
			p.Unanswered = append(p.Unanswered, blankLink(f, sess, n, answers))
		}
		v.Parts = append(v.Parts, p)
	}
	return v
}

// blankLink leads from the review to the first blank question of page
// step n, named as the page numbers it, and asks the page to mark every
// blank question on it.
func blankLink(f views.CandidateFrame, sess assessments.Session, n int, answers map[string]assessments.Answer) views.ReviewLink {
	st := sess.Steps[n]
	inst := sess.Instruments[st.Instrument]
	var blank []string
	for _, it := range sess.PageItems(st) {
		if _, ok := answers[it.ID]; !ok {
			blank = append(blank, it.ID)
		}
	}
	if len(blank) == 0 {
		return views.ReviewLink{Label: f.T("review.page", st.Page+1), URL: f.StepURL(n)}
	}
	key := "review.blankQuestion"
	if inst.Kind == assessments.KindForcedChoice {
		key = "review.blankGroup"
	}
	label := f.T(key, st.Page+1, assessments.ItemNumber(inst, blank[0]))
	if more := len(blank) - 1; more > 0 {
		label += " " + f.T("review.blankMore", more)
	}
	return views.ReviewLink{Label: label, URL: f.StepURL(n) + "?" + blankQuery + "=1#q-" + blank[0]}
}

// blankQuery asks a question page to mark the questions left blank.
const blankQuery = "blank"

// welcomeView lays out the welcome page, with the parts named in lang.
func welcomeView(sess assessments.Session, lang string) views.WelcomeView {
	w := views.WelcomeView{
		FirstName: sess.Invitation.CandidateFirstName, PackageName: sess.Package.Name,
		Minutes: sess.Package.EstimatedMinutes(sess.Instruments), ExpiresAt: sess.Invitation.ExpiresAt,
	}
	for _, inst := range sess.Instruments {
		inst = inst.In(lang)
		m := inst.EstimatedMinutes
		if inst.TimeLimitSeconds > 0 {
			m = (inst.TimeLimitSeconds + 59) / 60
		}
		w.Parts = append(w.Parts, views.PartSummary{Name: inst.Name, Description: inst.Description, Minutes: m, Timed: inst.TimeLimitSeconds > 0})
	}
	return w
}

// withProblems puts the answers a candidate just sent over the saved ones,
// so a page shown again with problems keeps every choice made.
func withProblems(v views.StepView, out assessments.StepOutcome) views.StepView {
	merged := make(map[string]assessments.Answer, len(v.Answers)+len(out.Answers))
	for id, a := range v.Answers {
		merged[id] = a
	}
	for id, a := range out.Answers {
		merged[id] = a
	}
	v.Answers, v.Problems = merged, out.Problems
	return v
}

// navOf reads the button a candidate pressed.
func navOf(c echo.Context) assessments.Nav {
	switch nav := assessments.Nav(c.FormValue("nav")); nav {
	case assessments.NavBack, assessments.NavReview:
		return nav
	}
	return assessments.NavNext
}
