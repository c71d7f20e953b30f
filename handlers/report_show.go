package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ReportShow is the recruiter report behind a signed link from iCIMS. A
// bad, unknown or withdrawn link goes to the error handler, which says so
// without telling which.
func (h *Report) ReportShow(c echo.Context) error {
	rep, err := h.Reports.Open(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	p := h.Page(c, "Assessment report: "+rep.Invitation.CandidateName())
	p.BodyClass, p.Current, p.Nav = "report", "", ""
	return Render(c, http.StatusOK, views.ReportPage(p, rep, routes.ReportPDF(c.Param("token"))))
}
