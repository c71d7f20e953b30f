package handlers

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// CatalogAccommodationResolve closes a request, granting the extra time
// entered (zero for none).
func (h *Catalog) CatalogAccommodationResolve(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessments.Errorf(assessments.ENOTFOUND, "Accommodation request not found.")
	}
	extra, ok := parseInt(c.FormValue("extra_minutes"), 0)
	if !ok {
		err = assessments.Errorf(assessments.EINVALID, "Enter the extra time as a whole number of minutes.")
	} else {
		err = h.Invitations.ResolveAccommodation(ctx, tenantID, id, extra)
	}
	switch assessments.ErrorCode(err) {
	case "":
		h.Log.InfoContext(ctx, "accommodation resolved", slog.Int64("tenant", tenantID), slog.Int("extra_minutes", extra))
		h.flash(c, "Request closed.")
		return c.Redirect(http.StatusSeeOther, routes.CatalogAccommodationList())
	case assessments.EINVALID, assessments.ECONFLICT:
		reqs, lerr := h.Invitations.AccommodationRequests(ctx, tenantID)
		if lerr != nil {
			return lerr
		}
		p := h.AdminPage(c, "Accommodation requests")
		return Render(c, http.StatusUnprocessableEntity, views.CatalogAccommodations(p, reqs, "", assessments.ErrorMessage(err)))
	}
	return err
}
