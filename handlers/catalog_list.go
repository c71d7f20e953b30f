package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// CatalogList shows the tenant's packages.
func (h *Catalog) CatalogList(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	pkgs, err := h.Catalog.Packages(ctx, tenantID)
	if err != nil {
		return err
	}
	reqs, err := h.Invitations.AccommodationRequests(ctx, tenantID)
	if err != nil {
		return err
	}
	l := views.CatalogList{Packages: pkgs, Names: map[string]string{}, Flash: h.popFlash(c)}
	for _, inst := range h.Library.All() {
		l.Names[inst.ID] = inst.Name
	}
	for _, r := range reqs {
		if r.ResolvedAt.IsZero() {
			l.OpenRequests++
		}
	}
	return Render(c, http.StatusOK, views.CatalogListPage(h.AdminPage(c, "Assessment catalog"), l))
}
