package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// TemplateSave validates and saves the tenant's template; problems show
// the form again, as typed, each message next to its field.
func (h *Invitations) TemplateSave(c echo.Context) error {
	ctx := c.Request().Context()
	t := parseTemplateForm(c)
	problems := templateProblems(t)
	if len(problems) == 0 {
		err := h.EmailTemplates.SaveTemplate(ctx, TenantID(c), CurrentAdmin(c).ID, t)
		switch assessments.ErrorCode(err) {
		case "":
			h.Log.InfoContext(ctx, "email template saved", "tenant", TenantID(c))
			// The flash rides in the URL, not the session: the editor's
			// preview posts (on every change, and on the blur of this very
			// click) write the session concurrently, and the last write
			// would drop a flash put there.
			return c.Redirect(http.StatusSeeOther, routes.TemplateShow()+"?saved=1")
		case assessments.EINVALID:
			problems = []assessments.Problem{{Field: "body", Message: assessments.ErrorMessage(err)}}
		default:
			return err
		}
	}
	_, custom, err := h.EmailTemplates.Template(ctx, TenantID(c))
	if err != nil {
		return err
	}
	f := h.templateForm(c, t, custom)
	f.Problems = problems
	f.Preview = views.TemplatePreviewView{Problems: problems}
	return Render(c, http.StatusUnprocessableEntity, views.TemplateFormPage(h.AdminPage(c, "Invitation e-mail"), f))
}
