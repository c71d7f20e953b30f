package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// InvitationList lists the tenant's invitations, newest first, filtered by
// status and by candidate name or e-mail, a page at a time.
func (h *Invitations) InvitationList(c echo.Context) error {
	v := views.InvitationListView{Query: strings.TrimSpace(c.QueryParam("q")), Flash: h.popFlash(c)}
	status := assessments.InvitationStatus(c.QueryParam("status"))
	if slices.Contains(assessments.InvitationStatuses(), status) {
		v.Status = string(status)
	} else {
		status = ""
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	list, err := h.InvitationPages.ListInvitations(c.Request().Context(), assessments.InvitationFilter{
		TenantID: TenantID(c), Status: status, Query: v.Query, Page: max(page, 1),
	})
	if err != nil {
		return err
	}
	if len(list.Invitations) == 0 && list.Page > list.Pages() {
		// Past the end (the list shrank since the link was made): show the
		// last page instead of an empty one.
		return c.Redirect(http.StatusSeeOther, v.PageURL(list.Pages()))
	}
	v.Page = list
	return Render(c, http.StatusOK, views.InvitationList(h.AdminPage(c, "Invitations"), v))
}
