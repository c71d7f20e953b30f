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
// chosen day in the tenant's time zone; the expiry is rescheduled with it.
func (h *Invitations) InvitationExtend(c echo.Context) error {
	ctx := c.Request().Context()
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(c.FormValue("until"))
	v := views.InvitationView{ExtendDate: typed}
	zone := CurrentTenant(c).Location()
	day, err := time.ParseInLocation(dateLayout, typed, zone)
	if err != nil {
		return h.invitationActionFailed(c, inv, "extend",
			assessments.Errorf(assessments.EINVALID, "Choose the new deadline, as a date."), v)
	}
	extended, err := h.Lifecycle.Extend(ctx, inv.TenantID, inv.ID, assessments.EndOfDay(day))
	if err != nil {
		return h.invitationActionFailed(c, inv, "extend", err, v)
	}
	h.Log.InfoContext(ctx, "invitation extended", "tenant", inv.TenantID, "invitation_id", inv.ID)
	h.flash(c, "Extended to "+assessments.FormatDeadlineIn(extended.ExpiresAt, zone)+".")
	return c.Redirect(http.StatusSeeOther, routes.InvitationShow(inv.ID))
}
