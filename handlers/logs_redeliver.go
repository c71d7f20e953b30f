package handlers

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// LogsRedeliverConfirm says what redelivering an inbound event would do,
// warns when the candidate already completed, and asks first.
func (h *Logs) LogsRedeliverConfirm(c echo.Context) error {
	id, err := deliveryID(c)
	if err != nil {
		return err
	}
	plan, err := h.Logs.PlanRedeliver(c.Request().Context(), TenantID(c), id)
	if assessments.ErrorCode(err) == assessments.EINVALID {
		h.flash(c, "Not redelivered: "+assessments.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, routes.LogsShow(id))
	} else if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.RedeliverConfirm(h.AdminPage(c, "Redeliver"), views.RedeliverConfirmView{Plan: plan, Zone: CurrentTenant(c).Location()}))
}

// LogsRedeliver replays an inbound event through the intake ("Redeliver")
// and shows the new delivery it made. When the candidate already completed
// and "Invite again anyway" was not chosen, it replays nothing and asks
// again.
func (h *Logs) LogsRedeliver(c echo.Context) error {
	id, err := deliveryID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	admin := CurrentAdmin(c)
	inviteAgain := c.FormValue("invite_again") == "yes"
	d, answer, err := h.Logs.Redeliver(ctx, CurrentTenant(c), id, assessments.Actor{AdminID: admin.ID, Email: admin.Email}, inviteAgain)
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		plan, perr := h.Logs.PlanRedeliver(ctx, TenantID(c), id)
		if perr != nil {
			return perr
		}
		return Render(c, http.StatusConflict, views.RedeliverConfirm(h.AdminPage(c, "Redeliver"),
			views.RedeliverConfirmView{Plan: plan, Zone: CurrentTenant(c).Location(), Error: "Nothing was redelivered. " + assessments.ErrorMessage(err)}))
	} else if assessments.ErrorCode(err) == assessments.EINVALID {
		h.flash(c, "Not redelivered: "+assessments.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, routes.LogsShow(id))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "event redelivered", slog.Int64("tenant", TenantID(c)), slog.Int64("delivery_id", id),
		slog.Int64("redelivery_id", d.ID), slog.Int("status_code", answer.Status))
	h.flash(c, fmt.Sprintf("Redelivered as delivery %d. JobCannon answered %d: %s", d.ID, answer.Status, redeliveryOutcome(d, answer)))
	return c.Redirect(http.StatusSeeOther, routes.LogsShow(d.ID))
}

// redeliveryOutcome says in a few words what the replay decided.
func redeliveryOutcome(d assessments.Delivery, a assessments.EventAnswer) string {
	switch {
	case d.Status == assessments.DeliveryDuplicate:
		return assessments.DuplicateInvitationMessage + " Nothing was sent again."
	case d.Status == assessments.DeliveryIgnored:
		return "no rule matched, so nothing was sent."
	case a.Status == http.StatusSeeOther:
		return "the rule asks the recruiter to confirm; the recruiter does that from iCIMS."
	case a.Status >= 400:
		return a.UserMessage
	}
	return "the event is being processed; this page shows the outcome in a moment."
}
