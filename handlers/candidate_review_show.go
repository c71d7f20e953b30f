package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// CandidateReviewShow is the last page: what is answered, what is left,
// and the submit button.
func (h *Candidate) CandidateReviewShow(c echo.Context) error {
	sess, err := h.Candidates.Load(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "title.review", sess.Invitation)
	if r := sess.Resolve(sess.ReviewStep()); r != sess.ReviewStep() {
		return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, r))
	}
	v := reviewView(f, sess, h.Clock.Now())
	allowReturnRedirect(c, sess.Invitation)
	if c.QueryParam("timeup") != "" {
		f.Page.Title = "Time is up: check and submit"
	}
	return Render(c, http.StatusOK, views.CandidateReview(f, v))
}
