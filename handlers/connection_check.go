package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ConnectionCheck makes one real call to the tenant's iCIMS and shows the
// outcome: inline for htmx, as a flash on the dashboard without it.
func (h *Admin) ConnectionCheck(c echo.Context) error {
	tenant := CurrentTenant(c)
	check := h.Connector.TestConnection(c.Request().Context(), tenant)
	h.Log.InfoContext(c.Request().Context(), "connection tested", "customer_id", tenant.CustomerID, "ok", check.OK, "status_code", check.Status)
	if c.Request().Header.Get("HX-Request") == "true" {
		return Render(c, http.StatusOK, views.ConnectionResult(check))
	}
	msg := "Connection test: " + check.Summary
	if !check.OK && check.Fix != "" {
		msg += " " + check.Fix
	}
	h.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
}

// TenantUninstall deletes the tenant's tokens and stops its work.
func (h *Admin) TenantUninstall(c echo.Context) error {
	tenant := CurrentTenant(c)
	if c.FormValue("confirm") != "yes" {
		return assessments.Errorf(assessments.EINVALID, "Tick the box to confirm the uninstall.")
	}
	if err := h.Connector.Revoke(c.Request().Context(), tenant); err != nil {
		// The tokens are deleted below whatever iCIMS says; a failed
		// revocation only means they live until they expire.
		h.Log.WarnContext(c.Request().Context(), "revoke tokens", "customer_id", tenant.CustomerID, "err", err)
	}
	if err := h.Tenants.Uninstall(c.Request().Context(), tenant.ID); err != nil {
		return err
	}
	h.Log.InfoContext(c.Request().Context(), "uninstalled", "customer_id", tenant.CustomerID, "admin_id", CurrentAdmin(c).ID)
	return h.signOutTo(c, "/?uninstalled=1")
}
