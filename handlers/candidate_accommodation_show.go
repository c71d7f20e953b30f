package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// CandidateAccommodationShow is the form a candidate uses to ask for an
// accommodation.
func (h *Candidate) CandidateAccommodationShow(c echo.Context) error {
	inv, err := h.Candidates.Open(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.candidateError(c, err)
	}
	f := h.candidateFrame(c, "title.accommodation", inv)
	sent := c.QueryParam("sent") != ""
	return Render(c, http.StatusOK, views.CandidateAccommodation(f, "", "", sent, f.HomeURL()))
}
