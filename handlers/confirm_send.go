package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// ConfirmSend sends (or, with action=cancel, cancels) the assessment the
// recruiter chose, then shows the page again (POST-redirect-GET), which
// now says what happened. A link works once: a replay changes nothing.
func (h *Events) ConfirmSend(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	if c.FormValue("action") == "cancel" {
		if err := h.Confirmations.Cancel(ctx, token); err != nil {
			return h.confirmProblem(c, err)
		}
		return c.Redirect(http.StatusSeeOther, routes.ConfirmShow(token))
	}
	pkg, err := strconv.ParseInt(c.FormValue("package_id"), 10, 64)
	if err != nil {
		return h.confirmProblem(c, assessments.Errorf(assessments.EINVALID, "Choose the assessment to send."))
	}
	res, err := h.Confirmations.Send(ctx, token, pkg)
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		// Already sent or cancelled: the page says which.
		return c.Redirect(http.StatusSeeOther, routes.ConfirmShow(token))
	} else if err != nil {
		return h.confirmProblem(c, err)
	}
	for _, inv := range res.Created {
		h.Log.InfoContext(ctx, "recruiter confirmed", "tenant", inv.TenantID, "delivery_id", res.Delivery.ID, "invitation_id", inv.ID)
	}
	return c.Redirect(http.StatusSeeOther, routes.ConfirmShow(token))
}
