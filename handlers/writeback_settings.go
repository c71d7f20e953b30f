package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// WritebackSettingsSave saves the tenant's write-back settings.
func (h *Logs) WritebackSettingsSave(c echo.Context) error {
	s := assessments.WritebackSettings{InProgress: c.FormValue("in_progress") == "true"}
	if err := h.Writeback.SaveSettings(c.Request().Context(), TenantID(c), s); err != nil {
		return err
	}
	if s.InProgress {
		h.flash(c, "In-Progress is written to iCIMS when a candidate starts.")
	} else {
		h.flash(c, "In-Progress is no longer written: rows stay Sent until the candidate finishes.")
	}
	return c.Redirect(http.StatusSeeOther, routes.WritebackList())
}
