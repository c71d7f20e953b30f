package handlers

import (
	"net/http"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/labstack/echo/v4"
)

// RuleEnable switches a rule on or off.
func (h *Rules) RuleEnable(c echo.Context) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	on := c.FormValue("enabled") == "true"
	if err := h.Rules.SetRuleEnabled(c.Request().Context(), actor(c), r.TenantID, r.ID, on); err != nil {
		return err
	}
	if on {
		h.flash(c, "Rule “"+r.Name+"” is on.")
	} else {
		h.flash(c, "Rule “"+r.Name+"” is off: it sends nothing until switched on again.")
	}
	return c.Redirect(http.StatusSeeOther, routes.RuleList())
}
