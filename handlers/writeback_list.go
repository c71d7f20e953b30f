package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// WritebackList shows the tenant's write-back problems with their fixes,
// and the write-back settings.
func (h *Logs) WritebackList(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	problems, err := h.Writeback.Problems(ctx, tenantID)
	if err != nil {
		return err
	}
	settings, err := h.Writeback.Settings(ctx, tenantID)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.Writeback(h.AdminPage(c, "Write-back problems"), views.WritebackView{
		Flash: h.popFlash(c), Problems: problems, Settings: settings, Now: h.Clock.Now(),
	}))
}
