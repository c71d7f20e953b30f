package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// InvitationCancel withdraws the invitation with the admin's reason: the
// candidate's link then shows the cancelled page.
func (h *Invitations) InvitationCancel(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if _, err := h.Lifecycle.Cancel(ctx, inv.TenantID, inv.ID, reason, CurrentAdmin(c).Email); err != nil {
		return h.invitationActionFailed(c, inv, "cancel", err, views.InvitationView{Reason: reason})
	}
	h.Log.InfoContext(ctx, "invitation cancelled", "tenant", inv.TenantID, "invitation_id", inv.ID)
	h.flash(c, "Cancelled. The candidate's link now says the assessment is no longer needed.")
	return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
}
