package handlers

import (
	"net/http"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/labstack/echo/v4"
)

// RuleMove moves a rule one place up or down in the order rules are tried.
func (h *Rules) RuleMove(c echo.Context) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	delta := 1
	if c.FormValue("direction") == "up" {
		delta = -1
	}
	if err := h.Rules.MoveRule(c.Request().Context(), actor(c), r.TenantID, r.ID, delta); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, routes.RuleList())
}
