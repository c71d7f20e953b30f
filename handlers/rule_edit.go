package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// RuleNew shows the form for a new rule.
func (h *Rules) RuleNew(c echo.Context) error {
	v, err := h.ruleFormView(c.Request().Context(), c, assessments.Rule{Enabled: true})
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.RuleEdit(h.AdminPage(c, "New trigger rule"), v))
}

// RuleEdit shows a rule's form, its problems and its audit trail.
func (h *Rules) RuleEdit(c echo.Context) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	v, err := h.ruleFormView(c.Request().Context(), c, r)
	if err != nil {
		return err
	}
	v.Flash = h.popFlash(c)
	return Render(c, http.StatusOK, views.RuleEdit(h.AdminPage(c, r.Name), v))
}
