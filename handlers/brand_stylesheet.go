package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// BrandStylesheet serves the stylesheet of one brand colour. The colour is
// the URL: six hex digits or a 404, so nothing else can reach the CSS.
// Admins' colours are checked when saved too (mail.Validate); this is the
// second lock. The same URL always answers the same bytes, so it may be
// cached for a year.
func (h *Site) BrandStylesheet(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("file"), ".css")
	rgb, valid := views.ParseBrandColor(name)
	if !ok || !valid || strings.HasPrefix(name, "#") {
		return assessments.Errorf(assessments.ENOTFOUND, "No such stylesheet.")
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", []byte(views.BrandStylesheet(rgb)))
}
