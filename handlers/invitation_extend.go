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

// InvitationExtend moves the invitation's deadline to the end of the
// chosen day (UTC); the expiry is rescheduled with it.
func (h *Invitations) InvitationExtend(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(c.FormValue("until"))
	v := views.InvitationView{ExtendDate: typed}
	day, err := time.Parse(dateLayout, typed)
	if err != nil {
		return h.invitationActionFailed(c, inv, "extend",
			assessments.Errorf(assessments.EINVALID, "Choose the new deadline, as a date."), v)
	}
	extended, err := h.Lifecycle.Extend(ctx, inv.TenantID, inv.ID, assessments.EndOfDay(day))
	if err != nil {
		return h.invitationActionFailed(c, inv, "extend", err, v)
	}
	h.Log.InfoContext(ctx, "invitation extended", "tenant", inv.TenantID, "invitation_id", inv.ID)
	h.flash(c, "Extended to "+assessments.FormatDeadline(extended.ExpiresAt)+".")
	return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
}
