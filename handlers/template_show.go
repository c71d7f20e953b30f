package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/views"
)

// TemplateShow opens the invitation e-mail editor on the tenant's template
// (or the default), with its preview.
func (h *Invitations) TemplateShow(c echo.Context) error {
	t, custom, err := h.EmailTemplates.Template(c.Request().Context(), TenantID(c))
	if err != nil {
		return err
	}
	f := h.templateForm(c, t, custom)
	f.Flash = h.popFlash(c)
	if c.QueryParam("saved") != "" {
		f.Flash = "Saved. New invitations use this e-mail."
	}
	f.Preview = h.renderPreview(c, t)
	return Render(c, http.StatusOK, views.TemplateFormPage(h.AdminPage(c, "Invitation e-mail"), f))
}
