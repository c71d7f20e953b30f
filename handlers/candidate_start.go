package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// CandidateStart records consent and starts the assessment.
func (h *Candidate) CandidateStart(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	sess, err := h.Candidates.Start(ctx, token, c.FormValue("consent") == "yes")
	if assessments.ErrorCode(err) == assessments.EINVALID {
		again, verr := h.Candidates.Visit(ctx, token)
		if verr != nil {
			return h.candidateError(c, verr)
		}
		f := h.candidateFrame(c, "title.welcome", again.Invitation)
		w := welcomeView(again, f.Page.HTMLLang())
		w.Error = f.T("welcome.consentError")
		return Render(c, http.StatusUnprocessableEntity, views.CandidateWelcome(f, w))
	} else if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "", sess.Invitation)
	return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, sess.Resolve(sess.Progress.Step)))
}
