package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// CatalogCreate saves a new package.
func (h *Catalog) CatalogCreate(c echo.Context) error {
	return h.catalogSave(c, 0)
}

// CatalogUpdate saves changes to a package.
func (h *Catalog) CatalogUpdate(c echo.Context) error {
	pkg, err := h.packageParam(c)
	if err != nil {
		return err
	}
	return h.catalogSave(c, pkg.ID)
}

// catalogSave validates the form, saves the package and goes back to the
// list; problems show the form again as it was sent.
func (h *Catalog) catalogSave(c echo.Context, id int64) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	pkg, f, problems := h.parseCatalogForm(c, tenantID, id)
	if len(problems) == 0 {
		problems = pkg.Problems(h.Library)
	}
	var note string
	if len(problems) == 0 {
		problems, note = h.checkScorecard(c, pkg) // scorecard_check.go: the mapped fields exist in iCIMS
	}
	if len(problems) == 0 {
		saved, err := h.Catalog.SavePackage(ctx, h.Library, pkg)
		switch assessments.ErrorCode(err) {
		case "":
			h.Log.InfoContext(ctx, "package saved", slog.Int64("tenant", tenantID), slog.Int64("package_id", saved.ID))
			h.flash(c, "Saved “"+saved.Name+"”."+note)
			return c.Redirect(http.StatusSeeOther, routes.CatalogList())
		case assessments.ECONFLICT, assessments.EINVALID:
			problems = []assessments.Problem{{Field: "name", Message: assessments.ErrorMessage(err)}}
		default:
			return err
		}
	}
	f.Problems = problems
	title := "New package"
	if id != 0 {
		title = "Edit package"
	}
	return Render(c, http.StatusUnprocessableEntity, views.CatalogFormPage(h.AdminPage(c, title), f))
}
