package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ConnectionShow shows the tenant's connection and the classic form.
func (h *Admin) ConnectionShow(c echo.Context) error {
	t := CurrentTenant(c)
	form := views.ConnectionForm{Mode: string(assessments.AuthBasic), Region: string(t.Region)}
	if t.AuthMode != assessments.AuthOAuth && t.AuthMode != "" {
		form.Mode = string(t.AuthMode)
	}
	return Render(c, http.StatusOK, views.AdminConnection(h.AdminPage(c, "Connection"), t, form, h.popFlash(c)))
}

// ConnectionSave connects the tenant with credentials iCIMS issued. It
// tests them with one real call first and saves only what works, so a
// typo never replaces a working connection.
func (h *Admin) ConnectionSave(c echo.Context) error {
	ctx := c.Request().Context()
	t := CurrentTenant(c)
	form := views.ConnectionForm{
		Mode: c.FormValue("mode"), Region: c.FormValue("region"),
		Username: strings.TrimSpace(c.FormValue("username")), HMACUser: strings.TrimSpace(c.FormValue("hmac_user")),
		ClientID: strings.TrimSpace(c.FormValue("client_id")),
	}
	render := func(status int) error {
		return Render(c, status, views.AdminConnection(h.AdminPage(c, "Connection"), t, form, ""))
	}
	// Every problem is found before any is shown, so one round trip fixes
	// them all.
	var problems []assessments.FieldProblem
	mode, err := assessments.ParseAuthMode(form.Mode)
	if err != nil || mode == assessments.AuthOAuth {
		problems = append(problems, assessments.FieldProblem{Field: "mode", Message: "Choose how iCIMS issued the credentials."})
	}
	region, err := assessments.ParseRegion(form.Region)
	if err == nil {
		err = assessments.CheckRegionChange(t, region)
	}
	if err != nil {
		problems = append(problems, assessments.FieldProblem{Field: "region", Message: assessments.ErrorMessage(err)})
	}
	conn := assessments.Connection{
		CustomerID: t.CustomerID, Region: region, APIURL: t.APIURL, AuthMode: mode,
		Credentials: assessments.Credentials{
			Username: form.Username, Password: c.FormValue("password"),
			HMACUser: form.HMACUser, HMACKey: c.FormValue("hmac_key"),
			ClientID: form.ClientID, ClientSecret: c.FormValue("client_secret"),
		},
	}
	problems = append(problems, conn.Credentials.CredentialProblems(mode)...)
	if len(problems) > 0 {
		form.Problems = problems
		form.Errors = map[string]string{}
		for _, p := range problems {
			form.Errors[p.Field] = p.Message
		}
		return render(http.StatusUnprocessableEntity)
	}
	if err := conn.Validate(); err != nil {
		form.Error = assessments.ErrorMessage(err)
		return render(http.StatusUnprocessableEntity)
	}
	candidate := t
	candidate.AuthMode, candidate.Region = mode, region
	check := h.Connector.TestWith(ctx, candidate, conn.Credentials)
	if !check.OK {
		form.Error = "Not saved: " + check.Summary + " " + check.Fix
		return render(http.StatusUnprocessableEntity)
	}
	if _, err := h.Tenants.Connect(ctx, conn); err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "connection changed", "customer_id", t.CustomerID, "mode", mode, "admin_id", CurrentAdmin(c).ID)
	h.flash(c, "Saved. "+check.Summary)
	return c.Redirect(http.StatusSeeOther, routes.ConnectionShow())
}

// CompanyRename sets the company name candidates see.
func (h *Admin) CompanyRename(c echo.Context) error {
	t := CurrentTenant(c)
	err := h.Tenants.SetName(c.Request().Context(), t.ID, c.FormValue("company"))
	if assessments.ErrorCode(err) == assessments.EINVALID {
		form := views.ConnectionForm{Mode: string(t.AuthMode), Region: string(t.Region),
			Errors: map[string]string{"company": assessments.ErrorMessage(err)}}
		return Render(c, http.StatusUnprocessableEntity, views.AdminConnection(h.AdminPage(c, "Connection"), t, form, ""))
	} else if err != nil {
		return err
	}
	h.flash(c, "Company name saved.")
	return c.Redirect(http.StatusSeeOther, routes.ConnectionShow())
}
