package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// LogsShow shows one delivery of the tenant with its attempts, secrets
// redacted. Another tenant's delivery is not found.
func (h *Logs) LogsShow(c echo.Context) error {
	id, err := deliveryID(c)
	if err != nil {
		return err
	}
	d, err := h.Logs.Detail(c.Request().Context(), TenantID(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	title := assessments.KindLabel(d.Entry.Kind) + " #" + strconv.FormatInt(id, 10)
	return Render(c, http.StatusOK, views.LogShow(h.AdminPage(c, title), views.LogShowView{Flash: h.popFlash(c), Detail: d}))
}

// deliveryID reads the :id of a delivery's routes.
func deliveryID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, assessments.Errorf(assessments.ENOTFOUND, "Delivery not found.")
	}
	return id, nil
}
