package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/mail"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// TemplateStore keeps each tenant's invitation e-mail template;
// *sqlite.EmailTemplateStore is one.
type TemplateStore interface {
	// Template returns the tenant's template and true, or the default and
	// false.
	Template(ctx context.Context, tenantID int64) (mail.Template, bool, error)
	SaveTemplate(ctx context.Context, tenantID, adminID int64, t mail.Template) error
	ResetTemplate(ctx context.Context, tenantID int64) error
}

// sessionPreview keeps the last rendered preview, which the preview frame
// loads from its own URL (see TemplatePreviewFrame).
const sessionPreview = "email_preview"

// parseTemplateForm reads the editor's fields as typed.
func parseTemplateForm(c echo.Context) mail.Template {
	return mail.Template{
		Subject:    strings.TrimSpace(c.FormValue("subject")),
		Body:       c.FormValue("body"),
		SenderName: strings.TrimSpace(c.FormValue("sender_name")),
		ReplyTo:    strings.TrimSpace(c.FormValue("reply_to")),
		LogoURL:    strings.TrimSpace(c.FormValue("logo_url")),
		BrandColor: strings.TrimSpace(c.FormValue("brand_color")),
	}
}

// templateProblems lists what is wrong with t, field by field, so each
// message shows next to its field. mail.Validate is the one set of rules:
// it is asked about each field alone, with valid values everywhere else.
func templateProblems(t mail.Template) []assessments.Problem {
	valid := func(change func(*mail.Template)) mail.Template {
		v := mail.Template{Subject: "Subject", Body: "{{" + mail.PlaceholderAssessmentLink + "}}"}
		change(&v)
		return v
	}
	checks := []struct {
		field string
		t     mail.Template
	}{
		{"subject", valid(func(v *mail.Template) { v.Subject = t.Subject })},
		{"body", valid(func(v *mail.Template) { v.Body = t.Body })},
		{"sender_name", valid(func(v *mail.Template) { v.SenderName = t.SenderName })},
		{"reply_to", valid(func(v *mail.Template) { v.ReplyTo = t.ReplyTo })},
		{"logo_url", valid(func(v *mail.Template) { v.LogoURL = t.LogoURL })},
		{"brand_color", valid(func(v *mail.Template) { v.BrandColor = t.BrandColor })},
	}
	var out []assessments.Problem
	for _, c := range checks {
		if err := mail.Validate(c.t); err != nil {
			out = append(out, assessments.Problem{Field: c.field, Message: assessments.ErrorMessage(err)})
		}
	}
	if len(out) == 0 {
		// Every field is fine alone; make sure the whole is too.
		if err := mail.Validate(t); err != nil {
			out = append(out, assessments.Problem{Field: "body", Message: assessments.ErrorMessage(err)})
		}
	}
	return out
}

// sampleData fills a template for previews and test e-mails: an invented
// candidate, the tenant's name, and a link that opens no assessment.
func (h *Invitations) sampleData(tenant assessments.Tenant) mail.Data {
	company := tenant.Name
	if company == "" {
		company = "Example Company"
	}
	return mail.Data{
		CandidateFirstName: "Alex", CandidateLastName: "Example", JobTitle: "Customer Success Manager",
		CompanyName: company, AssessmentName: "Work personality",
		AssessmentLink:   h.link(routes.CandidateShow("sample")),
		Deadline:         h.Clock.Now().Add(time.Duration(assessments.DefaultExpiryDays) * 24 * time.Hour),
		EstimatedMinutes: 20, BaseURL: h.BaseURL.String(),
	}
}

// renderPreview renders t with the sample data and keeps the HTML in the
// session for the preview frame.
func (h *Invitations) renderPreview(c echo.Context, t mail.Template) views.TemplatePreviewView {
	if problems := templateProblems(t); len(problems) > 0 {
		return views.TemplatePreviewView{Problems: problems}
	}
	subject, html, text, err := mail.Render(t, h.sampleData(CurrentTenant(c)))
	if err != nil {
		return views.TemplatePreviewView{Problems: []assessments.Problem{{Field: "body", Message: assessments.ErrorMessage(err)}}}
	}
	h.Sessions.Put(c.Request().Context(), sessionPreview, html)
	sum := sha256.Sum256([]byte(html))
	// The hash in the URL makes the frame load again when the HTML changed.
	frame := routes.TemplatePreviewFrame() + "?" + url.Values{"v": {hex.EncodeToString(sum[:6])}}.Encode()
	return views.TemplatePreviewView{Subject: subject, FrameURL: frame, Text: text}
}

// templateForm fills the editor from a template.
func (h *Invitations) templateForm(c echo.Context, t mail.Template, custom bool) views.TemplateForm {
	return views.TemplateForm{
		Subject: t.Subject, Body: t.Body, SenderName: t.SenderName, ReplyTo: t.ReplyTo, LogoURL: t.LogoURL,
		BrandColor: t.BrandColor, Custom: custom, Placeholders: mail.Placeholders(), AdminEmail: CurrentAdmin(c).Email,
	}
}
