package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// InvitationResend queues the invitation e-mail again, with the same link.
func (h *Invitations) InvitationResend(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	if _, err := h.Lifecycle.Resend(ctx, inv.TenantID, inv.ID, CurrentAdmin(c).Email); err != nil {
		return h.invitationActionFailed(c, inv, "resend", err, views.InvitationView{})
	}
	h.Log.InfoContext(ctx, "invitation resend queued", "tenant", inv.TenantID, "invitation_id", inv.ID)
	h.flash(c, "The invitation is being sent again to "+inv.CandidateEmail+", with the same link.")
	return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
}
