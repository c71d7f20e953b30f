package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// DashboardShow is the admin's home.
func (h *Admin) DashboardShow(c echo.Context) error {
	tenant := CurrentTenant(c)
	admins, err := h.Admins.Admins(c.Request().Context(), tenant.ID)
	if err != nil {
		return err
	}
	setup, err := h.checklistView(c)
	if err != nil {
		return err
	}
	open, err := h.openAccommodations(c.Request().Context(), tenant.ID)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.AdminDashboard(h.AdminPage(c, "Dashboard"), views.Dashboard{
		Tenant: tenant, Admin: CurrentAdmin(c), Admins: admins, Flash: h.popFlash(c),
		Reauth: reauthURL(tenant.CustomerID, string(tenant.Region)), Setup: setup, Accommodations: open,
	}))
}
