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

// SettingsLimitsSave sets the customer's own iCIMS limits, for a customer
// iCIMS gave less than the usual 500 calls a minute and 10,000 a day. The
// next call to the customer's iCIMS goes at the new pace.
func (h *Admin) SettingsLimitsSave(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	rawMinute, rawDay := strings.TrimSpace(c.FormValue("per_minute")), strings.TrimSpace(c.FormValue("per_day"))
	perMinute, err := optionalCount(rawMinute, "Calls a minute")
	perDay, derr := optionalCount(rawDay, "Calls a day")
	if err == nil {
		err = derr
	}
	if err == nil {
		err = h.Tenants.SetCallLimits(ctx, t.ID, perMinute, perDay)
	}
	if assessments.ErrorCode(err) == assessments.EINVALID {
		st, serr := h.Retention.State(ctx, t.ID)
		if serr != nil {
			return serr
		}
		form := h.callLimitsForm(c)
		form.PerMinute, form.PerDay, form.Problem = rawMinute, rawDay, assessments.ErrorMessage(err)
		return Render(c, http.StatusUnprocessableEntity, views.Settings(h.AdminPage(c, "Settings"), views.SettingsView{
			Tenant: t, Retention: st, Days: strconv.Itoa(st.Policy.Days), Limits: form,
		}))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "iCIMS call limits saved", slog.Int64("tenant", t.ID), slog.Int("per_minute", perMinute),
		slog.Int("per_day", perDay))
	h.flash(c, "Saved. Calls to iCIMS now keep under "+limitPhrase(perMinute, assessments.MaxCallsPerMinute)+" a minute and "+
		limitPhrase(perDay, 10_000)+" a day.")
	return c.Redirect(http.StatusSeeOther, routes.SettingsShow())
}

// callLimitsForm is the limits form as stored, with the current pace.
func (h *Admin) callLimitsForm(c echo.Context) views.CallLimitsForm {
	t := CurrentTenant(c)
	f := views.CallLimitsForm{Now: h.Clock.Now()}
	if t.CallsPerMinute > 0 {
		f.PerMinute = strconv.Itoa(t.CallsPerMinute)
	}
	if t.CallsPerDay > 0 {
		f.PerDay = strconv.Itoa(t.CallsPerDay)
	}
	if h.Pace != nil && t.Connected() {
		f.Pace, f.Paced = h.Pace.CallPace(t), true
	}
	return f
}

// optionalCount reads a whole number from a form field; empty is 0.
func optionalCount(raw, label string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, assessments.Errorf(assessments.EINVALID, "%s must be a whole number of at least 1, or empty for iCIMS's usual limit.", label)
	}
	return n, nil
}

func limitPhrase(n, usual int) string {
	if n == 0 {
		return strconv.Itoa(usual) + " (the usual)"
	}
	return strconv.Itoa(n)
}
