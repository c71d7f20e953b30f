package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// CatalogNew shows the form for a new package.
func (h *Catalog) CatalogNew(c echo.Context) error {
	f := h.catalogFormFor(c.Request().Context(), TenantID(c), assessments.Package{Enabled: true})
	f.Flash = h.popFlash(c)
	return Render(c, http.StatusOK, views.CatalogFormPage(h.AdminPage(c, "New package"), f))
}

// CatalogEdit shows the form of an existing package.
func (h *Catalog) CatalogEdit(c echo.Context) error {
	pkg, err := h.packageParam(c)
	if err != nil {
		return err
	}
	f := h.catalogFormFor(c.Request().Context(), TenantID(c), pkg)
	f.Flash = h.popFlash(c)
	return Render(c, http.StatusOK, views.CatalogFormPage(h.AdminPage(c, pkg.Name), f))
}

// packageParam loads the signed-in tenant's package named by the :id
// parameter; another tenant's package is simply not found.
func (h *Catalog) packageParam(c echo.Context) (assessments.Package, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessments.Package{}, assessments.Errorf(assessments.ENOTFOUND, "Assessment package not found.")
	}
	return h.Catalog.Package(c.Request().Context(), TenantID(c), id)
}
