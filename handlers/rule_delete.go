package handlers

import (
	"net/http"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/labstack/echo/v4"
)

// RuleDelete deletes a rule; its audit trail stays.
func (h *Rules) RuleDelete(c echo.Context) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	if err := h.Rules.DeleteRule(c.Request().Context(), actor(c), r.TenantID, r.ID); err != nil {
		return err
	}
	h.flash(c, "Rule “"+r.Name+"” deleted.")
	return c.Redirect(http.StatusSeeOther, routes.RuleList())
}
