package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// CandidateAccommodationSave records a candidate's request for the admins.
func (h *Candidate) CandidateAccommodationSave(c echo.Context) error {
	ctx := c.Request().Context()
	message := c.FormValue("message")
	inv, err := h.Candidates.RequestAccommodation(ctx, c.Param("token"), message)
	if assessments.ErrorCode(err) == assessments.EINVALID {
		f := h.candidateFrame(c, "title.accommodation", inv)
		return Render(c, http.StatusUnprocessableEntity, views.CandidateAccommodation(f, message, assessments.ErrorMessage(err), false, f.HomeURL()))
	} else if err != nil {
		return h.candidateError(c, err)
	}
	h.Log.InfoContext(ctx, "accommodation requested", slog.Int64("tenant", inv.TenantID), slog.Int64("invitation_id", inv.ID))
	return c.Redirect(http.StatusSeeOther, routes.CandidateAccommodationShow(c.Param("token"))+"?sent=1")
}
