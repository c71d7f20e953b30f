package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// WritebackRetry runs one write again now ("Retry now"). The invitation id
// is looked up within the signed-in admin's tenant only, so another
// tenant's id is not found.
func (h *Logs) WritebackRetry(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return assessments.Errorf(assessments.ENOTFOUND, "Write not found.")
	}
	ctx := c.Request().Context()
	if err := h.Writeback.Retry(ctx, TenantID(c), id); err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "write-back retried", slog.Int64("tenant", TenantID(c)), slog.Int64("invitation_id", id))
	h.flash(c, "Retrying now. The list shows the outcome in a moment.")
	return c.Redirect(http.StatusSeeOther, routes.WritebackList())
}

// WritebackRetryAll runs every retrying, waiting, failed and dead write of
// the tenant again now.
func (h *Logs) WritebackRetryAll(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := h.Writeback.RetryAll(ctx, TenantID(c))
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "write-backs retried", slog.Int64("tenant", TenantID(c)), slog.Int("writes", n))
	h.flash(c, fmt.Sprintf("Retrying %d %s now.", n, writebackPlural(n, "write", "writes")))
	return c.Redirect(http.StatusSeeOther, routes.WritebackList())
}

func writebackPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
