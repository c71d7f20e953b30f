package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/views"
)

// TemplateSampleSend e-mails the editor's template, saved or not, with the
// sample data to the signed-in admin. It answers with the editor as typed
// rather than a redirect, which would lose unsaved text.
func (h *Invitations) TemplateSampleSend(c echo.Context) error {
	ctx := c.Request().Context()
	tenant, admin := CurrentTenant(c), CurrentAdmin(c)
	t := parseTemplateForm(c)
	_, custom, err := h.EmailTemplates.Template(ctx, tenant.ID)
	if err != nil {
		return err
	}
	f := h.templateForm(c, t, custom)
	if f.Problems = templateProblems(t); len(f.Problems) > 0 {
		f.Preview = views.TemplatePreviewView{Problems: f.Problems}
		return Render(c, http.StatusUnprocessableEntity, views.TemplateFormPage(h.AdminPage(c, "Invitation e-mail"), f))
	}
	data := h.sampleData(tenant)
	subject, html, text, err := mail.Render(t, data)
	if err != nil {
		return err
	}
	fromName := t.SenderName
	if fromName == "" {
		fromName = data.CompanyName
	}
	_, err = h.Mailer.Send(ctx, mail.Message{
		TenantID: tenant.ID, To: admin.Email, ToName: admin.Name, FromAddress: h.MailFrom, FromName: fromName,
		ReplyTo: t.ReplyTo, Subject: "[Test] " + subject, HTML: html, Text: text,
	})
	status := http.StatusOK
	if err != nil {
		h.Log.ErrorContext(ctx, "send test e-mail", "tenant", tenant.ID, "err", err)
		msg := "The test e-mail could not be sent: the mail server did not take it. Please try again in a minute."
		if assessments.ErrorCode(err) != assessments.EINTERNAL {
			msg = "The test e-mail could not be sent: " + assessments.ErrorMessage(err)
		}
		f.Problems = []assessments.Problem{{Field: "send", Message: msg}}
		status = http.StatusServiceUnavailable
	} else {
		f.Flash = "Test e-mail sent to " + admin.Email + "."
	}
	f.Preview = h.renderPreview(c, t)
	return Render(c, status, views.TemplateFormPage(h.AdminPage(c, "Invitation e-mail"), f))
}
