package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
)

// CatalogListsRefresh forgets the tenant's cached Assessment Type and
// Assessment Name lists and reads them from iCIMS again (the Sync action
// vendors offer after an admin edits the lists in iCIMS), then goes back to
// the form it came from.
func (h *Catalog) CatalogListsRefresh(c echo.Context) error {
	ctx := c.Request().Context()
	tenantID := TenantID(c)
	back := c.FormValue("return")
	if !isCatalogFormPath(back) {
		back = routes.CatalogList()
	}
	if h.AssessmentTypes == nil {
		h.flash(c, "The iCIMS lists are not available on this server yet.")
		return c.Redirect(http.StatusSeeOther, back)
	}
	h.AssessmentTypes.RefreshAssessmentLists(ctx, tenantID)
	lists, err := h.AssessmentTypes.AssessmentLists(ctx, tenantID)
	switch {
	case err != nil:
		h.Log.WarnContext(ctx, "refresh assessment lists", "tenant", tenantID, "err", err)
		h.flash(c, "iCIMS could not be read: "+assessments.ErrorMessage(err))
	default:
		h.flash(c, refreshSummary(lists))
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// refreshSummary says what was read, such as "Read from iCIMS: Assessment
// Type (3 entries), Assessment Name (3 entries)."
func refreshSummary(lists assessments.AssessmentLists) string {
	msg := "Read from iCIMS:"
	for i, l := range lists.Lists {
		if i > 0 {
			msg += ","
		}
		msg += " " + l.Name + " (" + catalogEntries(len(l.Nodes)) + ")"
	}
	if len(lists.Lists) == 0 {
		msg += " no list"
	}
	msg += "."
	for _, name := range lists.Missing {
		msg += " No “" + name + "” custom list: create it in iCIMS."
	}
	return msg
}

func catalogEntries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return strconv.Itoa(n) + " entries"
}

// isCatalogFormPath reports whether p is a catalog form "Refresh from
// iCIMS" may return to, so the form value cannot send the admin elsewhere.
func isCatalogFormPath(p string) bool {
	if p == routes.CatalogNew() {
		return true
	}
	rest, ok := strings.CutPrefix(p, routes.CatalogList()+"/")
	if !ok {
		return false
	}
	_, err := strconv.ParseInt(rest, 10, 64)
	return err == nil && !strings.HasPrefix(rest, "+") && !strings.HasPrefix(rest, "-")
}
