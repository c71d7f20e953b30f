package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/views"
)

// invitationParam finds the signed-in tenant's invitation named by :id;
// another tenant's id is not found, like one that does not exist.
func (h *Invitations) invitationParam(c echo.Context) (assessments.Invitation, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return assessments.Invitation{}, assessments.Errorf(assessments.ENOTFOUND, "Invitation not found.")
	}
	return h.Invitations.Invitation(c.Request().Context(), TenantID(c), id)
}

// InvitationShow shows one invitation: its facts, e-mails and history,
// with the resend, extend and cancel forms.
func (h *Invitations) InvitationShow(c echo.Context) error {
	inv, err := h.invitationParam(c)
	if err != nil {
		return err
	}
	return h.renderInvitation(c, http.StatusOK, inv, views.InvitationView{Flash: h.popFlash(c)})
}

// renderInvitation fills v with what the page shows about inv.
func (h *Invitations) renderInvitation(c echo.Context, status int, inv assessments.Invitation, v views.InvitationView) error {
	ctx := c.Request().Context()
	events, err := h.Invitations.Events(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return err
	}
	emails, err := h.InvitationPages.Emails(ctx, inv.TenantID, inv.ID)
	if err != nil {
		return err
	}
	v.Invitation, v.Events, v.Emails = inv, events, emails
	if pkg, err := h.Catalog.Package(ctx, inv.TenantID, inv.PackageID); err == nil {
		v.PackageName = pkg.Name
	}
	// The date picker's days are the tenant's, as the extension's are.
	now := h.Clock.Now().In(CurrentTenant(c).Location())
	v.MinExtendDate = now.AddDate(0, 0, 1).Format(dateLayout)
	v.MaxExtendDate = assessments.LatestExtension(now).Format(dateLayout)
	if v.NextResend, err = h.Lifecycle.NextResend(ctx, inv.TenantID, inv.ID); err != nil {
		return err
	}
	return Render(c, status, views.InvitationShow(h.AdminPage(c, inv.CandidateName()), v))
}

// dateLayout is how date inputs send a date.
const dateLayout = "2006-01-02"

// invitationActionFailed shows the invitation page again with the domain's
// message beside the form of the action that failed; errors that are not
// the admin's to fix go to the error page.
func (h *Invitations) invitationActionFailed(c echo.Context, inv assessments.Invitation, action string, err error, v views.InvitationView) error {
	status := http.StatusUnprocessableEntity
	switch assessments.ErrorCode(err) {
	case assessments.EINVALID:
	case assessments.ETOOMANY: // a resend too soon after the last
		status = http.StatusTooManyRequests
	default:
		return err
	}
	v.Error, v.ErrorAction = assessments.ErrorMessage(err), action
	return h.renderInvitation(c, status, inv, v)
}
