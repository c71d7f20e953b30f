package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// CSRFContextKey is where the CSRF middleware leaves the form token.
const CSRFContextKey = "csrf"

// SessionCSRF is the session key of the CSRF token the admin pages' forms
// must carry; signIn removes it so that a new one is issued.
const SessionCSRF = "csrf_token"

// Session keys.
const (
	sessionTenant    = "tenant_id"
	sessionAdmin     = "admin_id"
	sessionInstaller = "installer"
	sessionFlash     = "flash"
	// sessionEpoch is the admin's session epoch at sign-in; a password
	// change moves the admin's epoch on and so ends their other sessions.
	sessionEpoch = "admin_epoch"
)

const (
	ctxTenant = "tenant"
	ctxAdmin  = "admin"
)

// RequireAdmin lets a request through only with a signed-in admin of a
// tenant that is still installed, and puts both in the context. Everything
// an admin handler reads is then scoped by that tenant.
func (h *Admin) RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		tenantID := h.Sessions.GetInt64(ctx, sessionTenant)
		adminID := h.Sessions.GetInt64(ctx, sessionAdmin)
		if tenantID == 0 {
			return h.toLogin(c)
		}
		if adminID == 0 {
			if h.Sessions.GetBool(ctx, sessionInstaller) {
				return c.Redirect(http.StatusSeeOther, routes.AdminSetupShow())
			}
			return h.toLogin(c)
		}
		tenant, err := h.Tenants.Tenant(ctx, tenantID)
		if assessments.ErrorCode(err) == assessments.ENOTFOUND {
			return h.signOutTo(c, routes.AdminLoginShow())
		} else if err != nil {
			return err
		}
		admin, err := h.Admins.Admin(ctx, tenantID, adminID)
		if assessments.ErrorCode(err) == assessments.ENOTFOUND {
			return h.signOutTo(c, routes.AdminLoginShow())
		} else if err != nil {
			return err
		}
		if h.Sessions.GetInt64(ctx, sessionEpoch) != admin.SessionEpoch {
			h.Log.InfoContext(ctx, "admin session ended by a password change", "tenant", tenantID, "admin_id", adminID)
			return h.signOutTo(c, routes.AdminLoginShow())
		}
		c.Set(ctxTenant, tenant)
		c.Set(ctxAdmin, admin)
		return next(c)
	}
}

func (h *Admin) toLogin(c echo.Context) error {
	target := routes.AdminLoginShow()
	if c.Request().Method == http.MethodGet && c.Request().URL.Path != routes.DashboardShow() {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func (h *Shared) signOutTo(c echo.Context, target string) error {
	if err := h.Sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// CurrentTenant is the signed-in admin's tenant.
func CurrentTenant(c echo.Context) assessments.Tenant {
	t, _ := c.Get(ctxTenant).(assessments.Tenant)
	return t
}

// CurrentAdmin is the signed-in admin.
func CurrentAdmin(c echo.Context) assessments.Admin {
	a, _ := c.Get(ctxAdmin).(assessments.Admin)
	return a
}

// TenantID is the signed-in admin's tenant id: every admin query is scoped
// by it.
func TenantID(c echo.Context) int64 { return CurrentTenant(c).ID }

// flash keeps a one-line message for the next page the admin sees.
func (h *Shared) flash(c echo.Context, msg string) {
	h.Sessions.Put(c.Request().Context(), sessionFlash, msg)
}

func (h *Shared) popFlash(c echo.Context) string {
	return h.Sessions.PopString(c.Request().Context(), sessionFlash)
}

// safeNext keeps post-login redirects on this site's admin pages.
func safeNext(next string) string {
	if strings.HasPrefix(next, routes.AdminPrefix) && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return routes.DashboardShow()
}

// signIn starts a fresh session for an admin; renewing the token on every
// privilege change defeats session fixation.
func (h *Shared) signIn(c echo.Context, admin assessments.Admin) error {
	ctx := c.Request().Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionTenant, admin.TenantID)
	h.Sessions.Put(ctx, sessionAdmin, admin.ID)
	h.Sessions.Put(ctx, sessionEpoch, admin.SessionEpoch)
	h.Sessions.Remove(ctx, sessionInstaller)
	// A token seen before signing in (possibly fixated) is worth nothing
	// after: the next page gets a fresh one.
	h.Sessions.Remove(ctx, SessionCSRF)
	return nil
}
