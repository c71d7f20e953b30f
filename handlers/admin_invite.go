package handlers

import (
	"fmt"
	"html"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// AdminList shows the tenant's admins and the invitation form.
func (h *Admin) AdminList(c echo.Context) error {
	return h.renderAdmins(c, http.StatusOK, "", "")
}

func (h *Admin) renderAdmins(c echo.Context, status int, email, formError string) error {
	admins, err := h.Admins.Admins(c.Request().Context(), TenantID(c))
	if err != nil {
		return err
	}
	return Render(c, status, views.AdminAdmins(h.AdminPage(c, "Admins"), admins, CurrentAdmin(c), h.popFlash(c), email, formError))
}

// AdminInvite e-mails an invitation link to a new admin of the tenant.
func (h *Admin) AdminInvite(c echo.Context) error {
	ctx := c.Request().Context()
	tenant, me := CurrentTenant(c), CurrentAdmin(c)
	email, err := assessments.NormalizeEmail(c.FormValue("email"))
	if err != nil {
		return h.renderAdmins(c, http.StatusUnprocessableEntity, c.FormValue("email"), assessments.ErrorMessage(err))
	}
	_, token, err := h.Accounts.Invite(ctx, tenant.ID, me.ID, email)
	if err != nil {
		return err
	}
	link := h.link(routes.AdminInviteShow(token))
	inviter := me.Email
	if me.Name != "" {
		inviter = me.Name + " (" + me.Email + ")"
	}
	text := fmt.Sprintf("%s invited you to manage JobCannon assessments for iCIMS customer %s.\n\n"+
		"Set your password here (the link works once, for 7 days):\n%s\n", inviter, tenant.CustomerID, link)
	body := fmt.Sprintf(`<p>%s invited you to manage JobCannon assessments for iCIMS customer %s.</p>`+
		`<p><a href="%s">Set your password</a> (the link works once, for 7 days).</p>`,
		html.EscapeString(inviter), html.EscapeString(tenant.CustomerID), html.EscapeString(link))
	if _, err := h.Mailer.Send(ctx, mail.Message{
		TenantID: tenant.ID, To: email, FromAddress: h.MailFrom, FromName: "JobCannon", ReplyTo: me.Email,
		Subject: "You're invited to JobCannon for iCIMS", Text: text, HTML: body,
	}); err != nil {
		h.Log.ErrorContext(ctx, "send admin invitation", "customer_id", tenant.CustomerID, "err", err)
		return h.renderAdmins(c, http.StatusServiceUnavailable, email, "The invitation e-mail could not be sent. Please try again in a minute.")
	}
	h.flash(c, "Invitation sent to "+email+".")
	return c.Redirect(http.StatusSeeOther, routes.AdminList())
}

func inviteForm(token, email string) views.AccountForm {
	return views.AccountForm{
		Action: routes.AdminInviteAccept(token), Heading: "Join JobCannon for iCIMS",
		Intro: "Choose a password to finish setting up your admin account.", Email: email, FixEmail: true,
	}
}

// AdminInviteShow is the page an invitation link opens.
func (h *Admin) AdminInviteShow(c echo.Context) error {
	inv, err := h.Accounts.PendingInvite(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.AdminAccount(h.Page(c, "Join JobCannon"), inviteForm(c.Param("token"), inv.Email)))
}

// AdminInviteAccept creates the invited admin and signs them in.
func (h *Admin) AdminInviteAccept(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	inv, err := h.Accounts.PendingInvite(ctx, token)
	if err != nil {
		return err
	}
	in := assessments.AccountInput{Email: inv.Email, Name: c.FormValue("name"), Password: c.FormValue("password")}
	if errs := in.Validate(); len(errs) > 0 {
		form := inviteForm(token, inv.Email)
		form.Name, form.Errors = in.Name, errs
		return Render(c, http.StatusUnprocessableEntity, views.AdminAccount(h.Page(c, "Join JobCannon"), form))
	}
	admin, err := h.Accounts.AcceptInvite(ctx, token, in)
	if err != nil {
		return err
	}
	if err := h.signIn(c, admin); err != nil {
		return err
	}
	h.flash(c, "Welcome! You are now an admin of this account.")
	return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
}
