package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// NewLoginLimits returns the limit of sign-ins and password-reset requests,
// kept in store: per address and per client IP, a burst of 5 attempts
// then one every 3 minutes.
func NewLoginLimits(store assessments.RateLimitStore) *assessments.Limiter {
	return assessments.NewLimiter(store, assessments.RateLimit{Name: "login", Burst: 5, Every: 3 * time.Minute})
}

// AdminLoginShow shows the sign-in form.
func (h *Admin) AdminLoginShow(c echo.Context) error {
	ctx := c.Request().Context()
	if h.Sessions.GetInt64(ctx, sessionAdmin) != 0 {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return Render(c, http.StatusOK, views.AdminLogin(h.Page(c, "Sign in"), views.LoginForm{Next: c.QueryParam("next")}))
}

// AdminLogin checks e-mail and password. Attempts are limited per address
// and per client IP, so guessing is slow whichever one an attacker varies.
func (h *Admin) AdminLogin(c echo.Context) error {
	ctx := c.Request().Context()
	form := views.LoginForm{Email: strings.TrimSpace(c.FormValue("email")), Next: c.FormValue("next")}
	if ok, err := h.Logins.Allow(ctx, h.Clock.Now(), "email:"+strings.ToLower(form.Email), "ip:"+c.RealIP()); err != nil {
		return err
	} else if !ok {
		h.Log.WarnContext(ctx, "login rate limited", "remote_ip", c.RealIP())
		form.Error = "Too many sign-in attempts. Wait a few minutes and try again."
		return Render(c, http.StatusTooManyRequests, views.AdminLogin(h.Page(c, "Sign in"), form))
	}
	admin, err := h.Accounts.Login(ctx, form.Email, c.FormValue("password"))
	if assessments.ErrorCode(err) == assessments.EUNAUTHORIZED {
		form.Error = assessments.ErrorMessage(err)
		return Render(c, http.StatusUnauthorized, views.AdminLogin(h.Page(c, "Sign in"), form))
	} else if err != nil {
		return err
	}
	if err := h.signIn(c, admin); err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "admin signed in", "tenant", admin.TenantID, "admin_id", admin.ID)
	return c.Redirect(http.StatusSeeOther, safeNext(form.Next))
}

// AdminLogout ends the session.
func (h *Admin) AdminLogout(c echo.Context) error {
	return h.signOutTo(c, routes.AdminLoginShow())
}
