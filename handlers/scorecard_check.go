package handlers

import (
	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
)

// checkScorecard checks a package's scorecard mapping against iCIMS before
// it is saved, so that a field that does not exist is caught before any
// candidate finishes. A field iCIMS does not have (or one of the wrong
// type) is a problem on the form; a check that could not run does not
// block the save, and note (with a leading space) says so for the saved
// message. Every save is checked, even with an unchanged mapping, since a
// field can be deleted in iCIMS at any time: one search call when all is
// well.
func (h *Catalog) checkScorecard(c echo.Context, pkg assessments.Package) (problems []assessments.Problem, note string) {
	if h.Scorecards == nil || len(pkg.Scorecard) == 0 {
		return nil, ""
	}
	check := h.Scorecards.CheckScorecard(c.Request().Context(), CurrentTenant(c), pkg.Scorecard)
	for _, msg := range check.Problems {
		problems = append(problems, assessments.Problem{Field: "scorecard", Message: msg})
	}
	if check.Note != "" {
		note = " " + check.Note
	}
	return problems, note
}
