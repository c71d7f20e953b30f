package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ChecklistShow is the dashboard's checklist alone: it refreshes itself
// with it while steps are still open.
func (h *Admin) ChecklistShow(c echo.Context) error {
	v, err := h.checklistView(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, http.StatusOK, views.Checklist(h.AdminPage(c, "Dashboard"), v))
}

// checklistView computes the signed-in tenant's checklist and health.
func (h *Admin) checklistView(c echo.Context) (views.ChecklistView, error) {
	t := CurrentTenant(c)
	setup, err := h.Checklist.For(c.Request().Context(), t, reauthURL(t.CustomerID, string(t.Region)))
	if err != nil {
		return views.ChecklistView{}, err
	}
	return views.ChecklistView{Setup: setup, Sandbox: h.Trial != nil, TrialStatus: setup.TrialStatus}, nil
}

// reauthURL starts the Marketplace flow again for the customer.
func reauthURL(customerID, region string) string {
	return routes.InstallBegin() + "?customer_id=" + customerID + "&region=" + region
}
