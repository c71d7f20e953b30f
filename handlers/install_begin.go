package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// installCookie binds an install to the browser that started it.
const installCookie = "jc_install"

// InstallBegin is where the iCIMS Marketplace sends an admin who clicked
// Install: GET /oauth/authorize?customer_id=ID[&region=eu].
func (h *Handlers) InstallBegin(c echo.Context) error {
	if h.Installer == nil {
		return h.installProblem(c, &assessments.InstallError{Reason: assessments.InstallBadRequest,
			Title:  "The Marketplace install is not set up on this server",
			Detail: "This JobCannon server has no iCIMS Marketplace app configured.",
			Fix:    "Operators: set JOBCANNON_ICIMS_CLIENT_ID, JOBCANNON_ICIMS_CLIENT_SECRET and JOBCANNON_ICIMS_AUTHORIZE_URL, or run with --sandbox."})
	}
	region, err := assessments.ParseRegion(c.QueryParam("region"))
	if err != nil {
		return h.installProblem(c, &assessments.InstallError{Reason: assessments.InstallBadRequest,
			Title: "The install link is incomplete", Detail: assessments.ErrorMessage(err),
			Fix: "Start the install again from the JobCannon listing in the iCIMS Marketplace."})
	}
	start, err := h.Installer.Begin(c.Request().Context(), canonicalOrRaw(c.QueryParam("customer_id")), region)
	if err != nil {
		return h.installProblem(c, err)
	}
	c.SetCookie(&http.Cookie{
		Name: installCookie, Value: start.BrowserSecret, Path: "/icims/oauth-callback",
		MaxAge: int(assessments.InstallStateTTL / time.Second), HttpOnly: true, Secure: h.secureCookies(),
		// Lax: the callback is a top-level navigation back from iCIMS.
		SameSite: http.SameSiteLaxMode,
	})
	return c.Redirect(http.StatusFound, start.RedirectURL)
}

// installProblem renders an *assessments.InstallError as a page that says
// what happened and what to do; other errors go to the error handler.
func (h *Handlers) installProblem(c echo.Context, err error) error {
	var ie *assessments.InstallError
	if !errors.As(err, &ie) {
		return err
	}
	h.Log.WarnContext(c.Request().Context(), "install failed", "reason", ie.Reason, "tenant", ie.CustomerID, "err", ie.Err)
	retry := ""
	if ie.Retry && assessments.ValidCustomerID(ie.CustomerID) {
		retry = "/oauth/authorize?customer_id=" + ie.CustomerID
	}
	return Render(c, http.StatusBadRequest, views.InstallProblem(h.Page(c, ie.Title), ie.Title, ie.Detail, ie.Fix, retry))
}
