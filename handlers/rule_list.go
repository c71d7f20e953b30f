package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// RuleList shows the tenant's trigger rules in the order they are tried,
// each flagged when a status or package it names no longer exists.
func (h *Rules) RuleList(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	rules, err := h.Rules.Rules(ctx, t.ID)
	if err != nil {
		return err
	}
	packages, err := h.Catalog.Packages(ctx, t.ID)
	if err != nil {
		return err
	}
	v := views.RuleListView{Flash: h.popFlash(c), Packages: packages}
	v.Statuses, v.StatusNote = h.statuses(ctx, t)
	for _, r := range rules {
		v.Rows = append(v.Rows, views.RuleRow{Rule: r, Problems: r.Problems(v.Statuses, packages)})
	}
	return Render(c, http.StatusOK, views.RuleList(h.AdminPage(c, "Trigger rules"), v))
}
