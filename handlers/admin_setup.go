package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

func setupForm(company string) views.AccountForm {
	return views.AccountForm{
		Action:     routes.AdminSetup(),
		Heading:    "JobCannon is installed",
		Intro:      "One last step: name your company and create your admin account, so you can sign in to JobCannon directly next time.",
		AskCompany: true, Company: company,
	}
}

// AdminSetupShow is the end of the install: the installing admin creates
// their account.
func (h *Admin) AdminSetupShow(c echo.Context) error {
	ctx := c.Request().Context()
	if !h.Sessions.GetBool(ctx, sessionInstaller) {
		return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
	}
	tenant, err := h.Tenants.Tenant(ctx, h.Sessions.GetInt64(ctx, sessionTenant))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.AdminAccount(h.Page(c, "Create your admin account"), setupForm(tenant.Name)))
}

// AdminSetup creates the installing admin's account and signs them in.
func (h *Admin) AdminSetup(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := h.Sessions.GetInt64(ctx, sessionTenant)
	if !h.Sessions.GetBool(ctx, sessionInstaller) || tenantID == 0 {
		return c.Redirect(http.StatusSeeOther, routes.AdminLoginShow())
	}
	in := assessments.AccountInput{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password")}
	form := setupForm(c.FormValue("company"))
	form.Email, form.Name = in.Email, in.Name
	errs := in.Validate()
	company, err := assessments.CheckCompanyName(form.Company)
	if err != nil {
		errs["company"] = assessments.ErrorMessage(err)
	}
	if len(errs) > 0 {
		form.Errors = errs
		return Render(c, http.StatusUnprocessableEntity, views.AdminAccount(h.Page(c, "Create your admin account"), form))
	}
	admin, err := h.Accounts.CreateAdmin(ctx, tenantID, in)
	if assessments.ErrorCode(err) == assessments.ECONFLICT {
		form.Error = assessments.ErrorMessage(err) + " Sign in with that account instead, or use another address."
		return Render(c, http.StatusConflict, views.AdminAccount(h.Page(c, "Create your admin account"), form))
	} else if err != nil {
		return err
	}
	if err := h.Tenants.SetName(ctx, tenantID, company); err != nil {
		return err
	}
	if err := h.signIn(c, admin); err != nil {
		return err
	}
	h.flash(c, "Welcome! JobCannon is connected to your iCIMS account.")
	return c.Redirect(http.StatusSeeOther, routes.DashboardShow())
}
