package handlers

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// LogsRetryAll runs every failed, dead, waiting or retrying write of the
// tenant again now ("Retry all failed").
func (h *Logs) LogsRetryAll(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := h.Logs.RetryAllFailed(ctx, TenantID(c))
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "writes retried from the logs", slog.Int64("tenant", TenantID(c)), slog.Int("writes", n))
	if n == 0 {
		h.flash(c, "No write to iCIMS is waiting or failed; nothing to retry.")
	} else {
		h.flash(c, fmt.Sprintf("Retrying %d %s now.", n, writebackPlural(n, "write", "writes")))
	}
	return c.Redirect(http.StatusSeeOther, views.LogsQuery{Direction: "outbound"}.URL(0, 0))
}
