package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// JobList shows the tenant's jobs as read from iCIMS, filtered by text.
func (h *Jobs) JobList(c echo.Context) error {
	page, err := h.JobListings.Page(c.Request().Context(), TenantID(c), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.JobList(h.AdminPage(c, "Jobs"), views.JobListView{Page: page, Flash: h.popFlash(c)}))
}
