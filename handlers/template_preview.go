package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/views"
)

// TemplatePreview renders the editor's fields as they are (saved or not)
// and answers the preview area: htmx posts the form here on every change.
func (h *Invitations) TemplatePreview(c echo.Context) error {
	v := h.renderPreview(c, parseTemplateForm(c))
	return Render(c, http.StatusOK, views.TemplatePreview(v))
}

// TemplatePreviewFrame serves the last preview's HTML to the preview frame
// (the saved template's when there is none), under a policy that forbids
// scripts: the e-mail's inline styles need a policy of their own, which a
// srcdoc frame would not get.
func (h *Invitations) TemplatePreviewFrame(c echo.Context) error {
	ctx := c.Request().Context()
	html := h.Sessions.GetString(ctx, sessionPreview)
	if html == "" {
		t, _, err := h.EmailTemplates.Template(ctx, TenantID(c))
		if err != nil {
			return err
		}
		_, rendered, _, err := mail.Render(t, h.sampleData(CurrentTenant(c)))
		if err != nil {
			_, rendered, _, err = mail.Render(mail.DefaultTemplate(), h.sampleData(CurrentTenant(c)))
			if err != nil {
				return err
			}
		}
		html = rendered
	}
	return serveMailHTML(c, html)
}
