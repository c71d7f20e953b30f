package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// LogsRetry runs a failed or dead write to iCIMS again now ("Retry now"),
// through the write-back's own retry.
func (h *Logs) LogsRetry(c echo.Context) error {
	id, err := deliveryID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := h.Logs.RetryNow(ctx, TenantID(c), id)
	if assessments.ErrorCode(err) == assessments.EINVALID {
		h.flash(c, "Not retried: "+assessments.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, routes.LogsShow(id))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "write retried from the logs", slog.Int64("tenant", TenantID(c)), slog.Int64("delivery_id", id),
		slog.Int64("invitation_id", e.InvitationID))
	h.flash(c, "Retrying now. The attempts appear below in a moment.")
	return c.Redirect(http.StatusSeeOther, routes.LogsShow(id))
}
