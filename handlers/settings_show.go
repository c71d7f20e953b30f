package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// SettingsShow is the tenant's settings page: the region that picks
// iCIMS's hosts, and the retention policy with the last purges.
func (h *Admin) SettingsShow(c echo.Context) error {
	st, err := h.Retention.State(c.Request().Context(), TenantID(c))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.Settings(h.AdminPage(c, "Settings"), views.SettingsView{
		Flash: h.popFlash(c), Tenant: CurrentTenant(c), Retention: st, Days: strconv.Itoa(st.Policy.Days),
		Limits: h.callLimitsForm(c),
	}))
}
