package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// installCookie is the cookie that binds an install to the browser that
// started it, and the path it is sent to. Over https it is __Host- (path /),
// so that no sibling subdomain can plant one and sign a victim into an
// install that an attacker started.
func (h *Install) installCookie() (name, path string) {
	if h.secureCookies() {
		return "__Host-jc_install", "/"
	}
	return "jc_install", routes.InstallCallback()
}

// InstallBegin is where the iCIMS Marketplace sends an admin who clicked
// Install: GET /oauth/authorize?customer_id=ID. iCIMS does not say where
// the customer is hosted, so the admin confirms the region first (the
// page submits back here with region=us|eu); only then does the browser go
// to iCIMS with the customer's id.
func (h *Install) InstallBegin(c echo.Context) error {
	if h.Installer == nil {
		return h.installProblem(c, &assessments.InstallError{Reason: assessments.InstallBadRequest,
			Title:  "The Marketplace install is not set up on this server",
			Detail: "This JobCannon server has no iCIMS Marketplace app configured.",
			Fix:    "Operators: set JOBCANNON_ICIMS_CLIENT_ID, JOBCANNON_ICIMS_CLIENT_SECRET and JOBCANNON_ICIMS_AUTHORIZE_URL, or run with --sandbox."})
	}
	customerID := canonicalOrRaw(c.QueryParam("customer_id"))
	if err := assessments.CheckInstallCustomer(customerID); err != nil {
		return h.installProblem(c, err)
	}
	askRegion := func(status int, problem string) error {
		return Render(c, status, views.InstallRegion(h.Page(c, "Where is your iCIMS hosted?"), customerID, problem))
	}
	typed := c.QueryParam("region")
	if typed == "" {
		if c.QueryParam("asked") != "" {
			return askRegion(http.StatusUnprocessableEntity, "Choose US or EU.")
		}
		return askRegion(http.StatusOK, "")
	}
	region, err := assessments.ParseRegion(typed)
	if err != nil {
		return askRegion(http.StatusUnprocessableEntity, assessments.ErrorMessage(err))
	}
	start, err := h.Installer.Begin(c.Request().Context(), customerID, region)
	if err != nil {
		return h.installProblem(c, err)
	}
	name, path := h.installCookie()
	c.SetCookie(&http.Cookie{
		Name: name, Value: start.BrowserSecret, Path: path,
		MaxAge: int(assessments.InstallStateTTL / time.Second), HttpOnly: true, Secure: h.secureCookies(),
		// Lax: the callback is a top-level navigation back from iCIMS.
		SameSite: http.SameSiteLaxMode,
	})
	return c.Redirect(http.StatusFound, start.RedirectURL)
}

// installProblem renders an *assessments.InstallError as a page that says
// what happened and what to do; other errors go to the error handler.
func (h *Install) installProblem(c echo.Context, err error) error {
	var ie *assessments.InstallError
	if !errors.As(err, &ie) {
		return err
	}
	h.Log.WarnContext(c.Request().Context(), "install failed", "reason", ie.Reason, "customer_id", ie.CustomerID, "err", ie.Err)
	retry := ""
	if ie.Retry && assessments.ValidCustomerID(ie.CustomerID) {
		retry = routes.InstallBegin() + "?customer_id=" + ie.CustomerID
	}
	return Render(c, http.StatusBadRequest, views.InstallProblem(h.Page(c, ie.Title), ie.Title, ie.Detail, ie.Fix, retry))
}
