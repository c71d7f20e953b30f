package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Healthz answers 200 while the process is alive. It checks nothing else so
// that an orchestrator never restarts a process that is only waiting on its
// database.
func (h *Site) Healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// Readyz answers 200 when the database is reachable and migrated, 503
// otherwise, so a load balancer sends no traffic to an instance that cannot
// serve it.
func (h *Site) Readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := h.Ready.Ready(ctx); err != nil {
		h.Log.WarnContext(ctx, "not ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
