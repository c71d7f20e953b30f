package handlers

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// SettingsRetentionSave sets the tenant's retention period. The next
// hourly run applies it.
func (h *Admin) SettingsRetentionSave(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	raw := strings.TrimSpace(c.FormValue("days"))
	days, err := strconv.Atoi(raw)
	if err != nil {
		err = assessments.Errorf(assessments.EINVALID, "Enter a whole number of days.")
	} else {
		admin := CurrentAdmin(c)
		err = h.Retention.SetDays(ctx, tenantID, days, assessments.Actor{AdminID: admin.ID, Email: admin.Email})
	}
	if assessments.ErrorCode(err) == assessments.EINVALID {
		st, serr := h.Retention.State(ctx, tenantID)
		if serr != nil {
			return serr
		}
		return Render(c, http.StatusUnprocessableEntity, views.Settings(h.AdminPage(c, "Settings"), views.SettingsView{
			Tenant: CurrentTenant(c), Retention: st, Days: raw, Problem: assessments.ErrorMessage(err),
			Limits: h.callLimitsForm(c),
		}))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "retention policy saved", slog.Int64("tenant", tenantID), slog.Int("days", days))
	h.flash(c, "Saved. Candidate data is kept for "+strconv.Itoa(days)+" days; the next hourly run applies it.")
	return c.Redirect(http.StatusSeeOther, routes.SettingsShow())
}
