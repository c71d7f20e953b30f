package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// CatalogAccommodationList shows candidates' accommodation requests.
func (h *Catalog) CatalogAccommodationList(c echo.Context) error {
	reqs, err := h.Invitations.AccommodationRequests(c.Request().Context(), TenantID(c))
	if err != nil {
		return err
	}
	p := h.AdminPage(c, "Accommodation requests")
	return Render(c, http.StatusOK, views.CatalogAccommodations(p, reqs, h.popFlash(c), ""))
}
