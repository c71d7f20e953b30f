package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// LogsList is the webhook logs page. Its filters are GET parameters, so a
// filtered view is a link. An htmx request (the list refreshing itself)
// gets the list alone.
func (h *Logs) LogsList(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	zone := CurrentTenant(c).Location()
	q, f, problem := parseLogFilter(c, zone)
	page, err := h.Logs.Page(ctx, tenantID, f)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	v := views.LogsView{Query: q, Page: page, Problem: problem, Live: f.FirstPage(now), Before: f.Before, After: f.After, Now: now}
	c.Response().Header().Set("Cache-Control", "no-store")
	if c.Request().Header.Get("HX-Request") == "true" {
		return Render(c, http.StatusOK, views.LogList(v, zone))
	}
	v.Flash = h.popFlash(c)
	if v.Chart, err = h.Logs.Chart(ctx, tenantID); err != nil {
		return err
	}
	return Render(c, http.StatusOK, views.Logs(h.AdminPage(c, "Webhook logs"), v))
}

// parseLogFilter reads the page's filter. A value that cannot be read is
// left out, and problem says so, rather than failing the page. Its dates
// are days in zone, the tenant's, as the page shows its times.
func parseLogFilter(c echo.Context, zone *time.Location) (views.LogsQuery, assessments.LogFilter, string) {
	q := views.LogsQuery{
		Direction: c.QueryParam("direction"), Kind: strings.TrimSpace(c.QueryParam("kind")),
		Result: c.QueryParam("result"), Subject: strings.TrimSpace(c.QueryParam("candidate")),
	}
	f := assessments.LogFilter{Direction: assessments.Direction(q.Direction), Kind: q.Kind,
		Result: assessments.LogResult(q.Result), Subject: q.Subject}
	var problems []string
	if from := strings.TrimSpace(c.QueryParam("from")); from != "" {
		if d, err := time.ParseInLocation(time.DateOnly, from, zone); err == nil {
			q.From, f.From = from, d
		} else {
			problems = append(problems, "The start date must look like 2026-05-01.")
		}
	}
	if to := strings.TrimSpace(c.QueryParam("to")); to != "" {
		if d, err := time.ParseInLocation(time.DateOnly, to, zone); err == nil {
			// The end date is inclusive: the whole day.
			q.To, f.To = to, d.AddDate(0, 0, 1)
		} else {
			problems = append(problems, "The end date must look like 2026-05-14.")
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		problems = append(problems, "The start date is after the end date, so nothing can match.")
	}
	f.Before, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	f.After, _ = strconv.ParseInt(c.QueryParam("after"), 10, 64)
	f = f.Normalize()
	q.Direction, q.Result = string(f.Direction), string(f.Result)
	return q, f, strings.Join(problems, " ")
}
