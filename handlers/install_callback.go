package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// InstallCallback is iCIMS's redirect back after consent:
// GET /icims/oauth-callback?code&state (or error=access_denied&state).
func (h *Install) InstallCallback(c echo.Context) error {
	cb := assessments.Callback{
		State: c.QueryParam("state"), Code: c.QueryParam("code"),
		Error: c.QueryParam("error"), ErrorDescription: c.QueryParam("error_description"),
	}
	name, path := h.installCookie()
	if ck, err := c.Cookie(name); err == nil {
		cb.BrowserSecret = ck.Value
	}
	// The cookie has done its job whatever happens next.
	c.SetCookie(&http.Cookie{Name: name, Path: path, MaxAge: -1, HttpOnly: true, Secure: h.secureCookies()})
	ctx := c.Request().Context()
	tenant, err := h.Installer.Complete(ctx, cb)
	if err != nil {
		return h.installProblem(c, err)
	}
	h.Log.InfoContext(ctx, "installed", "customer_id", tenant.CustomerID, "scopes", tenant.Scopes)

	// Whoever approved the install in iCIMS is an admin of that customer.
	// A signed-in admin of this tenant stays signed in; anyone else sets up
	// their account next.
	if h.Sessions.GetInt64(ctx, sessionTenant) == tenant.ID && h.Sessions.GetInt64(ctx, sessionAdmin) != 0 {
		h.flash(c, "JobCannon is authorized for customer "+tenant.CustomerID+".")
		return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
	}
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionTenant, tenant.ID)
	h.Sessions.Remove(ctx, sessionAdmin)
	h.Sessions.Put(ctx, sessionInstaller, true)
	return c.Redirect(http.StatusSeeOther, routes.AdminSetupShow())
}
