package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
)

// CandidateAnswerSave saves the answers a question page's script sends as
// the candidate gives them, so a reload or an interrupted phone keeps them.
// It answers the script, not a person: 204 when saved, and otherwise a
// status with a short plain message. A link that cannot take answers any
// more (finished, expired, withdrawn, time up) is 409, so the script shows
// the page again and the server's page explains.
func (h *Candidate) CandidateAnswerSave(c echo.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return c.String(http.StatusNotFound, "No such page.")
	}
	var shown time.Time
	if ms, err := strconv.ParseInt(c.FormValue("shown"), 10, 64); err == nil && ms > 0 {
		shown = time.UnixMilli(ms)
	}
	_, err = h.Candidates.SaveAnswers(c.Request().Context(), c.Param("token"), n, c.FormValue, shown)
	if le, ok := assessments.IsLinkError(err); ok {
		if le.State == assessments.LinkUnknown {
			return c.String(http.StatusNotFound, "We can't find this assessment.")
		}
		return c.String(http.StatusConflict, "This assessment can no longer take answers.")
	}
	switch assessments.ErrorCode(err) {
	case "":
		return c.NoContent(http.StatusNoContent)
	case assessments.EINVALID:
		return c.String(http.StatusUnprocessableEntity, assessments.ErrorMessage(err))
	case assessments.ECONFLICT:
		return c.String(http.StatusConflict, assessments.ErrorMessage(err))
	}
	return err
}
