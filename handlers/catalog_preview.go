package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// The preview walks an admin through a package as a candidate sees it.
// Its forms only navigate (GET) and nothing is stored, so answers do not
// survive from one page to the next.

// previewSession builds the preview of the :id package.
func (h *Catalog) previewSession(c echo.Context) (assessments.Session, views.CandidateFrame, error) {
	pkg, err := h.packageParam(c)
	if err != nil {
		return assessments.Session{}, views.CandidateFrame{}, err
	}
	company := CurrentTenant(c).Name
	if company == "" {
		company = "Your company"
	}
	sess, err := h.Candidates.Preview(c.Request().Context(), TenantID(c), pkg.ID, company)
	if err != nil {
		return sess, views.CandidateFrame{}, err
	}
	f := views.CandidateFrame{
		Page: h.candidatePage(c, "Preview: "+pkg.Name), Company: company, Job: sess.Invitation.JobTitle,
		Preview: true, PackageID: pkg.ID,
	}
	// The admin previews what a candidate of this package reads: in the
	// package's language when one is set.
	f.Page.Lang = pkg.Language
	return sess, f, nil
}

// CatalogPreview shows the welcome page of a package.
func (h *Catalog) CatalogPreview(c echo.Context) error {
	sess, f, err := h.previewSession(c)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.CandidateWelcome(f, welcomeView(sess, f.Page.HTMLLang())))
}

// CatalogPreviewStep shows one step, or, when a button was pressed, checks
// the page as the candidate's would be checked and moves on.
func (h *Catalog) CatalogPreviewStep(c echo.Context) error {
	sess, f, err := h.previewSession(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 0 || n >= sess.ReviewStep() {
		return c.Redirect(http.StatusSeeOther, f.ReviewURL())
	}
	v := stepView(sess, n, h.Clock.Now(), f.Page.HTMLLang())
	v.MarkBlank = c.QueryParam(blankQuery) != ""
	f.Page.Title = "Preview: " + stepTitle(f, v)
	if c.QueryParam("nav") == "" {
		return Render(c, http.StatusOK, views.CandidateStep(f, v))
	}
	out, err := h.Candidates.SavePreviewStep(c.Request().Context(), sess, n, c.QueryParam, navOf(c))
	if err != nil {
		return err
	}
	if len(out.Problems) > 0 {
		return Render(c, http.StatusUnprocessableEntity, views.CandidateStep(f, withProblems(v, out)))
	}
	return c.Redirect(http.StatusSeeOther, stepTarget(f, sess, out.Next))
}

// CatalogPreviewReview shows the review page.
func (h *Catalog) CatalogPreviewReview(c echo.Context) error {
	sess, f, err := h.previewSession(c)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.CandidateReview(f, reviewView(f, sess, h.Clock.Now())))
}

// CatalogPreviewDone shows the thank-you page.
func (h *Catalog) CatalogPreviewDone(c echo.Context) error {
	_, f, err := h.previewSession(c)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.CandidateLinkPage(f, views.LinkView{State: assessments.LinkCompleted}))
}
