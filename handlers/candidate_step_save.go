package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// CandidateStepSave saves the answers of one page as given and moves on:
// to the next page, the previous one, the review, or past a part whose time
// ran out. Problems to fix show the page again with them.
func (h *Candidate) CandidateStepSave(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return c.Redirect(http.StatusSeeOther, routes.CandidateShow(token))
	}
	var shown time.Time
	if ms, err := strconv.ParseInt(c.FormValue("shown"), 10, 64); err == nil && ms > 0 {
		shown = time.UnixMilli(ms)
	}
	out, err := h.Candidates.SaveStep(ctx, token, n, c.FormValue, navOf(c), shown)
	if err != nil {
		return h.candidateError(c, err)
	}
	sess, err := h.Candidates.Load(ctx, token)
	if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "", sess.Invitation)
	if len(out.Problems) > 0 {
		v := withProblems(stepView(sess, n, h.Clock.Now(), f.Page.HTMLLang()), out)
		f.Page.Title = f.T("title.check", stepTitle(f, v))
		return Render(c, http.StatusUnprocessableEntity, views.CandidateStep(f, v))
	}
	target := stepTarget(f, sess, out.Next)
	if out.TimeUp {
		target += "?timeup=1"
	}
	return c.Redirect(http.StatusSeeOther, target)
}
