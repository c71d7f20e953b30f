package handlers

import (
	"net/http"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/labstack/echo/v4"
)

// CatalogEnable switches a package on or off. Switching off stops new
// invitations; invitations already sent keep working.
func (h *Catalog) CatalogEnable(c echo.Context) error {
	pkg, err := h.packageParam(c)
	if err != nil {
		return err
	}
	on := c.FormValue("enabled") == "true"
	if err := h.Catalog.SetPackageEnabled(c.Request().Context(), TenantID(c), pkg.ID, on); err != nil {
		return err
	}
	if on {
		h.flash(c, "“"+pkg.Name+"” is on: invitations can be sent.")
	} else {
		h.flash(c, "“"+pkg.Name+"” is off: no new invitations are sent. Links already sent keep working.")
	}
	return c.Redirect(http.StatusSeeOther, routes.CatalogList())
}
