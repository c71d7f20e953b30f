package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// CandidateStepShow shows one step: a part's instructions or a page of
// questions with the answers given so far.
func (h *Candidate) CandidateStepShow(c echo.Context) error {
	sess, err := h.Candidates.Load(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "", sess.Invitation)
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, sess.Resolve(sess.Progress.Step)))
	}
	if r := sess.Resolve(n); r != n || n >= sess.ReviewStep() {
		return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, r))
	}
	v := stepView(sess, n, h.Clock.Now(), f.Page.HTMLLang())
	v.MarkBlank = c.QueryParam(blankQuery) != ""
	if c.QueryParam("timeup") != "" {
		v.Notice = f.T("notice.timeUp")
	}
	f.Page.Title = stepTitle(f, v)
	return Render(c, http.StatusOK, views.CandidateStep(f, v))
}
