package handlers

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
)

// jobPicker loads the jobs a form offers by name; with no job sync wired
// (or none run yet) the form falls back to typed ids.
func (h *Rules) jobPicker(ctx context.Context, tenantID int64) ([]assessments.JobListing, error) {
	if h.JobListings == nil {
		return nil, nil
	}
	return h.JobListings.Jobs(ctx, tenantID)
}

// formValues joins every value of a form field with commas: a multiple
// select sends one value per chosen option, a text box one typed list.
func formValues(c echo.Context, name string) string {
	if _, err := c.FormParams(); err != nil {
		return c.FormValue(name)
	}
	return strings.Join(c.Request().Form[name], ",")
}
