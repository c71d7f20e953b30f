package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
)

// JobsRefresh queues a sync of the tenant's jobs now, one that also finds
// jobs removed from iCIMS, and returns to the Jobs page.
func (h *Jobs) JobsRefresh(c echo.Context) error {
	if err := h.JobListings.Refresh(c.Request().Context(), CurrentTenant(c)); err != nil {
		return err
	}
	h.flash(c, "Reading the jobs from iCIMS now. Reload this page in a minute to see them.")
	return c.Redirect(http.StatusSeeOther, routes.JobList())
}
