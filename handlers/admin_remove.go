package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/routes"
	"github.com/jobcannon/jobcannon/views"
)

func (h *Admin) adminParam(c echo.Context) (assessments.Admin, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessments.Admin{}, assessments.Errorf(assessments.ENOTFOUND, "Admin not found.")
	}
	return h.Admins.Admin(c.Request().Context(), TenantID(c), id)
}

// AdminRemoveShow asks the signed-in admin to confirm removing another.
func (h *Admin) AdminRemoveShow(c echo.Context) error {
	target, err := h.adminParam(c)
	if err != nil {
		return err
	}
	var msg string
	if err := assessments.CheckRemoval(CurrentAdmin(c), target.ID); err != nil {
		msg = assessments.ErrorMessage(err)
	}
	return Render(c, http.StatusOK, views.AdminRemove(h.AdminPage(c, "Remove an admin"), target, msg))
}

// AdminRemove removes another admin of the tenant. Their sessions end with
// the row: RequireAdmin no longer finds them.
func (h *Admin) AdminRemove(c echo.Context) error {
	ctx := c.Request().Context()
	target, err := h.adminParam(c)
	if err != nil {
		return err
	}
	me := CurrentAdmin(c)
	err = h.Accounts.RemoveAdmin(ctx, TenantID(c), me, target.ID)
	if code := assessments.ErrorCode(err); code == assessments.EINVALID || code == assessments.ECONFLICT {
		return Render(c, http.StatusConflict, views.AdminRemove(h.AdminPage(c, "Remove an admin"), target, assessments.ErrorMessage(err)))
	} else if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "admin removed", "tenant", me.TenantID, "admin_id", target.ID, "by_admin_id", me.ID)
	h.flash(c, target.Email+" is no longer an admin.")
	return c.Redirect(http.StatusSeeOther, routes.AdminList())
}
