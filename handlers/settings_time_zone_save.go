package handlers

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// SettingsTimeZoneSave sets the IANA time zone the tenant's admin pages
// and e-mails show dates in.
func (h *Admin) SettingsTimeZoneSave(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	raw := c.FormValue("time_zone")
	err := h.Tenants.SetTimeZone(ctx, t.ID, raw)
	if assessments.ErrorCode(err) == assessments.EINVALID {
		st, serr := h.Retention.State(ctx, t.ID)
		if serr != nil {
			return serr
		}
		return Render(c, http.StatusUnprocessableEntity, views.Settings(h.AdminPage(c, "Settings"), views.SettingsView{
			Tenant: t, Retention: st, Days: strconv.Itoa(st.Policy.Days), Limits: h.callLimitsForm(c),
			Zone: views.TimeZoneForm{Value: raw, Problem: assessments.ErrorMessage(err)},
		}))
	} else if err != nil {
		return err
	}
	zone, _ := assessments.CheckTimeZone(raw)
	h.Log.InfoContext(ctx, "time zone saved", slog.Int64("tenant", t.ID), slog.String("time_zone", zone))
	h.flash(c, "Saved. Dates on these pages and in e-mails now show in "+zone+".")
	return c.Redirect(http.StatusSeeOther, routes.SettingsShow())
}
