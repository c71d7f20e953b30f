package handlers

import (
	"net/http"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/labstack/echo/v4"
)

// TemplateReset deletes the tenant's template: the default applies again.
func (h *Invitations) TemplateReset(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.EmailTemplates.ResetTemplate(ctx, TenantID(c)); err != nil {
		return err
	}
	h.Sessions.Remove(ctx, sessionPreview)
	h.Log.InfoContext(ctx, "email template reset", "tenant", TenantID(c))
	h.flash(c, "Back to the default invitation e-mail.")
	return c.Redirect(http.StatusSeeOther, routes.TemplateShow())
}
