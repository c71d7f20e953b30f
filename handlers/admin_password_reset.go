package handlers

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// AdminPasswordForgotShow asks for the address to send a reset link to.
func (h *Admin) AdminPasswordForgotShow(c echo.Context) error {
	return Render(c, http.StatusOK, views.AdminPasswordForgot(h.Page(c, "Reset your password"), views.ForgotForm{}))
}

// AdminPasswordForgot e-mails a reset link when the address belongs to an
// admin. The answer is the same whether it does or not, and a failed send
// is only logged, so the page never tells which addresses have accounts.
// Requests are limited per address and per client IP like sign-ins, so the
// form cannot be used to flood someone's inbox.
func (h *Admin) AdminPasswordForgot(c echo.Context) error {
	ctx := c.Request().Context()
	form := views.ForgotForm{Email: strings.TrimSpace(c.FormValue("email"))}
	email, err := assessments.NormalizeEmail(form.Email)
	if err != nil {
		form.Error = assessments.ErrorMessage(err)
		return Render(c, http.StatusUnprocessableEntity, views.AdminPasswordForgot(h.Page(c, "Reset your password"), form))
	}
	form.Email = email
	if ok, err := h.Logins.Allow(ctx, h.Clock.Now(), "reset-email:"+email, "reset-ip:"+c.RealIP()); err != nil {
		return err
	} else if !ok {
		h.Log.WarnContext(ctx, "password reset rate limited", "remote_ip", c.RealIP())
		form.Error = "Too many reset requests. Wait a few minutes and try again."
		return Render(c, http.StatusTooManyRequests, views.AdminPasswordForgot(h.Page(c, "Reset your password"), form))
	}
	token, err := h.Accounts.RequestPasswordReset(ctx, email)
	if err != nil {
		return err
	}
	if token != "" {
		h.sendPasswordReset(c, email, token)
	}
	form.Sent = true
	return Render(c, http.StatusOK, views.AdminPasswordForgot(h.Page(c, "Reset your password"), form))
}

func (h *Admin) sendPasswordReset(c echo.Context, email, token string) {
	ctx := c.Request().Context()
	link := h.link(routes.AdminPasswordResetShow(token))
	minutes := int(assessments.PasswordResetTTL.Minutes())
	text := fmt.Sprintf("Someone asked to reset the password of your JobCannon for iCIMS admin account.\n\n"+
		"Choose a new password here (the link works once, for %d minutes):\n%s\n\n"+
		"If it was not you, ignore this e-mail: your password stays as it is.\n", minutes, link)
	body := fmt.Sprintf(`<p>Someone asked to reset the password of your JobCannon for iCIMS admin account.</p>`+
		`<p><a href="%s">Choose a new password</a> (the link works once, for %d minutes).</p>`+
		`<p>If it was not you, ignore this e-mail: your password stays as it is.</p>`, html.EscapeString(link), minutes)
	if _, err := h.Mailer.Send(ctx, mail.Message{
		To: email, FromAddress: h.MailFrom, FromName: "JobCannon",
		Subject: "Reset your JobCannon password", Text: text, HTML: body,
	}); err != nil {
		h.Log.ErrorContext(ctx, "send password reset", "err", err)
	}
}

// AdminPasswordResetShow is the page a reset link opens.
func (h *Admin) AdminPasswordResetShow(c echo.Context) error {
	token := c.Param("token")
	email, err := h.Accounts.PendingPasswordReset(c.Request().Context(), token)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.AdminPasswordReset(h.Page(c, "Choose a new password"), token, email, ""))
}

// AdminPasswordReset sets the new password, ends every session of the
// accounts it applies to, and sends the admin to sign in with it.
func (h *Admin) AdminPasswordReset(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	email, err := h.Accounts.PendingPasswordReset(ctx, token)
	if err != nil {
		return err
	}
	admins, err := h.Accounts.ResetPassword(ctx, token, c.FormValue("password"))
	if assessments.ErrorCode(err) == assessments.EINVALID {
		return Render(c, http.StatusUnprocessableEntity,
			views.AdminPasswordReset(h.Page(c, "Choose a new password"), token, email, assessments.ErrorMessage(err)))
	} else if err != nil {
		return err
	}
	for _, a := range admins {
		h.Log.InfoContext(ctx, "admin reset password", "tenant", a.TenantID, "admin_id", a.ID)
	}
	return Render(c, http.StatusOK, views.AdminPasswordResetDone(h.Page(c, "Password changed")))
}
