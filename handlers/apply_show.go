package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

// ApplyShow is the public apply page of a link.
func (h *Apply) ApplyShow(c echo.Context) error {
	l, t, err := h.applyLink(c)
	if err != nil {
		return err
	}
	if msg, err := h.applyClosed(c, l, t); err != nil {
		return err
	} else if msg != "" {
		return Render(c, http.StatusGone, views.ApplyNoticePage(h.applyPage(c, "Applications closed"),
			views.ApplyNotice{Heading: "Applications closed", Message: msg}))
	}
	return Render(c, http.StatusOK, views.ApplyPage(h.applyPage(c, "Apply: "+l.JobTitle),
		views.ApplyForm{Company: t.Name, JobTitle: l.JobTitle, Action: routes.ApplySubmit(c.Param("token"))}))
}
