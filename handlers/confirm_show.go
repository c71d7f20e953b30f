package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ConfirmShow is the recruiter's confirm page, reached by iCIMS's 303: the
// signed link is the credential (no login), and the page shows the
// candidate and job as iCIMS has them now, with the package to send.
func (h *Events) ConfirmShow(c echo.Context) error {
	cf, err := h.Confirmations.Load(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.confirmProblem(c, err)
	}
	return Render(c, http.StatusOK, views.ConfirmPage(h.confirmPage(c), h.confirmView(c, cf)))
}

func (h *Events) confirmPage(c echo.Context) views.Page {
	p := h.Page(c, "Send an assessment")
	p.Current = "" // the path holds the signed token
	return p
}

func (h *Events) confirmView(c echo.Context, cf assessments.Confirmation) views.ConfirmView {
	return views.ConfirmView{Action: routes.ConfirmSend(c.Param("token")), C: cf}
}

// confirmProblem answers with a page (not iCIMS's JSON: a person reads
// it): links that are bad, expired or already used explain themselves.
func (h *Events) confirmProblem(c echo.Context, err error) error {
	status := http.StatusInternalServerError
	switch assessments.ErrorCode(err) {
	case assessments.ENOTFOUND:
		status = http.StatusNotFound
	case assessments.EFORBIDDEN:
		status = http.StatusGone
	case assessments.EINVALID:
		status = http.StatusBadRequest
	case assessments.ECONFLICT:
		status = http.StatusConflict
	case assessments.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	default:
		h.Log.ErrorContext(c.Request().Context(), "confirm page", "err", err, "status_code", status)
	}
	return Render(c, status, views.ConfirmProblem(h.confirmPage(c), assessments.ErrorMessage(err)))
}

// ConfirmCSRFError answers a confirm form posted without its CSRF token.
func (h *Events) ConfirmCSRFError(err error, c echo.Context) error {
	h.Log.WarnContext(c.Request().Context(), "confirm page: csrf refused", "err", err)
	return Render(c, http.StatusForbidden, views.ConfirmProblem(h.confirmPage(c),
		"This form has expired or did not come from this page. Open the link from iCIMS again."))
}
