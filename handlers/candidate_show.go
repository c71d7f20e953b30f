package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// CandidateShow is the candidate link: the welcome page, or, once started,
// the step where the candidate left off.
func (h *Candidate) CandidateShow(c echo.Context) error {
	sess, err := h.Candidates.Visit(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "title.welcome", sess.Invitation)
	if sess.Invitation.Status == assessments.StatusInProgress {
		return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, sess.Resolve(sess.Progress.Step)))
	}
	return Render(c, http.StatusOK, views.CandidateWelcome(f, welcomeView(sess, f.Page.HTMLLang())))
}
