package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// ChecklistTrial is "Send a test assessment": it runs the whole loop once
// against the sandbox and says what happened. Without the sandbox it says
// how to test in the customer's iCIMS staging instead.
func (h *Admin) ChecklistTrial(c echo.Context) error {
	ctx := c.Request().Context()
	if h.Trial == nil {
		h.flash(c, "The sandbox is off: test in your iCIMS staging instance by advancing a test candidate to the status of an auto-send rule.")
		return c.Redirect(http.StatusSeeOther, routes.DashboardShow()+"#trial")
	}
	res, err := h.Trial.RunTrial(ctx, CurrentTenant(c))
	if code := assessments.ErrorCode(err); code == assessments.EINVALID || code == assessments.EUNAVAILABLE {
		h.flash(c, "No test sent: "+assessments.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, routes.DashboardShow()+"#trial")
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "test assessment sent", slog.Int64("tenant", TenantID(c)), slog.String("workflow", res.WorkflowID),
		slog.Int("status_code", res.Status))
	h.flash(c, res.Summary)
	return c.Redirect(http.StatusSeeOther, routes.DashboardShow()+"#checklist")
}
