package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ApplyWait follows an application while its iCIMS steps run and sends
// the applicant into the assessment once its invitation exists. The page
// refreshes itself through the Refresh header, so it needs no script.
func (h *Apply) ApplyWait(c echo.Context) error {
	ctx := c.Request().Context()
	wait := c.Param("wait")
	if !assessments.WellFormedToken(wait) {
		return assessments.Errorf(assessments.ENOTFOUND, "This page does not exist.")
	}
	app, err := h.Store.ApplicationByWait(ctx, assessments.HashToken(wait))
	if err != nil {
		return err
	}
	if app.InvitationID != 0 {
		token, err := h.CandidateLink(ctx, app.TenantID, app.InvitationID)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, routes.CandidateShow(token))
	}
	page := h.applyPage(c, "Your application")
	if app.Step == assessments.ApplyStepFailed {
		return Render(c, http.StatusOK, views.ApplyNoticePage(page, views.ApplyNotice{Heading: "We could not finish your application",
			Message: "Your details are saved, but the employer's system did not accept them yet. The employer has been told; you will get an e-mail if you need to do anything."}))
	}
	c.Response().Header().Set("Refresh", "2")
	return Render(c, http.StatusOK, views.ApplyNoticePage(page, views.ApplyNotice{Heading: "Setting up your assessment",
		Message: "Thank you. We are adding your application to the job; this takes a few seconds. This page moves on by itself, and we also e-mail you the link.",
		Next:    routes.ApplyWait(wait), NextLabel: "Continue"}))
}
