package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// InvitationResendConfirm says what a resend does and asks for it. Its form
// carries a one-time token, so a double submit sends one e-mail.
func (h *Invitations) InvitationResendConfirm(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	if err := assessments.CheckResend(inv); err != nil {
		return h.invitationActionFailed(c, inv, "resend", err, views.InvitationView{})
	}
	token, err := h.Lifecycle.ResendToken(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.ResendConfirm(h.AdminPage(c, "Send the invitation again"),
		views.ResendConfirmView{Invitation: inv, Seen: token, Zone: CurrentTenant(c).Location()}))
}

// InvitationResend queues the invitation e-mail again, with the same link.
// A form submitted again after its resend was made sends nothing and says
// so; a post without the confirmation page's token is only held to the
// resend interval.
func (h *Invitations) InvitationResend(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	if token := c.FormValue("seen"); token != "" {
		_, sentAt, err := h.Lifecycle.ResendOnce(ctx, inv.TenantID, inv.ID, CurrentAdmin(c).Email, token)
		if err != nil {
			return h.invitationActionFailed(c, inv, "resend", err, views.InvitationView{})
		}
		if !sentAt.IsZero() {
			h.Log.InfoContext(ctx, "invitation resend submitted twice", "tenant", inv.TenantID, "invitation_id", inv.ID)
			h.flash(c, "The invitation was already sent again at "+sentAt.In(CurrentTenant(c).Location()).Format("15:04 MST")+"; this second submit sent nothing.")
			return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
		}
	} else if _, err := h.Lifecycle.Resend(ctx, inv.TenantID, inv.ID, CurrentAdmin(c).Email); err != nil {
		return h.invitationActionFailed(c, inv, "resend", err, views.InvitationView{})
	}
	h.Log.InfoContext(ctx, "invitation resend queued", "tenant", inv.TenantID, "invitation_id", inv.ID)
	h.flash(c, "The invitation is being sent again to "+inv.CandidateEmail+", with the same link.")
	return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
}
