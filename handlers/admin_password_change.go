package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// AdminPasswordShow shows the signed-in admin's password change form.
func (h *Admin) AdminPasswordShow(c echo.Context) error {
	return Render(c, http.StatusOK, views.AdminPassword(h.AdminPage(c, "Change your password"), nil))
}

// AdminPasswordChange replaces the signed-in admin's password. This
// session stays signed in under the new epoch; every other one ends.
func (h *Admin) AdminPasswordChange(c echo.Context) error {
	ctx := c.Request().Context()
	me := CurrentAdmin(c)
	epoch, errs, err := h.Accounts.ChangePassword(ctx, me, c.FormValue("current"), c.FormValue("password"))
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return Render(c, http.StatusUnprocessableEntity, views.AdminPassword(h.AdminPage(c, "Change your password"), errs))
	}
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionEpoch, epoch)
	h.Log.InfoContext(ctx, "admin changed password", "tenant", me.TenantID, "admin_id", me.ID)
	h.flash(c, "Your password is changed. You were signed out everywhere else.")
	return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
}
