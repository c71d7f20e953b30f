package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// CandidateSubmit scores and completes the assessment, then thanks the
// candidate, or sends an inline candidate back to iCIMS. Submitting again
// lands on the same thank-you page.
func (h *Candidate) CandidateSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	inv, res, err := h.Candidates.Submit(ctx, token)
	if le, ok := assessments.IsLinkError(err); ok && le.State == assessments.LinkCompleted {
		inv, err = le.Invitation, nil
	} else if err != nil {
		return h.candidateError(c, err)
	} else {
		h.Log.InfoContext(ctx, "assessment completed", slog.Int64("tenant", inv.TenantID),
			slog.Int64("invitation_id", inv.ID), slog.Float64("score", res.Overall))
	}
	if inv.ReturnURL != "" {
		return c.Redirect(http.StatusSeeOther, inv.ReturnURL)
	}
	return c.Redirect(http.StatusSeeOther, routes.CandidateShow(token))
}
